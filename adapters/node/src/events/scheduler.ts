import type { AppRuntime } from '@polycloud/core/adapter';
import { Cron } from 'croner';
import type { MessageBroker } from './message-broker.ts';

/**
 * Runs every schedule function on its cron expression with croner (UTC unless the function sets a
 * timezone). Each tick goes through the broker: the in-memory broker runs it here; JetStream
 * publishes it de-duplicated by schedule and time, so with several replicas it runs once.
 */
export class Scheduler {
  readonly #jobs: { name: string; cron: Cron }[] = [];

  constructor(runtime: AppRuntime, broker: MessageBroker) {
    for (const fn of runtime.functions.values()) {
      const def = fn.def;
      if (def.kind !== 'schedule') continue;
      // protect: a run that outlasts its interval is not started twice, as on Azure's singleton timer.
      const job = new Cron(
        def.cron,
        { timezone: def.timezone ?? 'UTC', protect: true, paused: true },
        async (self: Cron) => {
          try {
            await broker.tick(fn.name, slotOf(self));
          } catch (error) {
            // A failed run is logged by the runtime; a failed publish here. The next tick runs again.
            if (broker.distributesSchedules)
              runtime.log.error('schedule tick not published', {
                function: fn.name,
                error: error instanceof Error ? error : new Error(String(error)),
              });
          }
        },
      );
      this.#jobs.push({ name: def.name, cron: job });
    }
  }

  start(): void {
    for (const job of this.#jobs) job.cron.resume();
  }

  stop(): void {
    for (const job of this.#jobs) job.cron.stop();
  }

  /** Next run per schedule, for the startup banner. */
  get next(): { name: string; at: Date | null }[] {
    return this.#jobs.map((j) => ({ name: j.name, at: j.cron.nextRun() }));
  }
}

/**
 * The cron slot a run belongs to: the latest scheduled time not after now. croner's `currentRun()`
 * is the moment the callback started (milliseconds after the slot, seconds on a busy event loop),
 * which would make `scheduledTime` drift and give every replica its own JetStream de-duplication id
 * (`<schedule>@<time>`), so a tick would run once per replica.
 */
function slotOf(job: Cron): Date {
  // previousRuns() steps back a second from its reference before matching: +1 s includes now itself.
  return job.previousRuns(1, new Date(Date.now() + 1000))[0] ?? new Date();
}
