import { defineApp, Queue, queue, schedule, Topic, topic } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SettleEvent } from '../../src/events/jetstream-options.ts';
import { handle, type NodeServer } from '../../src/index.ts';
import { NatsServer } from '../support/nats-server.ts';

let nats: NatsServer;
let server: NodeServer;
const settled: SettleEvent[] = [];
const seen: Record<string, { body: string; deliveryCount: number; attributes: Record<string, string> }[]> = {
  work: [],
  ordered: [],
  fanA: [],
  fanB: [],
  delayed: [],
};
let delayedAt = 0;

const app = defineApp({
  functions: {
    work: queue('work', (m) => {
      const body = m.text();
      seen.work!.push({ body, deliveryCount: m.deliveryCount, attributes: { ...m.attributes } });
      if (body.startsWith('flaky') && m.deliveryCount < 3)
        throw new Error(`attempt ${m.deliveryCount} fails`);
      if (body === 'poison') throw new Error('always fails');
    }),
    ordered: queue('ordered', (m) => {
      seen.ordered!.push({ body: m.text(), deliveryCount: m.deliveryCount, attributes: {} });
      if (m.text() === 'g1-2' && m.deliveryCount === 1) throw new Error('second fails once');
    }),
    fanA: topic('news', (m) => {
      seen.fanA!.push({ body: m.text(), deliveryCount: m.deliveryCount, attributes: { ...m.attributes } });
    }),
    fanB: topic('news', (m) => {
      seen.fanB!.push({ body: m.text(), deliveryCount: m.deliveryCount, attributes: {} });
    }),
    later: queue('later', (m) => {
      delayedAt = Date.now();
      seen.delayed!.push({ body: m.text(), deliveryCount: m.deliveryCount, attributes: {} });
    }),
    tick: schedule('tick', '0 0 1 1 *', () => undefined),
  },
});

async function until(test: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  nats = await NatsServer.start();
  server = await handle(app, {
    port: 0,
    handleSignals: false,
    schedules: false,
    broker: {
      kind: 'nats',
      url: nats.url,
      prefix: `T${process.pid}`,
      maxDeliveries: 3,
      retryDelayMs: () => 50,
      observe: (e) => settled.push(e),
    },
  });
}, 30_000);

afterAll(async () => {
  await server?.close();
  await nats?.dispose();
});

describe('JetStream broker (a real nats-server)', () => {
  it('acks after success, naks failures with the server delivery count, dead-letters with message, headers and last error', async () => {
    const queueClient = server.runtime.resolve(Queue);
    const ok = await queueClient.send('work', 'plain', {
      attributes: { 'trace-id': 't1', unicode: 'héllo ✓', spaced: 'a b  c' },
    });
    const flaky = await queueClient.send('work', 'flaky-1');
    const poison = await queueClient.send('work', 'poison', { attributes: { k: 'v' } });
    await until(
      () =>
        settled.filter((e) => [ok.id, flaky.id, poison.id].includes(e.messageId) && e.outcome !== 'retry')
          .length === 3,
    );
    expect(seen.work!.find((s) => s.body === 'plain')).toEqual({
      body: 'plain',
      deliveryCount: 1,
      attributes: { 'trace-id': 't1', unicode: 'héllo ✓', spaced: 'a b  c' },
    });
    expect(seen.work!.filter((s) => s.body === 'flaky-1').map((s) => s.deliveryCount)).toEqual([1, 2, 3]);
    expect(settled.filter((e) => e.messageId === flaky.id).map((e) => e.outcome)).toEqual([
      'retry',
      'retry',
      'acked',
    ]);
    expect(settled.filter((e) => e.messageId === poison.id).map((e) => e.outcome)).toEqual([
      'retry',
      'retry',
      'dead-lettered',
    ]);
    const dead = (await server.broker.listDeadLetters()).find((d) => d.messageId === poison.id);
    expect(dead).toMatchObject({
      function: 'work',
      source: 'work',
      body: 'poison',
      attributes: { k: 'v' },
      deliveries: 3,
      error: 'Error: always fails',
    });
  }, 30_000);

  it('keeps a group in order while an earlier message is retried', async () => {
    const queueClient = server.runtime.resolve(Queue);
    for (const body of ['g1-1', 'g1-2', 'g1-3']) await queueClient.send('ordered', body, { groupId: 'g1' });
    await until(() => seen.ordered!.some((s) => s.body === 'g1-3'));
    expect(seen.ordered!.map((s) => `${s.body}#${s.deliveryCount}`)).toEqual([
      'g1-1#1',
      'g1-2#1',
      'g1-2#2',
      'g1-3#1',
    ]);
  }, 30_000);

  it('delivers a topic message once to every subscribing function, with its attributes', async () => {
    await server.runtime.resolve(Topic).publish('news', 'hello', { attributes: { lang: 'fr' } });
    await until(() => seen.fanA!.length === 1 && seen.fanB!.length === 1);
    expect(seen.fanA![0]).toMatchObject({ body: 'hello', attributes: { lang: 'fr' } });
    expect(seen.fanB![0]!.body).toBe('hello');
  }, 30_000);

  it('honours a send delay', async () => {
    const sentAt = Date.now();
    await server.runtime.resolve(Queue).send('later', 'after a while', { delayMs: 1500 });
    await until(() => seen.delayed!.length === 1);
    expect(delayedAt - sentAt).toBeGreaterThanOrEqual(1500);
    expect(seen.delayed![0]).toMatchObject({ body: 'after a while', deliveryCount: 1 });
  }, 30_000);

  it('runs a schedule tick once however many replicas publish it', async () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    await Promise.all([
      server.broker.tick('tick', at),
      server.broker.tick('tick', at),
      server.broker.tick('tick', at),
    ]);
    await until(() => settled.some((e) => e.function === 'tick'));
    await new Promise((r) => setTimeout(r, 500));
    expect(settled.filter((e) => e.function === 'tick').map((e) => [e.messageId, e.outcome])).toEqual([
      ['tick@2026-01-01T00:00:00.000Z', 'acked'],
    ]);
  }, 30_000);

  it('rejects a send the server did not store', async () => {
    await nats.stop();
    try {
      await expect(server.runtime.resolve(Queue).send('work', 'lost?')).rejects.toThrow();
    } finally {
      await nats.restart();
    }
  }, 60_000);
});
