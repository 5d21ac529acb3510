import type { ScheduleEvent } from '@polycloud/core';
import { type AppRuntime, newRequestId } from '@polycloud/core/adapter';
import { Cron } from 'croner';
import type { NodeRaw } from '../raw.ts';

/** Runs every schedule function on its cron expression with croner (UTC unless the function sets a timezone). */
export class Scheduler {
  readonly #jobs: { name: string; cron: Cron }[] = [];

  constructor(runtime: AppRuntime) {
    for (const fn of runtime.functions.values()) {
      const def = fn.def;
      if (def.kind !== 'schedule') continue;
      // protect: a run that outlasts its interval is not started twice, as on Azure's singleton timer.
      const job = new Cron(
        def.cron,
        { timezone: def.timezone ?? 'UTC', protect: true, paused: true },
        async (self: Cron) => {
          const event: ScheduleEvent = {
            id: newRequestId(),
            name: def.name,
            scheduledTime: self.currentRun() ?? new Date(),
            isPastDue: false,
          };
          try {
            await runtime.handle(fn, event, {
              requestId: event.id,
              raw: { provider: 'node', cron: def.cron } satisfies NodeRaw,
            });
          } catch {
            // Logged by the runtime; the next tick runs again, as every provider's timer does.
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
