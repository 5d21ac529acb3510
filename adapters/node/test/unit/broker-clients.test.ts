/** Queue and Topic of the node runtime (clients/queue-client.ts, topic-client.ts): portable errors over the broker. */
import { defineApp, Queue, QueueSendError, queue, Topic, TopicPublishError, topic } from '@polycloud/core';
import { afterAll, describe, expect, it } from 'vitest';
import { BrokerFullError } from '../../src/events/message-broker.ts';
import { brokerFor, createNodeRuntime } from '../../src/index.ts';

let release: () => void = () => {};
const gate = new Promise<void>((resolve) => {
  release = resolve;
});
const received: string[] = [];
const app = defineApp({
  name: 'clients',
  functions: {
    held: queue('held', async (msg) => {
      received.push(msg.text());
      await gate;
    }),
    heard: topic('news', (msg) => {
      received.push(msg.text());
    }),
  },
});
const runtime = createNodeRuntime(app, { broker: { maxPending: 1 } });
afterAll(async () => {
  release();
  await brokerFor(runtime).drain();
});

describe('node Queue and Topic over the broker', () => {
  it('a stored message resolves with its id and reaches the subscriber', async () => {
    const sent = await runtime.resolve(Queue).send('held', 'first');
    expect(sent.id).toEqual(expect.any(String));
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(['first']);
  });

  it('a broker that cannot store the message: QueueSendError / TopicPublishError, the broker error as cause', async () => {
    const sendError = await runtime
      .resolve(Queue)
      .send('held', 'second')
      .catch((e: unknown) => e);
    expect(sendError).toBeInstanceOf(QueueSendError);
    expect(sendError).toMatchObject({ name: 'QueueSendError', queue: 'held' });
    expect((sendError as QueueSendError).cause).toBeInstanceOf(BrokerFullError);
    expect((sendError as Error).message).toMatch(/sending to queue "held" failed: .*maxPending 1/);

    const publishError = await runtime
      .resolve(Topic)
      .publish('news', 'update')
      .catch((e: unknown) => e);
    expect(publishError).toBeInstanceOf(TopicPublishError);
    expect(publishError).toMatchObject({ name: 'TopicPublishError', topic: 'news' });
    expect((publishError as TopicPublishError).cause).toBeInstanceOf(BrokerFullError);
  });

  it('a body JSON cannot hold stays a TypeError naming the call, as on every provider', async () => {
    await expect(runtime.resolve(Queue).send('held', undefined as never)).rejects.toThrow(
      new TypeError('Queue.send("held"): body must be text, bytes or a JSON value'),
    );
    await expect(runtime.resolve(Topic).publish('news', (() => 1) as never)).rejects.toThrow(
      new TypeError('Topic.publish("news"): body must be text, bytes or a JSON value'),
    );
  });
});
