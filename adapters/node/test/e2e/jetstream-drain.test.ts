import { defineApp, Queue, queue } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle, type NodeServer } from '../../src/index.ts';
import { NatsServer } from '../support/nats-server.ts';

let nats: NatsServer;
const open: NodeServer[] = [];
beforeAll(async () => {
  nats = await NatsServer.start();
}, 30_000);
afterAll(async () => {
  for (const s of open) await s.close();
  await nats?.dispose();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A replica whose handler takes `ms` (or never ends with Infinity); `seen` records starts and ends. */
function replica(
  prefix: string,
  name: string,
  ms: number,
  seen: { started: string[]; done: string[] },
  drainTimeoutMs = 10_000,
) {
  const app = defineApp({
    name,
    functions: {
      work: queue('drain-work', async (m) => {
        seen.started.push(m.text());
        if (ms === Number.POSITIVE_INFINITY) await new Promise(() => undefined);
        await sleep(ms);
        seen.done.push(m.text());
      }),
    },
  });
  return handle(app, {
    port: 0,
    handleSignals: false,
    schedules: false,
    drainTimeoutMs,
    broker: { kind: 'nats', url: nats.url, prefix, maxConcurrency: 2, ackGraceMs: 1000 },
  }).then((s) => {
    open.push(s);
    return s;
  });
}

async function until(test: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

describe('JetStream drain on shutdown', () => {
  it('stops pulling, finishes in-flight messages, and leaves the rest to another replica', async () => {
    const first = { started: [] as string[], done: [] as string[] };
    const a = await replica('DRAINA', 'drain-a', 600, first);
    const q = a.runtime.resolve(Queue);
    for (let i = 1; i <= 6; i++) await q.send('drain-work', `m${i}`);
    await until(() => first.started.length === 2);
    const report = await a.close();
    expect(report).toEqual({ clean: true, abandonedRequests: 0, abandonedMessages: [] });
    // Everything it started, it finished; it pulled nothing more once the drain began.
    expect(first.done.sort()).toEqual(first.started.sort());
    expect(first.started.length).toBeLessThan(6);
    const second = { started: [] as string[], done: [] as string[] };
    await replica('DRAINA', 'drain-b', 0, second);
    await until(() => first.done.length + second.done.length >= 6);
    expect([...first.done, ...second.done].sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  }, 60_000);

  it('at the drain deadline naks a hung message for another replica and reports it as kept', async () => {
    const first = { started: [] as string[], done: [] as string[] };
    const a = await replica('DRAINB', 'drain-c', Number.POSITIVE_INFINITY, first, 500);
    const { id } = await a.runtime.resolve(Queue).send('drain-work', 'hung');
    await until(() => first.started.includes('hung'));
    const report = await a.close();
    expect(report).toEqual({ clean: false, abandonedRequests: 0, abandonedMessages: [id] });
    const second = { started: [] as string[], done: [] as string[] };
    await replica('DRAINB', 'drain-d', 0, second);
    await until(() => second.done.includes('hung'));
  }, 60_000);
});
