import { defineApp, queue } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerFullError } from '../../src/events/message-broker.ts';
import { handle, type NodeServer } from '../../src/index.ts';

let running = 0;
let maxRunning = 0;
let release: (() => void) | undefined;
let gate = Promise.resolve();

const app = defineApp({
  functions: {
    work: queue('bounded', async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await gate;
      running--;
    }),
  },
});

let server: NodeServer;
beforeAll(async () => {
  server = await handle(app, {
    port: 0,
    schedules: false,
    handleSignals: false,
    broker: { maxConcurrency: 2, maxPending: 4, maxDeadLetters: 2 },
  });
});
afterAll(() => server.close());

describe('in-memory broker bounds', () => {
  it('runs at most maxConcurrency handlers at once, and refuses sends past maxPending (503 over HTTP)', async () => {
    gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (let i = 0; i < 4; i++) await server.broker.send('bounded', `m${i}`);
    await expect(server.broker.send('bounded', 'one too many')).rejects.toBeInstanceOf(BrokerFullError);
    const res = await fetch(`${server.url}/_polycloud/queues/bounded`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ error: 'broker full; retry later' });
    await new Promise((r) => setTimeout(r, 50));
    expect(running).toBe(2);
    release!();
    await server.broker.drain();
    expect(maxRunning).toBe(2);
    expect(server.broker.pending).toBe(0);
  });

  it('keeps at most maxDeadLetters, dropping the oldest', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await server.broker.send('nobody-listens', `d${i}`)).id);
    const dead = await server.broker.listDeadLetters();
    expect(dead.map((d) => d.messageId)).toEqual(ids.slice(1));
    expect(dead[0]).toMatchObject({
      function: '',
      error: 'no function subscribes to nobody-listens',
      deliveries: 0,
    });
  });
});
