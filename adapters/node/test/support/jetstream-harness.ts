import type { App } from '@polycloud/core';
import { AppRuntime } from '@polycloud/core/adapter';
import { JetStreamBroker } from '../../src/events/jetstream-broker.ts';
import type { NatsBrokerOptions, SettleEvent } from '../../src/events/jetstream-options.ts';
import { nodeProvider } from '../../src/provider.ts';

export interface LogLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
  /** Date.now() when logged. */
  at: number;
}

/** A JetStream broker driven directly (no http server), with its log lines and settle events kept. */
export interface BrokerUnderTest {
  broker: JetStreamBroker;
  runtime: AppRuntime;
  logs: LogLine[];
  settled: SettleEvent[];
}

const open: JetStreamBroker[] = [];

/** `observed: false` leaves the `observe` option unset (settled then stays empty). */
export function brokerFor(
  app: App,
  options: Omit<NatsBrokerOptions, 'kind'>,
  defaultTimeoutMs?: number,
  observed = true,
): BrokerUnderTest {
  const logs: LogLine[] = [];
  const settled: SettleEvent[] = [];
  const runtime = new AppRuntime(app, {
    ...nodeProvider(),
    sink: (level, message, fields) => logs.push({ level, message, fields, at: Date.now() }),
  });
  const broker = new JetStreamBroker(
    runtime,
    { kind: 'nats', ...options, ...(observed ? { observe: (e: SettleEvent) => settled.push(e) } : {}) },
    defaultTimeoutMs,
  );
  open.push(broker);
  return { broker, runtime, logs, settled };
}

/** Closes every broker made since the last call (bounded: a test's failure must not hang the file). */
export async function closeBrokers(): Promise<void> {
  await Promise.all(
    open.splice(0).map((b) => Promise.race([b.close(), new Promise((r) => setTimeout(r, 2000).unref())])),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(test: () => boolean, what = 'condition', ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${ms} ms`);
    await sleep(10);
  }
}
