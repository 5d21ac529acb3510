/**
 * The broker a node runtime holds (events/deferred-broker.ts): the in-memory broker's module is
 * imported on first use, and nothing that arrives while it loads is lost or reordered: sends,
 * publishes and storage notifications made before it has loaded count in `pending`, are handed over
 * in order, and `drain()` waits for them. A broker nothing ever used has nothing to drain or abandon.
 */
import { defineApp, type Message, queue, type StorageEvent, storage, topic } from '@polycloud/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeferredBroker } from '../../src/events/deferred-broker.ts';
import { createNodeRuntime } from '../../src/index.ts';

const seen: string[] = [];
const app = defineApp({
  name: 'deferred-broker',
  functions: {
    orders: queue('orders', (m: Message) => {
      seen.push(`queue:${m.text()}`);
    }),
    news: topic('news', (m: Message) => {
      seen.push(`topic:${m.text()}`);
    }),
    uploads: storage('uploads', (e: StorageEvent) => {
      seen.push(`storage:${e.key}`);
    }),
  },
});

function fresh(): DeferredBroker {
  vi.stubEnv('POLYCLOUD_NATS_URL', '');
  return new DeferredBroker(createNodeRuntime(app), undefined, 30_000);
}

afterEach(() => {
  seen.length = 0;
  vi.unstubAllEnvs();
});

describe('DeferredBroker', () => {
  it('counts what is sent while its module loads and drains it', async () => {
    const broker = fresh();
    const sent = broker.send('orders', 'one');
    const published = broker.publish('news', 'two');
    expect(broker.pending).toBe(2);
    await broker.drain();
    expect(seen.sort()).toEqual(['queue:one', 'topic:two']);
    expect(broker.pending).toBe(0);
    expect((await sent).id).toEqual(expect.any(String));
    expect((await published).id).toEqual(expect.any(String));
  });

  it('hands over the messages of one group in the order they were sent', async () => {
    const broker = fresh();
    for (const n of ['a', 'b', 'c']) void broker.send('orders', n, { groupId: 'g' });
    await broker.drain();
    expect(seen).toEqual(['queue:a', 'queue:b', 'queue:c']);
  });

  it('delivers a storage notification made before the module loaded', async () => {
    const broker = fresh();
    const fn = createNodeRuntime(app).functions.get('uploads')!;
    broker.notify([fn], { id: 'n1', type: 'created', bucket: 'uploads', key: 'a.txt', raw: {} });
    expect(broker.pending).toBe(1);
    await broker.drain();
    expect(seen).toEqual(['storage:a.txt']);
  });

  it('rejects a body JSON cannot hold as the in-memory broker does (a TypeError, nothing sent)', async () => {
    const broker = fresh();
    await expect(broker.send('orders', undefined as never)).rejects.toThrow(TypeError);
    await broker.drain();
    expect(broker.pending).toBe(0);
    expect(seen).toEqual([]);
  });

  it('a broker nothing used: drain, abandon and close have nothing to do', async () => {
    const broker = fresh();
    await broker.drain();
    expect(await broker.abandon()).toEqual({ messageIds: [], durable: false });
    await broker.close();
    expect(broker.pending).toBe(0);
  });

  it('closed before its first use: a later message meets a closed broker and is not delivered', async () => {
    const broker = fresh();
    await broker.close();
    await broker.send('orders', 'late');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([]);
  });

  it('its dead letters are read through the loaded broker', async () => {
    const broker = fresh();
    const { id } = await broker.send('nobody', 'lost?');
    const dead = await broker.listDeadLetters();
    expect(dead).toMatchObject([{ messageId: id, body: 'lost?', error: 'no function subscribes to nobody' }]);
  });
});
