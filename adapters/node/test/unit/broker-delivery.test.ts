/**
 * What the node runtime's in-memory broker promises a queue/topic/schedule/storage function, as seen
 * from the function and from the dead-letter view (`GET /_polycloud/dead-letters` shows that view):
 * the message fields, per-group order through retries, the delivery limit, the dead-letter entries
 * for messages and storage events, and what a shutdown reports as lost.
 */
import { defineApp, type Message, queue, schedule, storage, topic } from '@polycloud/core';
import type { AppRuntime } from '@polycloud/core/adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrokerFullError } from '../../src/events/message-broker.ts';
import { createNodeRuntime, MemoryBroker } from '../../src/index.ts';

interface Seen {
  fn: string;
  text: string;
  deliveryCount: number;
  requestId: string;
  raw: unknown;
  message: Message;
}

const seen: Seen[] = [];
/** Message texts that fail their first n deliveries. */
const failFirst = new Map<string, number>();
let ticks: unknown[] = [];
let blockers: (() => void)[] = [];

function record(fn: string) {
  return (m: Message, ctx: { requestId: string; raw: unknown }) => {
    seen.push({
      fn,
      text: m.text(),
      deliveryCount: m.deliveryCount,
      requestId: ctx.requestId,
      raw: ctx.raw,
      message: m,
    });
    const left = failFirst.get(m.text()) ?? 0;
    if (left > 0) {
      failFirst.set(m.text(), left - 1);
      throw new TypeError(`refused ${m.text()}`);
    }
    if (m.text() === 'block') return new Promise<void>((resolve) => blockers.push(resolve));
    return undefined;
  };
}

const app = defineApp({
  name: 'broker-delivery',
  functions: {
    orders: queue('orders', record('orders')),
    audit: queue('orders-audit', record('audit')),
    fanA: topic('events', record('fanA')),
    fanB: topic('events', record('fanB')),
    nightly: schedule('nightly', '0 3 * * *', (e, ctx) => {
      ticks.push({ event: e, raw: ctx.raw });
    }),
    uploads: storage('uploads', (e) => {
      if (e.key.startsWith('poison/')) throw new Error(`cannot read ${e.key}`);
    }),
  },
});

function setup(options: ConstructorParameters<typeof MemoryBroker>[1] = {}) {
  const runtime: AppRuntime = createNodeRuntime(app);
  const errors = vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
  const broker = new MemoryBroker(runtime, { retryDelayMs: () => 0, ...options });
  return { runtime, broker, errors };
}

afterEach(() => {
  seen.length = 0;
  failFirst.clear();
  ticks = [];
  for (const release of blockers) release();
  blockers = [];
  vi.useRealTimers();
});

describe('what a queue or topic function receives', () => {
  it('the id, attributes, group, content type, source and delivery count of each attempt', async () => {
    const { broker } = setup();
    failFirst.set('{"n":1}', 1);
    const before = Date.now();
    const { id } = await broker.send(
      'orders',
      { n: 1 },
      { id: 'order-1', attributes: { tenant: 't1' }, groupId: 'g1' },
    );
    await broker.drain();
    expect(id).toBe('order-1');
    expect(seen.map((s) => [s.fn, s.deliveryCount, s.requestId])).toEqual([
      ['orders', 1, 'order-1:1'],
      ['orders', 2, 'order-1:2'],
    ]);
    const m = seen[1]!.message;
    expect(m.id).toBe('order-1');
    expect(m.json()).toEqual({ n: 1 });
    expect(m.attributes).toEqual({ tenant: 't1' });
    expect(m.groupId).toBe('g1');
    expect(m.source).toBe('orders');
    expect(m.contentType).toBe('application/json');
    expect(m.enqueuedAt?.getTime()).toBeGreaterThanOrEqual(before);
    expect(seen[0]!.raw).toMatchObject({
      provider: 'node',
      brokerMessage: { id: 'order-1', source: 'orders' },
    });
  });

  it('a message without options gets a fresh id and no attributes or group', async () => {
    const { broker } = setup();
    const a = await broker.send('orders', 'a');
    const b = await broker.send('orders', 'b');
    await broker.drain();
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[\w-]{8,}$/);
    expect(seen[0]!.message.attributes).toEqual({});
    expect(seen[0]!.message.groupId).toBeUndefined();
  });

  it('a queue name reaches only its own queue function', async () => {
    const { broker } = setup();
    await broker.send('orders-audit', 'x');
    await broker.drain();
    expect(seen.map((s) => s.fn)).toEqual(['audit']);
  });

  it('a topic message reaches every subscriber, with its ordering key as the group', async () => {
    const { broker } = setup();
    const { id } = await broker.publish('events', 'e', {
      id: 'evt-1',
      orderingKey: 'k',
      attributes: { a: '1' },
    });
    await broker.drain();
    expect(id).toBe('evt-1');
    expect(seen.map((s) => s.fn).sort()).toEqual(['fanA', 'fanB']);
    for (const s of seen) {
      expect(s.message.groupId).toBe('k');
      expect(s.message.source).toBe('events');
      expect(s.message.attributes).toEqual({ a: '1' });
    }
  });
});

describe('refusals and warnings the sender sees', () => {
  it('a body that is not text, bytes or JSON is refused naming the queue or topic', async () => {
    const { broker } = setup();
    await expect(broker.send('orders', undefined as never)).rejects.toThrow(
      'Queue.send("orders"): body must be text, bytes or a JSON value',
    );
    await expect(broker.publish('events', (() => 1) as never)).rejects.toThrow(
      'Topic.publish("events"): body must be text, bytes or a JSON value',
    );
    expect(broker.pending).toBe(0);
  });

  it('a message nobody subscribes to is logged as a warning with its id', async () => {
    const runtime = createNodeRuntime(app);
    const warn = vi.spyOn(runtime.log, 'warn').mockImplementation(() => undefined);
    const broker = new MemoryBroker(runtime);
    const { id } = await broker.publish('no-topic', 'x');
    expect(warn).toHaveBeenCalledWith('no function subscribes; message kept in the dead-letter list', {
      source: 'no-topic',
      messageId: id,
    });
  });
});

describe('concurrency bound', () => {
  it('with one slot, every message is still delivered, one at a time', async () => {
    const { broker } = setup({ maxConcurrency: 1 });
    for (const text of ['a', 'b', 'c', 'd']) await broker.send('orders', text);
    await broker.drain();
    // The slot is free again once the queue has run dry: a later message is delivered too.
    await broker.send('orders', 'e');
    await broker.drain();
    expect(seen.map((s) => s.text)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('order within a group', () => {
  it('a retried message still comes before the next of its group', async () => {
    const { broker } = setup({ retryDelayMs: () => 5 });
    failFirst.set('first', 2);
    await broker.send('orders', 'first', { groupId: 'g' });
    await broker.send('orders', 'second', { groupId: 'g' });
    await broker.drain();
    expect(seen.map((s) => `${s.text}:${s.deliveryCount}`)).toEqual([
      'first:1',
      'first:2',
      'first:3',
      'second:1',
    ]);
  });

  it('other groups, and messages without a group, do not wait for it', async () => {
    const { broker } = setup({ retryDelayMs: () => 5 });
    failFirst.set('first', 1);
    await broker.send('orders', 'first', { groupId: 'g' });
    await broker.send('orders', 'other-group', { groupId: 'h' });
    await broker.send('orders', 'no-group');
    await broker.drain();
    const order = seen.map((s) => `${s.text}:${s.deliveryCount}`);
    expect(order.indexOf('other-group:1')).toBeLessThan(order.indexOf('first:2'));
    expect(order.indexOf('no-group:1')).toBeLessThan(order.indexOf('first:2'));
  });

  it('the same group id in two functions is two groups', async () => {
    const { broker } = setup();
    await broker.send('orders', 'block', { groupId: 'g' });
    await broker.send('orders-audit', 'after', { groupId: 'g' });
    await vi.waitFor(() => expect(seen.map((s) => s.text)).toEqual(['block', 'after']));
    for (const release of blockers) release();
    await broker.drain();
  });
});

describe('delivery limit and dead letters', () => {
  it('a message failing every delivery is dead-lettered after maxDeliveries, with its last error', async () => {
    const { broker, errors } = setup({ maxDeliveries: 3 });
    failFirst.set('poison', 99);
    await broker.send('orders', 'poison', { id: 'p-1', attributes: { k: 'v' }, groupId: 'g' });
    await broker.drain();
    expect(seen.map((s) => s.deliveryCount)).toEqual([1, 2, 3]);
    expect(broker.pending).toBe(0);
    const [view] = await broker.listDeadLetters();
    expect(view).toEqual({
      function: 'orders',
      source: 'orders',
      messageId: 'p-1',
      body: 'poison',
      bodyEncoding: 'utf8',
      attributes: { k: 'v' },
      groupId: 'g',
      error: 'TypeError: refused poison',
      deliveries: 3,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(broker.deadLetters[0]!.message?.deliveryCount).toBe(3);
    expect(errors).toHaveBeenCalledWith('message dead-lettered after max deliveries', {
      function: 'orders',
      messageId: 'p-1',
      deliveries: 3,
    });
  });

  it('a binary body is shown base64; the view lists the newest `limit` entries', async () => {
    const { broker } = setup();
    for (const name of ['a', 'b', 'c']) await broker.send(`nobody-${name}`, new Uint8Array([0xff, 0x00]));
    const newest = await broker.listDeadLetters(2);
    expect(newest.map((d) => d.source)).toEqual(['nobody-b', 'nobody-c']);
    expect(newest[0]).toMatchObject({ body: '/wA=', bodyEncoding: 'base64', function: '', deliveries: 0 });
    expect(await broker.listDeadLetters()).toHaveLength(3);
  });

  it('past maxDeadLetters the oldest is dropped, and the log names it', async () => {
    const { broker, errors } = setup({ maxDeadLetters: 1 });
    const first = await broker.send('nobody', 'one');
    await broker.send('nobody', 'two');
    expect(broker.deadLetters.map((d) => d.message?.text())).toEqual(['two']);
    expect(errors).toHaveBeenCalledWith('dead-letter list full; oldest dead letter dropped', {
      messageId: first.id,
      function: '',
      maxDeadLetters: 1,
    });
  });

  it('sends past maxPending are refused with a message saying how full it is', async () => {
    const { broker } = setup({ maxPending: 1 });
    await broker.send('orders', 'block');
    await expect(broker.send('orders', 'x')).rejects.toThrow(
      new BrokerFullError('the in-memory broker holds 1 unsettled messages (maxPending 1); retry later'),
    );
    // A topic with two subscribers needs room for two deliveries.
    await expect(broker.publish('events', 'y')).rejects.toBeInstanceOf(BrokerFullError);
    for (const release of blockers) release();
    await broker.drain();
  });
});

describe('storage notifications', () => {
  it('a failing storage function is retried, then dead-lettered with the event as its body', async () => {
    const { runtime, broker } = setup({ maxDeliveries: 2 });
    const fn = runtime.functions.get('uploads')!;
    const event = {
      id: 'st-1',
      type: 'created' as const,
      bucket: 'uploads',
      key: 'poison/x',
      size: 3,
      raw: { secret: 'not shown' },
    };
    broker.notify([fn], event);
    expect(broker.pending).toBe(1);
    await broker.drain();
    const [view] = await broker.listDeadLetters();
    expect(view).toEqual({
      function: 'uploads',
      source: 'uploads',
      messageId: 'st-1',
      body: JSON.stringify({ id: 'st-1', type: 'created', bucket: 'uploads', key: 'poison/x', size: 3 }),
      bodyEncoding: 'utf8',
      attributes: {},
      error: 'Error: cannot read poison/x',
      deliveries: 2,
      at: expect.any(String),
    });
  });

  it('past maxDeadLetters the oldest storage dead letter is dropped, and the log names its event id', async () => {
    const { runtime, broker, errors } = setup({ maxDeliveries: 1, maxDeadLetters: 1 });
    const fn = runtime.functions.get('uploads')!;
    for (const id of ['st-a', 'st-b']) {
      broker.notify([fn], { id, type: 'created', bucket: 'uploads', key: `poison/${id}` });
      await broker.drain();
    }
    expect((await broker.listDeadLetters()).map((d) => d.messageId)).toEqual(['st-b']);
    expect(errors).toHaveBeenCalledWith('dead-letter list full; oldest dead letter dropped', {
      messageId: 'st-a',
      function: 'uploads',
      maxDeadLetters: 1,
    });
  });

  it('a handled notification settles', async () => {
    const { runtime, broker } = setup();
    broker.notify([runtime.functions.get('uploads')!], {
      id: 'ok',
      type: 'created',
      bucket: 'uploads',
      key: 'fine',
    });
    await broker.drain();
    expect(broker.pending).toBe(0);
    expect(await broker.listDeadLetters()).toEqual([]);
  });
});

describe('schedules', () => {
  it('a tick runs the schedule function here, with its name, time and cron', async () => {
    const { broker } = setup();
    expect(broker.distributesSchedules).toBe(false);
    expect(broker.kind).toBe('memory');
    const at = new Date('2026-01-02T03:00:00Z');
    await broker.tick('nightly', at);
    expect(ticks).toEqual([
      {
        event: { id: expect.any(String), name: 'nightly', scheduledTime: at, isPastDue: false },
        raw: { provider: 'node', cron: '0 3 * * *' },
      },
    ]);
  });

  it('a tick for a function that is not a schedule runs nothing', async () => {
    const { broker } = setup();
    await broker.tick('orders', new Date());
    await broker.tick('missing', new Date());
    expect(ticks).toEqual([]);
    expect(seen).toEqual([]);
  });
});

describe('shutdown', () => {
  it('drain resolves at once when nothing is pending', async () => {
    const { broker } = setup();
    await expect(broker.drain()).resolves.toBeUndefined();
  });

  it('abandon reports each unsettled message once, and stops its retries', async () => {
    vi.useFakeTimers();
    const { broker } = setup({ retryDelayMs: () => 1_000 });
    failFirst.set('retrying', 99);
    await broker.send('orders', 'retrying', { id: 'r-1' });
    await broker.publish('events', 'fan', { id: 'f-1' });
    await broker.send('orders', 'later', { id: 'l-1', delayMs: 5_000 });
    await vi.advanceTimersByTimeAsync(0);
    const report = await broker.abandon();
    expect(report.durable).toBe(false);
    expect(report.messageIds.sort()).toEqual(['l-1', 'r-1']);
    const delivered = seen.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen.length).toBe(delivered);
    expect(seen.some((s) => s.text === 'later')).toBe(false);
  });

  it('close and stop abandon as well', async () => {
    vi.useFakeTimers();
    for (const end of ['close', 'stop'] as const) {
      const { broker } = setup();
      await broker.send('orders', 'later', { delayMs: 1_000 });
      if (end === 'close') await broker.close();
      else broker.stop();
      await vi.advanceTimersByTimeAsync(2_000);
      expect(seen).toEqual([]);
    }
  });
});

describe('default retry delay', () => {
  it('doubles from 100 ms and is capped at 5 s', async () => {
    vi.useFakeTimers();
    const runtime = createNodeRuntime(app);
    vi.spyOn(runtime.log, 'error').mockImplementation(() => undefined);
    const broker = new MemoryBroker(runtime, { maxDeliveries: 8 });
    failFirst.set('slow', 7);
    await broker.send('orders', 'slow');
    await vi.advanceTimersByTimeAsync(0);
    // 100 + 200 + 400 + 800 + 1600 + 3200 ms bring delivery 7; delivery 8 comes 5 s later, not 6.4 s.
    await vi.advanceTimersByTimeAsync(6_300);
    expect(seen.map((s) => s.deliveryCount)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(seen).toHaveLength(7);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toHaveLength(8);
    await broker.drain();
  });
});

describe('handler timeout', () => {
  it('a handler that outlives handlerTimeoutMs is a failed delivery, retried then dead-lettered', async () => {
    vi.useFakeTimers();
    const { broker } = setup({ handlerTimeoutMs: 50, maxDeliveries: 2 });
    await broker.send('orders', 'block', { id: 'b-1' });
    await vi.advanceTimersByTimeAsync(49);
    expect(broker.deadLetters).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    await broker.drain();
    expect(seen.map((s) => s.deliveryCount)).toEqual([1, 2]);
    expect(broker.deadLetters[0]!.error).toBe('HandlerTimeoutError: orders did not finish within 50 ms');
  });
});
