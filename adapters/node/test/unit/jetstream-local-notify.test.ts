/**
 * The JetStream broker's storage notifications (the folder Storage is a local directory, so they run
 * in this process, retried in memory) follow the broker's own delivery settings: `maxDeliveries`
 * (default 5), the redelivery delays (`retryDelayMs`, `backoffMs`, else exponential from 200 ms
 * capped at 30 s, as `NatsBrokerOptions` documents) and `handlerTimeoutMs`. No server is needed: a
 * notification never touches NATS, and the delays are read off fake timers, so each is exact.
 */
import { defineApp, type StorageEvent, storage } from '@polycloud/core';
import { AppRuntime } from '@polycloud/core/adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JetStreamBroker } from '../../src/events/jetstream-broker.ts';
import type { NatsBrokerOptions } from '../../src/events/jetstream-options.ts';
import { nodeProvider } from '../../src/provider.ts';

let calls: number[] = [];
let hang = false;
const app = defineApp({
  name: 'jetstream-local-notify',
  functions: {
    uploads: storage('uploads', () => {
      calls.push(Date.now());
      if (hang) return new Promise<void>(() => undefined);
      throw new Error('cannot read it');
    }),
  },
});

const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
function brokerWith(options: Partial<NatsBrokerOptions>, defaultTimeoutMs?: number) {
  const runtime = new AppRuntime(app, {
    ...nodeProvider(),
    sink: (level, message, fields) => logs.push({ level, message, fields }),
  });
  // An address nothing listens on: a notification must never need the connection.
  const broker = new JetStreamBroker(
    runtime,
    { kind: 'nats', url: 'nats://127.0.0.1:1', ...options },
    defaultTimeoutMs,
  );
  return { broker, fn: runtime.functions.get('uploads')! };
}

const event = (id: string): StorageEvent => ({ id, type: 'created', bucket: 'uploads', key: `${id}.txt` });

/** Milliseconds between successive deliveries. */
const gaps = () => calls.slice(1).map((t, i) => t - calls[i]!);

afterEach(() => {
  vi.useRealTimers();
  calls = [];
  hang = false;
  logs.length = 0;
});

describe('JetStream broker: local storage notifications', () => {
  it('by default: 5 deliveries, 200, 400, 800 and 1600 ms apart, then dead-lettered', async () => {
    vi.useFakeTimers();
    const { broker, fn } = brokerWith({});
    broker.notify([fn], event('n1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(199);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(gaps()).toEqual([200, 400, 800, 1600]);
    expect(logs.filter((l) => l.message.includes('dead-letter'))).toHaveLength(1);
    await broker.drain();
    await broker.close();
  });

  it('the default delay doubles up to 30 s and stays there', async () => {
    vi.useFakeTimers();
    const { broker, fn } = brokerWith({ maxDeliveries: 11 });
    broker.notify([fn], event('n2'));
    await vi.advanceTimersByTimeAsync(300_000);
    expect(gaps()).toEqual([200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
    await broker.close();
  });

  it('backoffMs: redelivery n waits backoffMs[n - 1], the last entry repeating', async () => {
    vi.useFakeTimers();
    const { broker, fn } = brokerWith({ maxDeliveries: 5, backoffMs: [10, 70, 300] });
    broker.notify([fn], event('n3'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gaps()).toEqual([10, 70, 300, 300]);
    await broker.close();
  });

  it('an empty backoffMs: the default delays', async () => {
    vi.useFakeTimers();
    const { broker, fn } = brokerWith({ maxDeliveries: 3, backoffMs: [] });
    broker.notify([fn], event('n4'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gaps()).toEqual([200, 400]);
    await broker.close();
  });

  it('retryDelayMs wins over backoffMs; maxDeliveries bounds the deliveries', async () => {
    vi.useFakeTimers();
    const { broker, fn } = brokerWith({ maxDeliveries: 3, backoffMs: [5000], retryDelayMs: (n) => n * 7 });
    broker.notify([fn], event('n5'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(gaps()).toEqual([7, 14]);
    await broker.close();
  });

  it('handlerTimeoutMs bounds a hung handler; without it, the runtime default given to the broker', async () => {
    vi.useFakeTimers();
    hang = true;
    const own = brokerWith({ maxDeliveries: 1, handlerTimeoutMs: 50 }, 5_000);
    own.broker.notify([own.fn], event('n6'));
    await vi.advanceTimersByTimeAsync(49);
    expect(logs.filter((l) => l.message.includes('timed out'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(logs.find((l) => l.message.includes('timed out'))?.fields).toMatchObject({ timeoutMs: 50 });
    await own.broker.drain();
    logs.length = 0;

    const fallback = brokerWith({ maxDeliveries: 1 }, 400);
    fallback.broker.notify([fallback.fn], event('n7'));
    await vi.advanceTimersByTimeAsync(399);
    expect(logs.filter((l) => l.message.includes('timed out'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(logs.find((l) => l.message.includes('timed out'))?.fields).toMatchObject({ timeoutMs: 400 });
    await fallback.broker.drain();
    await own.broker.close();
    await fallback.broker.close();
  });

  it('the runtime default of 30 s when neither is given', async () => {
    vi.useFakeTimers();
    hang = true;
    const { broker, fn } = brokerWith({ maxDeliveries: 1 });
    broker.notify([fn], event('n8'));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(logs.filter((l) => l.message.includes('timed out'))).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(logs.find((l) => l.message.includes('timed out'))?.fields).toMatchObject({ timeoutMs: 30_000 });
    await broker.close();
  });

  it('drain() waits for the notifications in flight; abandon() logs the ones it gives up', async () => {
    const { broker, fn } = brokerWith({ maxDeliveries: 2, retryDelayMs: () => 60_000 });
    broker.notify([fn], event('n9'));
    await new Promise((r) => setTimeout(r, 20));
    let drained = false;
    void broker.drain().then(() => {
      drained = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    const report = await broker.abandon();
    expect(report).toEqual({ messageIds: [], durable: true });
    expect(
      logs.find((l) => l.message === 'storage notifications abandoned at the drain deadline'),
    ).toMatchObject({
      level: 'error',
      fields: { ids: ['n9'] },
    });
    await broker.close();
  });

  it('abandon() with nothing local logs nothing', async () => {
    const { broker } = brokerWith({});
    expect(await broker.abandon()).toEqual({ messageIds: [], durable: true });
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    await broker.close();
  });
});
