/**
 * What a queue, topic or schedule function sees through the JetStream broker on a real nats-server,
 * and what the broker leaves on the server: the message's fields and headers (for polycloud's own
 * sends and a foreign producer's), retries with their delay, dead letters (stored and listed), the
 * per-replica concurrency limit, delayed sends, schedule ticks, and what close() leaves. One
 * nats-server for the file, each test on its own prefix; a plain NATS client reads the streams.
 */

import {
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { defineApp, type Message, queue, type ScheduleEvent, schedule, topic } from '@polycloud/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamNames, partitionOf } from '../../src/events/jetstream-names.ts';
import { brokerFor, closeBrokers, sleep, until } from '../support/jetstream-harness.ts';
import { NatsServer } from '../support/nats-server.ts';

let nats: NatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;
let js: JetStreamClient;
beforeAll(async () => {
  nats = await NatsServer.start();
  nc = await connect({ servers: nats.url });
  jsm = await jetstreamManager(nc);
  js = jsm.jetstream();
}, 30_000);
afterEach(async () => {
  await closeBrokers();
  seen.length = 0;
  ticks.length = 0;
  failing.clear();
  for (const r of release.splice(0)) r();
  maxRunning = 0;
});
afterAll(async () => {
  await nc?.close();
  await nats?.dispose();
});

interface Seen {
  fn: string;
  message: Message;
  requestId: string;
  raw: JsMsg;
  at: number;
}
const seen: Seen[] = [];
const ticks: { event: ScheduleEvent; requestId: string }[] = [];
/** Message texts whose handler throws this error's text (always). */
const failing = new Map<string, string>();
/** Handlers of `block` messages wait for one of these. */
const release: (() => void)[] = [];

/** Handlers running now, and the most at once since the last test. */
let running = 0;
let maxRunning = 0;

/** Records each delivery; fails `failing` texts; `block…` texts wait for a release (then fail if `…fail…`). */
function record(fn: string) {
  return async (m: Message, ctx: { requestId: string; raw: unknown }) => {
    seen.push({ fn, message: m, requestId: ctx.requestId, raw: ctx.raw as JsMsg, at: Date.now() });
    running++;
    maxRunning = Math.max(maxRunning, running);
    try {
      const fail = failing.get(m.text());
      if (fail !== undefined) throw new Error(fail);
      if (m.text().startsWith('block')) {
        await new Promise<void>((resolve) => release.push(resolve));
        if (m.text().includes('fail')) throw new Error('failed after the release');
      }
    } finally {
      running--;
    }
  };
}

const app = defineApp({
  name: 'jetstream-delivery',
  functions: {
    work: queue('orders', record('work')),
    fanA: topic('news', record('fanA')),
    nightly: schedule('nightly', '0 3 * * *', (event, ctx) => {
      ticks.push({ event, requestId: ctx.requestId });
    }),
  },
});

let prefixes = 0;
function setUp(options: Parameters<typeof brokerFor>[1] = {}) {
  const prefix = `D${++prefixes}`;
  const names = new JetStreamNames(prefix);
  return { ...brokerFor(app, { url: nats.url, prefix, partitions: 2, ...options }), names, prefix };
}

const header = (m: { headers?: { get(k: string): string } }, key: string) => m.headers?.get(key) ?? '';

describe('JetStream broker delivery', () => {
  it('a sent message reaches its function with every field, headers on the wire, acknowledged', async () => {
    const { broker, names, settled } = setUp();
    await broker.start();
    const sent = await broker.send(
      'orders',
      { n: 1 },
      { id: 'order-1', attributes: { 'trace id': 'é/1', k: 'v' }, groupId: 'g\r\n1' },
    );
    expect(sent).toEqual({ id: 'order-1' });
    await until(() => settled.length === 1, 'the ack');
    const [got] = seen;
    expect(got!.fn).toBe('work');
    expect(got!.message).toMatchObject({
      id: 'order-1',
      attributes: { 'trace id': 'é/1', k: 'v' },
      deliveryCount: 1,
      source: 'orders',
      groupId: 'g 1',
      sequence: String(got!.raw.seq),
      contentType: 'application/json',
    });
    expect(got!.message.json()).toEqual({ n: 1 });
    expect(got!.message.enqueuedAt).toEqual(got!.raw.time);
    expect(got!.message.raw).toBe(got!.raw);
    expect(got!.requestId).toBe('order-1:1');
    // The group's partition is the FNV hash of the id as given; the header is on one line.
    expect(got!.raw.subject).toBe(names.groupSubject('q', 'orders', partitionOf('g\r\n1', 2)));
    expect(header(got!.raw, 'Pc-Source')).toBe('orders');
    expect(header(got!.raw, 'Pc-Group-Id')).toBe('g 1');
    expect(header(got!.raw, 'Nats-Msg-Id')).toBe('order-1');
    expect(settled).toEqual([
      { function: 'work', messageId: 'order-1', deliveryCount: 1, outcome: 'acked', groupId: 'g 1' },
    ]);
    // Acknowledged: the work-queue stream keeps nothing.
    expect((await jsm.streams.info(names.queueStream('orders'))).state.messages).toBe(0);
  });

  it('without an observer: acknowledged and dead-lettered all the same', async () => {
    const prefix = `D${++prefixes}`;
    const names = new JetStreamNames(prefix);
    const options = { url: nats.url, prefix, partitions: 1, maxDeliveries: 2, retryDelayMs: () => 50 };
    const { broker } = brokerFor(app, options, undefined, false);
    await broker.start();
    failing.set('unobserved failure', 'no');
    await broker.send('orders', 'unobserved');
    await broker.send('orders', 'unobserved failure', { groupId: 'g' });
    const deadline = Date.now() + 5_000;
    while ((await broker.listDeadLetters()).length === 0 && Date.now() < deadline) await sleep(50);
    await until(() => broker.pending === 0, 'nothing in flight');
    expect((await jsm.streams.info(names.queueStream('orders'))).state.messages).toBe(0);
    expect((await broker.listDeadLetters()).map((d) => [d.messageId !== '', d.deliveries])).toEqual([
      [true, 2],
    ]);
    expect(seen.map((s) => `${s.message.text()}#${s.message.deliveryCount}`).sort()).toEqual([
      'unobserved failure#1',
      'unobserved failure#2',
      'unobserved#1',
    ]);
  });

  it('a body that is not text, bytes or JSON: refused, naming the call', async () => {
    const { broker } = setUp();
    await expect(broker.send('orders', (() => 1) as never)).rejects.toThrow('Queue.send("orders")');
    await expect(broker.publish('news', (() => 1) as never)).rejects.toThrow('Topic.publish("news")');
  });

  it('a send without an id gets a UUID; ungrouped messages go to the base subject', async () => {
    const { broker, names, settled } = setUp();
    await broker.start();
    const { id } = await broker.send('orders', 'plain text');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await until(() => settled.length === 1, 'the ack');
    expect(seen[0]!.raw.subject).toBe(names.subject('q', 'orders'));
    expect(seen[0]!.message).toMatchObject({
      id,
      contentType: 'text/plain; charset=utf-8',
      groupId: undefined,
    });
    expect(settled[0]).toEqual({ function: 'work', messageId: id, deliveryCount: 1, outcome: 'acked' });
  });

  it('a topic message to each subscriber, with its ordering key as group', async () => {
    const { broker, names, settled } = setUp();
    await broker.start();
    const { id } = await broker.publish('news', 'hello', {
      id: 'n-1',
      attributes: { lang: 'fr' },
      orderingKey: 'k',
    });
    expect(id).toBe('n-1');
    await until(() => settled.length === 1, 'the ack');
    expect(seen[0]!.raw.subject).toBe(names.groupSubject('t', 'news', partitionOf('k', 2)));
    expect(seen[0]!.message).toMatchObject({
      id: 'n-1',
      source: 'news',
      groupId: 'k',
      attributes: { lang: 'fr' },
    });
    const generated = await broker.publish('news', 'again');
    expect(generated.id).toMatch(/^[0-9a-f-]{36}$/);
    await until(() => settled.length === 2, 'the second ack');
    expect(seen[1]!.raw.subject).toBe(names.subject('t', 'news'));
  });

  it("a foreign producer's bare message: the stream and sequence as id, no type, group or attributes", async () => {
    const { broker, names, settled } = setUp();
    await broker.start();
    const ack = await js.publish(names.subject('q', 'orders'), new TextEncoder().encode('raw'));
    await until(() => settled.length === 1, 'the ack');
    const id = `${names.queueStream('orders')}:${ack.seq}`;
    expect(seen[0]!.message).toMatchObject({
      id,
      attributes: {},
      groupId: undefined,
      contentType: undefined,
      sequence: String(ack.seq),
    });
    expect(seen[0]!.requestId).toBe(`${id}:1`);
    expect(settled[0]).toEqual({ function: 'work', messageId: id, deliveryCount: 1, outcome: 'acked' });
  });

  it('a failure is redelivered after the retry delay with the next count, then dead-lettered with its last error', async () => {
    const { broker, names, settled, logs } = setUp({ maxDeliveries: 2, retryDelayMs: (n) => n * 400 });
    await broker.start();
    failing.set('bad', 'refused\nthis one');
    await broker.send('orders', 'bad', { id: 'bad-1', attributes: { k: 'v' } });
    await until(() => settled.length === 2, 'two outcomes');
    expect(settled).toEqual([
      { function: 'work', messageId: 'bad-1', deliveryCount: 1, outcome: 'retry' },
      { function: 'work', messageId: 'bad-1', deliveryCount: 2, outcome: 'dead-lettered' },
    ]);
    expect(seen.map((s) => [s.message.deliveryCount, s.requestId])).toEqual([
      [1, 'bad-1:1'],
      [2, 'bad-1:2'],
    ]);
    // The nak carried the delay: no redelivery before it.
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(380);
    expect(logs.find((l) => l.message === 'message dead-lettered after max deliveries')).toMatchObject({
      level: 'error',
      fields: { function: 'work', messageId: 'bad-1', deliveries: 2 },
    });

    const stored = await jsm.streams.getMessage(names.deadLetterStream, {
      last_by_subj: names.deadLetterSubject('work'),
    });
    expect(new TextDecoder().decode(stored!.data)).toBe('bad');
    const h = stored!.header;
    expect(h.get('Pc-Dead-Function')).toBe('work');
    expect(h.get('Pc-Dead-Error')).toBe('Error: refused this one');
    expect(h.get('Pc-Dead-Deliveries')).toBe('2');
    expect(Math.abs(Date.parse(h.get('Pc-Dead-At')) - Date.now())).toBeLessThan(10_000);
    expect(h.get('Pc-Dead-Subject')).toBe(names.subject('q', 'orders'));
    expect(h.get('Pc-Message-Id')).toBe('bad-1');
    expect(h.get('Nats-Msg-Id')).toBe('dlq:work:bad-1');
    expect(h.get('Pc-Source')).toBe('orders');
    expect(h.get('Pc-Attr-k')).toBe('v');
    // Acknowledged only once stored as a dead letter: the queue's stream is empty.
    expect((await jsm.streams.info(names.queueStream('orders'))).state.messages).toBe(0);

    const [view] = await broker.listDeadLetters();
    expect(view).toEqual({
      function: 'work',
      source: 'orders',
      messageId: 'bad-1',
      body: 'bad',
      bodyEncoding: 'utf8',
      attributes: { k: 'v' },
      groupId: undefined,
      error: 'Error: refused this one',
      deliveries: 2,
      at: h.get('Pc-Dead-At'),
    });
  });

  it('a grouped failure is retried in place, holding its partition, and dead-lettered with its group', async () => {
    const { broker, settled } = setUp({ maxDeliveries: 3, retryDelayMs: () => 300, partitions: 1 });
    await broker.start();
    failing.set('g-bad', 'no');
    await broker.send('orders', 'g-bad', { id: 'gb', groupId: 'g' });
    await broker.send('orders', 'g-next', { id: 'gn', groupId: 'g' });
    await until(() => settled.some((e) => e.messageId === 'gn'), 'the next message');
    expect(settled).toEqual([
      { function: 'work', messageId: 'gb', deliveryCount: 1, outcome: 'retry', groupId: 'g' },
      { function: 'work', messageId: 'gb', deliveryCount: 2, outcome: 'retry', groupId: 'g' },
      { function: 'work', messageId: 'gb', deliveryCount: 3, outcome: 'dead-lettered', groupId: 'g' },
      { function: 'work', messageId: 'gn', deliveryCount: 1, outcome: 'acked', groupId: 'g' },
    ]);
    const times = seen.filter((s) => s.message.id === 'gb').map((s) => s.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(280);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(280);
    expect((await broker.listDeadLetters())[0]).toMatchObject({
      messageId: 'gb',
      groupId: 'g',
      deliveries: 3,
    });
  });

  it('a dead letter that cannot be stored is not acknowledged: logged, kept, and stored once it can be', async () => {
    const { broker, names, settled, logs } = setUp({ maxDeliveries: 1, retryDelayMs: () => 200 });
    // Another stream owns the dead-letter subjects, so the dead-letter stream cannot be created.
    await jsm.streams.add({ name: `${names.deadLetterStream}_SQUAT`, subjects: [names.deadLetterSubjects] });
    await broker.start();
    failing.set('doomed', 'no');
    await broker.send('orders', 'doomed', { id: 'dm' });
    const failed = () =>
      logs.filter((l) => l.message === 'dead-letter publish failed; message kept for redelivery');
    await until(() => failed().length >= 1, 'the failed dead letter');
    expect(failed()[0]).toMatchObject({ level: 'error', fields: { function: 'work', messageId: 'dm' } });
    expect(String(failed()[0]!.fields.error)).toMatch(/overlap/);
    expect(settled).toEqual([]);
    await jsm.streams.delete(`${names.deadLetterStream}_SQUAT`);
    await until(() => settled.length === 1, 'the dead letter');
    expect(settled[0]).toMatchObject({ messageId: 'dm', outcome: 'dead-lettered' });
    expect(settled[0]!.deliveryCount).toBeGreaterThanOrEqual(2);
    // Redelivered after the nak's delay, not at once.
    const times = seen.map((s) => s.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(180);
  });

  it('listDeadLetters: the newest 100 by default or `limit`; binary bodies in base64; bare entries read as empty', async () => {
    const { broker, names } = setUp();
    await broker.listDeadLetters();
    const subject = names.deadLetterSubject('work');
    const h = headers();
    h.set('Pc-Dead-Function', 'work');
    h.set('Pc-Message-Id', 'bin');
    await js.publish(subject, new Uint8Array([0xff, 0xfe, 0x00]), { headers: h });
    for (let i = 0; i < 101; i++) await js.publish(subject, new TextEncoder().encode(`m${i}`));
    const all = await broker.listDeadLetters();
    expect(all).toHaveLength(100);
    expect(all[0]!.body).toBe('m1');
    expect(all[99]!.body).toBe('m100');
    const bare = all[99]!;
    expect(bare).toEqual({
      function: '',
      source: '',
      messageId: '',
      body: 'm100',
      bodyEncoding: 'utf8',
      attributes: {},
      groupId: undefined,
      error: '',
      deliveries: 0,
      at: bare.at,
    });
    const info = await jsm.streams.info(names.deadLetterStream);
    const last = await jsm.streams.getMessage(names.deadLetterStream, { seq: info.state.last_seq });
    expect(bare.at).toBe(last!.time.toISOString());
    const three = await broker.listDeadLetters(3);
    expect(three.map((d) => d.body)).toEqual(['m98', 'm99', 'm100']);
    // A deleted entry in the range is skipped.
    await jsm.streams.deleteMessage(names.deadLetterStream, info.state.last_seq - 1);
    expect((await broker.listDeadLetters(3)).map((d) => d.body)).toEqual(['m98', 'm100']);
    const binary = (await broker.listDeadLetters(200)).find((d) => d.messageId === 'bin');
    expect(binary).toMatchObject({ function: 'work', body: '//4A', bodyEncoding: 'base64' });
  });

  it('runs at most maxConcurrency handlers at once, pulling more as they finish', async () => {
    const { broker, settled } = setUp({ maxConcurrency: 2 });
    await broker.start();
    for (let i = 0; i < 5; i++) await broker.send('orders', `block-${i}`);
    await until(() => seen.length === 2, 'two handlers');
    await sleep(300);
    expect(seen).toHaveLength(2);
    expect(broker.pending).toBe(2);
    while (settled.length < 5) {
      release.shift()?.();
      await sleep(20);
    }
    expect(settled.every((e) => e.outcome === 'acked')).toBe(true);
    expect(maxRunning).toBe(2);
    expect(broker.pending).toBe(0);
  });

  it('drain() waits for the handler in flight and pulls nothing more; abandon() naks it for later', async () => {
    const { broker, settled } = setUp();
    await broker.start();
    await broker.send('orders', 'block-a', { id: 'a' });
    await until(() => seen.length === 1, 'the first handler');
    let drained = false;
    const draining = broker.drain().then(() => {
      drained = true;
    });
    await broker.send('orders', 'later', { id: 'later' });
    await sleep(300);
    expect(drained).toBe(false);
    release.shift()!();
    await draining;
    expect(settled.map((e) => e.messageId)).toEqual(['a']);
    expect(seen).toHaveLength(1);
  });

  it('abandon() naks what is in flight and reports it as kept', async () => {
    const a = setUp({ maxDeliveries: 1 });
    await a.broker.start();
    await a.broker.send('orders', 'block-x', { id: 'x' });
    await a.broker.send('orders', 'block-fail-y', { id: 'y' });
    await until(() => seen.length === 2, 'both handlers');
    const report = await a.broker.abandon();
    expect(report.messageIds.sort()).toEqual(['x', 'y']);
    expect(report.durable).toBe(true);
    expect(a.broker.pending).toBe(0);
    // Handlers finishing later settle nothing here (no ack, no retry, no dead letter): the broker
    // redelivers both.
    for (const r of release.splice(0)) r();
    await sleep(100);
    expect(a.settled).toEqual([]);
    await a.broker.close();
    const b = brokerFor(app, { url: nats.url, prefix: a.prefix, partitions: 2 });
    await b.broker.start();
    await until(() => {
      release.shift()?.();
      return b.settled.some((e) => e.messageId === 'x') && b.settled.some((e) => e.messageId === 'y');
    }, 'the redeliveries');
    const x = b.settled.find((e) => e.messageId === 'x')!;
    expect(x.outcome).toBe('acked');
    // Not bounced back and forth by the abandoning replica's own open pull (which once counted
    // dozens of deliveries here); nats-server 2.9 may not count the delivery whose pull was closed.
    expect(x.deliveryCount).toBeLessThanOrEqual(2);
  });

  it('a grouped retry keeps its message against the ack wait: no other replica takes it meanwhile', async () => {
    // Ack wait 400 ms (handler timeout 300 + grace 100); the retry waits 1.5 s in place.
    const options = {
      maxDeliveries: 2,
      retryDelayMs: () => 1_500,
      partitions: 1,
      handlerTimeoutMs: 300,
      ackGraceMs: 100,
    };
    const a = setUp(options);
    await a.broker.start();
    const b = brokerFor(app, { url: nats.url, prefix: a.prefix, ...options });
    await b.broker.start();
    failing.set('held', 'no');
    await a.broker.send('orders', 'held', { id: 'h', groupId: 'g' });
    await until(
      () => [...a.settled, ...b.settled].some((e) => e.outcome === 'dead-lettered'),
      'the dead letter',
    );
    await sleep(200);
    const holder = a.settled.length > 0 ? a : b;
    expect(holder.settled.map((e) => [e.deliveryCount, e.outcome])).toEqual([
      [1, 'retry'],
      [2, 'dead-lettered'],
    ]);
    expect([...a.settled, ...b.settled]).toHaveLength(2);
    expect(seen.map((s) => s.message.deliveryCount)).toEqual([1, 2]);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(1_450);
  });

  it('a drain cuts a grouped retry short: tried once more, then handed back with a nak', async () => {
    const { broker, settled } = setUp({ maxDeliveries: 5, retryDelayMs: () => 5_000, partitions: 1 });
    await broker.start();
    failing.set('stuck', 'no');
    await broker.send('orders', 'stuck', { id: 's', groupId: 'g' });
    await until(() => settled.length === 1, 'the first failure');
    const started = Date.now();
    await broker.drain();
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(settled.map((e) => [e.deliveryCount, e.outcome])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
    ]);
    expect(broker.pending).toBe(0);
  });

  it('a delayed send waits in the delay stream and arrives when due, without its delay headers', async () => {
    const { broker, names, settled } = setUp();
    await broker.start();
    const sentAt = Date.now();
    const sent = await broker.send('orders', 'later', {
      id: 'd-1',
      delayMs: 700,
      attributes: { k: 'v' },
      groupId: 'g',
    });
    // The id a delayed send resolves with is the one its message arrives with, given or generated.
    expect(sent).toEqual({ id: 'd-1' });
    const waiting = await jsm.streams.getMessage(names.delayStream, {
      last_by_subj: names.delaySubject(names.groupSubject('q', 'orders', partitionOf('g', 2))),
    });
    expect(Number(waiting!.header.get('Pc-Not-Before'))).toBeGreaterThanOrEqual(sentAt + 700);
    expect(Number(waiting!.header.get('Pc-Not-Before'))).toBeLessThanOrEqual(Date.now() + 700);
    expect(waiting!.header.get('Pc-Target')).toBe(names.groupSubject('q', 'orders', partitionOf('g', 2)));
    await until(() => settled.length === 1, 'the delayed message');
    expect(seen[0]!.at - sentAt).toBeGreaterThanOrEqual(700);
    expect(seen[0]!.message).toMatchObject({
      id: 'd-1',
      attributes: { k: 'v' },
      groupId: 'g',
      deliveryCount: 1,
    });
    expect(seen[0]!.raw.headers?.has('Pc-Not-Before')).toBe(false);
    expect(seen[0]!.raw.headers?.has('Pc-Target')).toBe(false);
    expect(header(seen[0]!.raw, 'Pc-Source')).toBe('orders');
    expect((await jsm.streams.info(names.delayStream)).state.messages).toBe(0);
  });

  it('a delayed send without an id resolves with the UUID its message arrives with', async () => {
    const { broker, settled } = setUp();
    await broker.start();
    const sent = await broker.send('orders', 'later', { delayMs: 300 });
    expect(sent.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await until(() => settled.length === 1, 'the delayed message');
    expect(seen[0]!.message.id).toBe(sent.id);
  });

  it('a zero or negative delay sends at once', async () => {
    const { broker, names, settled } = setUp();
    await broker.start();
    await broker.send('orders', 'now', { delayMs: 0 });
    await broker.send('orders', 'now too', { delayMs: -5 });
    await until(() => settled.length === 2, 'both messages');
    const delayStream = await jsm.streams.info(names.delayStream);
    expect(delayStream.state.last_seq).toBe(0);
  });

  it('the delay stream drops a message without a target and keeps one whose target takes nothing', async () => {
    const { broker, names, logs } = setUp();
    await broker.start();
    await js.publish(names.delaySubject('nowhere'), new TextEncoder().encode('x'));
    const h = headers();
    h.set('Pc-Target', `${names.subject('q', 'orders')}-missing`);
    h.set('Pc-Not-Before', String(Date.now() - 1));
    await js.publish(names.delaySubject('missing'), new TextEncoder().encode('y'), { headers: h });
    const failed = () => logs.filter((l) => l.message === 'moving a delayed message failed; retrying');
    await until(() => failed().length >= 1, 'the failed move');
    expect(failed()[0]!.level).toBe('warn');
    // Tried again a second later, not at once.
    await sleep(600);
    expect(failed()).toHaveLength(1);
    expect(
      logs.find((l) => l.message === 'delayed message without a Pc-Target header dropped'),
    ).toMatchObject({
      level: 'warn',
      fields: { subject: names.delaySubject('nowhere') },
    });
    // The one without a target is gone for good; the other waits for its next attempt (1 s).
    const info = await jsm.streams.info(names.delayStream);
    const mover = await jsm.consumers.info(names.delayStream, 'mover');
    expect([info.state.messages, mover.num_pending, mover.num_ack_pending]).toEqual([1, 0, 1]);
    expect(seen).toEqual([]);
  });

  it('a schedule tick: its time, id, past-due flag; a bare tick reads as due now', async () => {
    const { broker, names, settled } = setUp();
    await broker.start();
    const old = new Date(Date.now() - 61_000);
    const recent = new Date(Date.now() - 50_000);
    await broker.tick('nightly', old);
    await broker.tick('nightly', recent);
    await until(() => settled.length === 2, 'two ticks');
    const byTime = (t: Date) => ticks.find((x) => x.event.scheduledTime.getTime() === t.getTime())!;
    expect(byTime(old).event).toEqual({
      id: `nightly@${old.toISOString()}`,
      name: 'nightly',
      scheduledTime: old,
      isPastDue: true,
    });
    expect(byTime(recent).event.isPastDue).toBe(false);
    expect(byTime(recent).requestId).toBe(`nightly@${recent.toISOString()}:1`);
    expect(settled.map((e) => e.outcome)).toEqual(['acked', 'acked']);

    const before = Date.now();
    await js.publish(names.scheduleSubject('nightly'), new Uint8Array(0));
    await until(() => ticks.length === 3, 'the bare tick');
    const bare = ticks[2]!.event;
    expect(bare.scheduledTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(bare.scheduledTime.getTime()).toBeLessThanOrEqual(Date.now());
    expect(bare).toMatchObject({ id: `nightly@${bare.scheduledTime.toISOString()}`, isPastDue: false });
  });

  it('a pull that fails is logged and retried, not fatal', async () => {
    const { broker, names, logs } = setUp({ partitions: 1 });
    await broker.start();
    // The consumer vanishes under the running broker (an operator deleted it): its pulls now fail.
    await jsm.consumers.delete(names.queueStream('orders'), 'work');
    const failed = () => logs.filter((l) => l.message === 'JetStream pull failed; retrying');
    await until(() => failed().length >= 1, 'a failed pull', 5_000);
    expect(failed()[0]).toMatchObject({
      level: 'warn',
      // The client's words vary (consumer not found, heartbeats missed): an error's `Name: message`.
      fields: { error: expect.stringMatching(/^\w*Error: \S/) },
    });
  });

  it('close() drains the connection: later sends are refused', async () => {
    const { broker } = setUp();
    await broker.start();
    await broker.close();
    await expect(broker.send('orders', 'after close')).rejects.toThrow();
    await broker.close();
  });
});
