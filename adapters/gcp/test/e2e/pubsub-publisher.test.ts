/**
 * The hand-written Pub/Sub REST publisher (clients/pubsub-publisher.ts) against the real Pub/Sub
 * emulator from the Cloud SDK, started on 127.0.0.1 for this file and stopped by PID: what
 * `Topic.publish` and `Queue.send` publish is pulled back from a subscription and compared byte for
 * byte, with attributes and ordering keys, and a publish the service refuses is a portable error.
 */
import { defineApp, Queue, QueueSendError, queue, Topic, TopicPublishError } from '@polycloud/core';
import type { AppRuntime } from '@polycloud/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../src/index.ts';
import { EMULATOR_DIR, type Emulator, emulatorInstalled, startEmulator } from '../support/pubsub-emulator.ts';

interface Pulled {
  ackId: string;
  message: { messageId: string; data?: string; attributes?: Record<string, string>; orderingKey?: string };
}

const app = defineApp({ name: 'publisher-e2e', functions: { jobs: queue('e2e-jobs', () => {}) } });
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('Pub/Sub publisher against the emulator', () => {
  if (!emulatorInstalled()) {
    it(`SKIPPED: the Pub/Sub emulator is not installed (${EMULATOR_DIR} is missing)`, () => {
      console.warn(`gcp e2e: publisher emulator test skipped — no Pub/Sub emulator at ${EMULATOR_DIR}`);
      expect(emulatorInstalled()).toBe(false);
    });
    return;
  }
  let emulator: Emulator;
  let runtime: AppRuntime;
  const project = 'publisher-e2e';
  const p = `projects/${project}`;

  /** Pulls until `count` messages arrived (bounded), acknowledging each: the order is the delivery order. */
  async function pullAll(subscription: string, count: number): Promise<Pulled['message'][]> {
    const out: Pulled['message'][] = [];
    const until = Date.now() + 20_000;
    while (out.length < count && Date.now() < until) {
      const { receivedMessages = [] } = (await emulator.call(
        'POST',
        `${p}/subscriptions/${subscription}:pull`,
        {
          maxMessages: count - out.length,
        },
      )) as { receivedMessages?: Pulled[] };
      if (receivedMessages.length === 0) continue;
      out.push(...receivedMessages.map((r) => r.message));
      await emulator.call('POST', `${p}/subscriptions/${subscription}:acknowledge`, {
        ackIds: receivedMessages.map((r) => r.ackId),
      });
    }
    return out;
  }

  async function topicWithSubscription(name: string): Promise<void> {
    await emulator.call('PUT', `${p}/topics/${name}`, {});
    await emulator.call('PUT', `${p}/subscriptions/${name}-sub`, {
      topic: `${p}/topics/${name}`,
      enableMessageOrdering: true,
    });
  }

  beforeAll(async () => {
    emulator = await startEmulator(project);
    await topicWithSubscription('e2e-events');
    await topicWithSubscription('e2e-jobs');
    ({ runtime } = handle(app, { project, pubsubEndpoint: emulator.base, idToken: 'none' }));
  }, 90_000);
  afterAll(() => emulator?.stop());

  it('Topic.publish: every byte value, attributes and the ordering key arrive as published', async () => {
    const attributes = { origin: 'e2e', 'x-with space': 'ünïcode ✓', empty: '' };
    const { id } = await runtime
      .resolve(Topic)
      .publish('e2e-events', ALL_BYTES, { attributes, orderingKey: 'customer-7' });
    const [message] = await pullAll('e2e-events-sub', 1);
    expect(message!.messageId).toBe(id);
    expect([...Buffer.from(message!.data ?? '', 'base64')]).toEqual([...ALL_BYTES]);
    expect(message!.attributes).toEqual(attributes);
    expect(message!.orderingKey).toBe('customer-7');
  }, 30_000);

  it('Queue.send: text and JSON bodies as UTF-8, groupId as the ordering key, delivered in send order', async () => {
    const bodies = ['first', { n: 2, text: 'zwei' }, 'dritte ✓', { n: 4 }, 'fifth'];
    const ids: string[] = [];
    for (const body of bodies)
      ids.push((await runtime.resolve(Queue).send('e2e-jobs', body, { groupId: 'g1' })).id);
    const messages = await pullAll('e2e-jobs-sub', bodies.length);
    expect(messages.map((m) => m.messageId)).toEqual(ids);
    expect(messages.map((m) => Buffer.from(m.data ?? '', 'base64').toString('utf8'))).toEqual([
      'first',
      '{"n":2,"text":"zwei"}',
      'dritte ✓',
      '{"n":4}',
      'fifth',
    ]);
    expect(messages.map((m) => m.orderingKey)).toEqual(['g1', 'g1', 'g1', 'g1', 'g1']);
    expect(messages.every((m) => m.attributes === undefined || Object.keys(m.attributes).length === 0)).toBe(
      true,
    );
  }, 30_000);

  it('a topic the service does not know: TopicPublishError / QueueSendError, the HTTP answer as cause', async () => {
    const published = await runtime
      .resolve(Topic)
      .publish('no-such-topic', 'x')
      .catch((e: unknown) => e);
    expect(published).toBeInstanceOf(TopicPublishError);
    expect(published).toMatchObject({ topic: 'no-such-topic' });
    expect(String((published as Error).cause)).toMatch(/HTTP 404/);
    const sent = await runtime
      .resolve(Queue)
      .send('no-such-queue', 'x')
      .catch((e: unknown) => e);
    expect(sent).toBeInstanceOf(QueueSendError);
    expect(sent).toMatchObject({ queue: 'no-such-queue' });
    expect(String((sent as Error).cause)).toMatch(/HTTP 404/);
  }, 30_000);
});
