/**
 * The node broker's routing, delays, default backoff and undeliverable messages (what mutation testing
 * found unguarded): a queue message reaches queue functions only, a topic message topic functions
 * only; a delayed message waits; a failed message is retried after 100 ms, then 200 ms (the default
 * backoff, doubling, capped at 5 s); a message nobody subscribes to is dead-lettered, never dropped.
 */
import { defineApp, type Message, queue, topic } from '@polycloud/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNodeRuntime, MemoryBroker } from '../../src/index.ts';

const seen: string[] = [];
let failuresLeft = 0;
const app = defineApp({
  name: 'broker-unit',
  functions: {
    onQueue: queue('same-name', (m: Message) => {
      seen.push(`queue:${m.text()}`);
    }),
    onTopic: topic('same-name', (m: Message) => {
      seen.push(`topic:${m.text()}`);
    }),
    flaky: queue('flaky', (m: Message) => {
      seen.push(`flaky:${m.deliveryCount}`);
      if (failuresLeft-- > 0) throw new Error('not yet');
    }),
  },
});
const runtime = () => createNodeRuntime(app);

afterEach(() => {
  seen.length = 0;
  vi.useRealTimers();
});

describe('MemoryBroker', () => {
  it('routes a queue message to queue functions and a topic message to topic functions of the same name', async () => {
    const broker = new MemoryBroker(runtime());
    broker.send('same-name', 'q');
    broker.publish('same-name', 't');
    await broker.drain();
    expect([...seen].sort()).toEqual(['queue:q', 'topic:t']);
  });

  it('holds a delayed message until its delay has passed', async () => {
    vi.useFakeTimers();
    const broker = new MemoryBroker(runtime());
    broker.send('same-name', 'later', { delayMs: 1_000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(seen).toEqual([]);
    expect(broker.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await broker.drain();
    expect(seen).toEqual(['queue:later']);
    expect(broker.pending).toBe(0);
  });

  it('retries after 100 ms, then 200 ms by default', async () => {
    vi.useFakeTimers();
    failuresLeft = 2;
    const broker = new MemoryBroker(runtime());
    broker.send('flaky', 'x');
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['flaky:1']);
    await vi.advanceTimersByTimeAsync(99);
    expect(seen).toEqual(['flaky:1']);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['flaky:1', 'flaky:2']);
    await vi.advanceTimersByTimeAsync(199);
    expect(seen).toEqual(['flaky:1', 'flaky:2']);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['flaky:1', 'flaky:2', 'flaky:3']);
    await broker.drain();
  });

  it('dead-letters a message no function subscribes to, naming the source', async () => {
    const broker = new MemoryBroker(runtime());
    const { id } = broker.send('nobody', 'lost?');
    await broker.drain();
    expect(seen).toEqual([]);
    expect(broker.deadLetters).toHaveLength(1);
    expect(broker.deadLetters[0]).toMatchObject({ error: 'no function subscribes to nobody', deliveries: 0 });
    expect(broker.deadLetters[0]!.message?.id).toBe(id);
    expect(broker.deadLetters[0]!.message?.text()).toBe('lost?');
  });
});
