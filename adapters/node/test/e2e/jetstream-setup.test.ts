/**
 * The streams and consumers the JetStream broker creates on a real nats-server, read back through
 * the JetStream API: their subjects, retention, storage, de-duplication window, ack policy, ack
 * wait, delivery limit and pending limit as the broker's doc comment and `NatsBrokerOptions`
 * document them; an older configuration updated in place; a setup JetStream refuses retried until
 * it succeeds. One nats-server for the file, each test on its own prefix.
 */

import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { defineApp, http, queue, schedule, topic } from '@polycloud/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamNames } from '../../src/events/jetstream-names.ts';
import { brokerFor, closeBrokers, until } from '../support/jetstream-harness.ts';
import { NatsServer } from '../support/nats-server.ts';

let nats: NatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;
beforeAll(async () => {
  nats = await NatsServer.start();
  nc = await connect({ servers: nats.url });
  jsm = await jetstreamManager(nc);
}, 30_000);
afterEach(closeBrokers);
afterAll(async () => {
  await nc?.close();
  await nats?.dispose();
});

const ns = (ms: number) => ms * 1_000_000;

const app = defineApp({
  name: 'jetstream-setup',
  functions: {
    work: queue('orders', () => undefined, { timeoutMs: 2_000 }),
    fanA: topic('news', () => undefined),
    nightly: schedule('nightly', '0 3 * * *', () => undefined),
  },
});

async function consumer(stream: string, name: string) {
  return (await jsm.consumers.info(stream, name)).config;
}

describe('JetStream broker setup', () => {
  it('creates each stream and consumer with the documented settings', async () => {
    const names = new JetStreamNames('Cfg');
    const { broker } = brokerFor(app, {
      url: nats.url,
      prefix: 'Cfg',
      partitions: 2,
      maxConcurrency: 300,
      handlerTimeoutMs: 7_000,
      ackGraceMs: 1_000,
    });
    await broker.start();

    const queueStream = (await jsm.streams.info(names.queueStream('orders'))).config;
    const q = names.subject('q', 'orders');
    expect(queueStream).toMatchObject({
      subjects: [q, `${q}.g.*`],
      retention: 'workqueue',
      storage: 'file',
      num_replicas: 1,
      duplicate_window: ns(120_000),
    });
    const t = names.subject('t', 'news');
    expect((await jsm.streams.info(names.topicStream('news'))).config).toMatchObject({
      subjects: [t, `${t}.g.*`],
      retention: 'interest',
      storage: 'file',
      duplicate_window: ns(120_000),
    });
    expect((await jsm.streams.info(names.scheduleStream)).config).toMatchObject({
      subjects: [names.scheduleSubjects],
      retention: 'workqueue',
      storage: 'file',
    });
    expect((await jsm.streams.info(names.delayStream)).config).toMatchObject({
      subjects: [names.delaySubjects],
      retention: 'workqueue',
    });
    expect(await consumer(names.delayStream, 'mover')).toMatchObject({
      durable_name: 'mover',
      ack_policy: 'explicit',
      ack_wait: ns(30_000),
      max_deliver: -1,
    });

    // The queue function: its own timeout plus the grace; a partition holds one message at a time.
    expect(await consumer(names.queueStream('orders'), 'work')).toMatchObject({
      durable_name: 'work',
      filter_subject: q,
      ack_policy: 'explicit',
      deliver_policy: 'all',
      ack_wait: ns(3_000),
      max_deliver: -1,
      max_ack_pending: 1_200,
    });
    for (const p of [0, 1])
      expect(await consumer(names.queueStream('orders'), `work_g${p}`)).toMatchObject({
        filter_subject: `${q}.g.${p}`,
        ack_policy: 'explicit',
        ack_wait: ns(3_000),
        max_deliver: -1,
        max_ack_pending: 1,
      });
    const queueConsumers = await jsm.consumers.list(names.queueStream('orders')).next();
    expect(queueConsumers.map((c) => c.name).sort()).toEqual(['work', 'work_g0', 'work_g1']);
    // The topic function: no timeout of its own, so the broker's handlerTimeoutMs plus the grace.
    expect(await consumer(names.topicStream('news'), 'fanA')).toMatchObject({
      filter_subject: t,
      ack_wait: ns(8_000),
      max_ack_pending: 1_200,
    });
    expect(await consumer(names.topicStream('news'), 'fanA_g1')).toMatchObject({
      filter_subject: `${t}.g.1`,
      max_ack_pending: 1,
    });
    expect(await consumer(names.scheduleStream, 'nightly')).toMatchObject({
      filter_subject: names.scheduleSubject('nightly'),
      ack_policy: 'explicit',
      deliver_policy: 'all',
      ack_wait: ns(8_000),
      max_deliver: -1,
    });

    // The dead-letter stream appears on first use, keeping its messages by limits.
    await expect(jsm.streams.info(names.deadLetterStream)).rejects.toThrow(/not found/);
    expect(await broker.listDeadLetters()).toEqual([]);
    expect((await jsm.streams.info(names.deadLetterStream)).config).toMatchObject({
      subjects: [names.deadLetterSubjects],
      retention: 'limits',
      storage: 'file',
      duplicate_window: ns(120_000),
    });
  });

  it('an http function beside them gets no stream or consumer: only message and schedule functions pull', async () => {
    const names = new JetStreamNames('Http');
    const mixed = defineApp({
      name: 'jetstream-http',
      functions: {
        api: http('GET /items', () => ({ ok: true })),
        work: queue('orders', () => undefined),
      },
    });
    const { broker } = brokerFor(mixed, { url: nats.url, prefix: 'Http', partitions: 1 });
    await broker.start();
    const consumers: string[] = [];
    for await (const c of jsm.consumers.list(names.queueStream('orders'))) consumers.push(c.name);
    expect(consumers).toContain(names.consumer('work'));
    expect(consumers).not.toContain(names.consumer('api'));
    // No function is a schedule: the schedule stream, where an http function taken for one would pull, is not created.
    await expect(jsm.streams.info(names.scheduleStream)).rejects.toThrow();
  });

  it('defaults: the PC prefix, 8 partitions, a 5 s grace over the runtime timeout, at least 1000 pending', async () => {
    const names = new JetStreamNames();
    const { broker } = brokerFor(app, { url: nats.url }, 4_000);
    await broker.start();
    const stream = names.queueStream('orders');
    expect(stream).toBe('PC_Q_orders');
    const consumers = (await jsm.consumers.list(stream).next()).map((c) => c.name).sort();
    expect(consumers).toEqual(['work', ...[0, 1, 2, 3, 4, 5, 6, 7].map((p) => `work_g${p}`)]);
    expect(await consumer(stream, 'work')).toMatchObject({ ack_wait: ns(7_000), max_ack_pending: 1_000 });
    expect(await consumer(names.topicStream('news'), 'fanA')).toMatchObject({ ack_wait: ns(9_000) });
  });

  it('the runtime timeout defaults to 30 s; a concurrency above 250 raises the pending limit', async () => {
    const names = new JetStreamNames('Dflt');
    const { broker } = brokerFor(app, { url: nats.url, prefix: 'Dflt', partitions: 1, maxConcurrency: 251 });
    await broker.start();
    expect(await consumer(names.topicStream('news'), 'fanA')).toMatchObject({
      ack_wait: ns(35_000),
      max_ack_pending: 1_004,
    });
  });

  it('updates a stream and a consumer an older version created with other settings', async () => {
    const names = new JetStreamNames('Old');
    const stream = names.queueStream('orders');
    const q = names.subject('q', 'orders');
    await jsm.streams.add({ name: stream, subjects: [q], retention: 'workqueue' as never });
    await jsm.consumers.add(stream, {
      durable_name: 'work',
      filter_subject: q,
      ack_policy: 'explicit' as never,
      ack_wait: ns(1_000),
    });
    const { broker } = brokerFor(app, { url: nats.url, prefix: 'Old', partitions: 1 });
    await broker.start();
    expect((await jsm.streams.info(stream)).config).toMatchObject({
      subjects: [q, `${q}.g.*`],
      duplicate_window: ns(120_000),
    });
    expect(await consumer(stream, 'work')).toMatchObject({ ack_wait: ns(7_000), max_deliver: -1 });
  });

  it('retries a setup JetStream refuses, logging each attempt and the refusal, until it succeeds', async () => {
    const names = new JetStreamNames('Busy');
    // Another stream already owns the queue's subject: creating the broker's stream fails (and so
    // does updating it, as it does not exist yet) until that stream is gone.
    await jsm.streams.add({ name: 'SQUATTER', subjects: [names.subject('q', 'orders')] });
    const { broker, logs } = brokerFor(app, { url: nats.url, prefix: 'Busy', partitions: 1 });
    let started = false;
    const starting = broker.start().then(() => {
      started = true;
    });
    const warnings = () => logs.filter((l) => l.message === 'JetStream setup failed; retrying');
    await until(() => warnings().length >= 3, 'three failed attempts');
    expect(started).toBe(false);
    expect(warnings().map((l) => [l.level, l.fields.attempt])).toEqual([
      ['warn', 1],
      ['warn', 2],
      ['warn', 3],
    ]);
    expect(String(warnings()[0]!.fields.error)).toMatch(/overlap/);
    // Paced: 250 ms after the first failure, 500 ms after the second (growing to 2 s at most).
    const [first, second, third] = warnings().map((l) => l.at);
    expect(second! - first!).toBeGreaterThanOrEqual(240);
    expect(second! - first!).toBeLessThan(1_500);
    expect(third! - second!).toBeGreaterThanOrEqual(490);
    await jsm.streams.delete('SQUATTER');
    await starting;
    expect((await jsm.streams.info(names.queueStream('orders'))).state.messages).toBe(0);
  });

  it('a setup that fails while the broker closes rejects start() with the refusal', async () => {
    const names = new JetStreamNames('Gone');
    await jsm.streams.add({ name: 'SQUATTER2', subjects: [names.subject('q', 'orders')] });
    const { broker, logs } = brokerFor(app, { url: nats.url, prefix: 'Gone', partitions: 1 });
    const starting = broker.start();
    await until(() => logs.length > 0, 'a failed attempt');
    await broker.close();
    await expect(starting).rejects.toThrow();
    await jsm.streams.delete('SQUATTER2');
  });
});
