/**
 * A built server whose startup file holds the in-memory broker hands its class over before it
 * starts (`holdMemoryBroker`, see build/index.ts): the runtime's broker is then made at once, with
 * no import, and what is sent reaches it synchronously. (A file of its own: the hand-over is
 * process-wide, as a built server runs one app.)
 */
import { defineApp, type Message, queue } from '@polycloud/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryBroker } from '../../src/events/broker.ts';
import { DeferredBroker, holdMemoryBroker } from '../../src/events/deferred-broker.ts';
import { createNodeRuntime } from '../../src/index.ts';

const seen: string[] = [];
const app = defineApp({
  name: 'deferred-broker-held',
  functions: {
    orders: queue('orders', (m: Message) => {
      seen.push(m.text());
    }),
  },
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('DeferredBroker with the in-memory broker held by the startup file', () => {
  it('makes it at once, without an import, and delivers through it', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', '');
    holdMemoryBroker(MemoryBroker);
    const broker = new DeferredBroker(createNodeRuntime(app), { maxDeliveries: 2 }, 30_000);
    // No import on the way: the broker is there after one microtask (an import() takes several).
    let made: unknown;
    void broker.loaded().then((b) => {
      made = b;
    });
    await Promise.resolve();
    expect(made).toBeInstanceOf(MemoryBroker);
    void broker.send('orders', 'now');
    expect(broker.pending).toBe(1);
    await broker.drain();
    expect(seen).toEqual(['now']);
  });

  it('a NATS choice still gets the JetStream broker', async () => {
    vi.stubEnv('POLYCLOUD_NATS_URL', 'nats://127.0.0.1:4222');
    const broker = new DeferredBroker(createNodeRuntime(app), undefined, 30_000);
    expect(broker.kind).toBe('nats');
    expect(await broker.loaded()).not.toBeInstanceOf(MemoryBroker);
  });
});
