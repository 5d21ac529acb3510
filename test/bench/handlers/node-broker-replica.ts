// One replica for node-broker.bench.ts, run as a child process with an IPC channel. The queue handler
// records send → handler latency (the body carries the send time); `send` messages from the parent
// make this replica send N messages through Queue.send; handled counts go back in small batches.
import { defineApp, Queue, queue } from '@polycloud/core';
import { handle } from '../../../adapters/node/src/index.ts';

const latencies: number[] = [];
let unreported = 0;

const app = defineApp({
  name: 'bench',
  functions: {
    work: queue('bench', (m) => {
      const { sentAt } = m.json() as { sentAt: number };
      latencies.push(performance.timeOrigin + performance.now() - sentAt);
      unreported++;
    }),
  },
});

const url = process.env.BENCH_NATS_URL;
const server = await handle(app, {
  port: 0,
  schedules: false,
  handleSignals: false,
  broker: url ? { kind: 'nats', url, prefix: process.env.BENCH_PREFIX ?? 'BENCH', maxConcurrency: 64 } : {},
});
const queueClient = server.runtime.resolve(Queue);

setInterval(() => {
  if (unreported > 0) {
    process.send?.({ handled: unreported });
    unreported = 0;
  }
}, 2).unref();

process.on('message', async (msg: { send?: number; report?: boolean; stop?: boolean }) => {
  if (msg.send) {
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < msg.send; i++) {
      sends.push(queueClient.send('bench', { sentAt: performance.timeOrigin + performance.now(), i }));
    }
    await Promise.all(sends);
  }
  if (msg.report) {
    process.send?.({ latencies: latencies.splice(0) });
  }
  if (msg.stop) {
    await server.close();
    process.exit(0);
  }
});
process.send?.({ ready: true });
