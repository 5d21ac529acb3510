/**
 * Pub/Sub deliveries → Message, field by field: the push subscription body
 * (https://cloud.google.com/pubsub/docs/push#receive_push: `{message: {data, attributes, messageId,
 * publishTime, orderingKey}, subscription, deliveryAttempt}`) and the Eventarc CloudEvent
 * `google.cloud.pubsub.topic.v1.messagePublished` whose data is MessagePublishedData
 * (https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/pubsub/v1/data.proto),
 * whose source is `//pubsub.googleapis.com/projects/P/topics/T`. The JSON mapping of PubsubMessage may
 * also carry snake_case names (`message_id`, `publish_time`, `ordering_key`).
 */
import type { CloudEvent } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import type { PushBody } from '../../src/events/native-input.ts';
import { messageFromCloudEvent, messageFromPush, topicOf } from '../../src/events/pubsub.ts';
import { rejects } from '../support/rejects-invalid.ts';

type Json = Record<string, any>;

function push(message: Json = {}, extra: Json = {}): PushBody {
  return {
    message: {
      data: Buffer.from('hello').toString('base64'),
      attributes: { a: '1' },
      messageId: '2070443601311540',
      publishTime: '2021-02-26T19:13:55.749Z',
      ...message,
    },
    subscription: 'projects/myproject/subscriptions/mysubscription',
    ...extra,
  } as unknown as PushBody;
}

function published(data: unknown, changes: Partial<CloudEvent> = {}): CloudEvent {
  return {
    specversion: '1.0',
    id: '2070443601311540',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: '//pubsub.googleapis.com/projects/myproject/topics/orders',
    data,
    ...changes,
  } as CloudEvent;
}

describe('push body', () => {
  it('id, data bytes, attributes, publish time; the fallback source; the body as raw', () => {
    const body = push();
    const m = messageFromPush(body, 'orders');
    expect(m.id).toBe('2070443601311540');
    expect(m.text()).toBe('hello');
    expect(m.attributes).toEqual({ a: '1' });
    expect(m.enqueuedAt?.toISOString()).toBe('2021-02-26T19:13:55.749Z');
    expect(m.source).toBe('orders');
    expect(m.deliveryCount).toBe(1);
    expect(m.groupId).toBeUndefined();
    expect(m.raw).toBe(body);
  });
  it('deliveryAttempt (set with a dead-letter policy) is the delivery count', () => {
    expect(messageFromPush(push({}, { deliveryAttempt: 4 }), 'o').deliveryCount).toBe(4);
    expect(messageFromPush(push({ deliveryAttempt: 2 }), 'o').deliveryCount).toBe(2);
    expect(messageFromPush(push({}, { deliveryAttempt: 1 }), 'o').deliveryCount).toBe(1);
  });
  it('orderingKey is the group; an empty one is none', () => {
    expect(messageFromPush(push({ orderingKey: 'customer-7' }), 'o').groupId).toBe('customer-7');
    expect(messageFromPush(push({ ordering_key: 'k2' }), 'o').groupId).toBe('k2');
    expect(messageFromPush(push({ orderingKey: '' }), 'o').groupId).toBeUndefined();
  });
  it('an empty publishTime is no publish time', () => {
    expect(messageFromPush(push({ publishTime: '' }), 'o').enqueuedAt).toBeUndefined();
  });
  it('snake_case names of the JSON mapping are read too', () => {
    const m = messageFromPush(
      push({
        messageId: undefined,
        message_id: 'm-9',
        publishTime: undefined,
        publish_time: '2024-01-01T00:00:00Z',
      }),
      'o',
    );
    expect(m.id).toBe('m-9');
    expect(m.enqueuedAt?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
  it('no data, or null data, is an empty body; no attributes and no publish time are none', () => {
    for (const data of [undefined, null]) {
      const m = messageFromPush(push({ data, attributes: undefined, publishTime: undefined }), 'o');
      expect(m.body.length).toBe(0);
      expect(m.attributes).toEqual({});
      expect(m.enqueuedAt).toBeUndefined();
    }
    expect(messageFromPush(push({ attributes: null }), 'o').attributes).toEqual({});
  });
  const malformed: [string, Json, Json, string][] = [
    ['no message', { message: undefined }, {}, 'body.message: expected a message object'],
    ['a message that is an array', {}, { message: [] }, 'body.message: expected a message object'],
    ['a message that is null', {}, { message: null }, 'body.message: expected a message object'],
    ['no messageId', { messageId: undefined }, {}, 'body.message.messageId: missing messageId'],
    ['an empty messageId', { messageId: '' }, {}, 'body.message.messageId: missing messageId'],
    ['a messageId that is a number', { messageId: 5 }, {}, 'body.message.messageId: missing messageId'],
    ['data that is not a string', { data: 5 }, {}, 'body.message.data: must be a base64 string'],
    ['data that is not base64', { data: '@@@' }, {}, 'body.message.data: is not valid base64'],
    [
      'attributes that are a list',
      { attributes: ['a'] },
      {},
      'body.message.attributes: must be an object of strings',
    ],
    [
      'attributes that are a string',
      { attributes: 'a=1' },
      {},
      'body.message.attributes: must be an object of strings',
    ],
    [
      'an attribute that is not a string',
      { attributes: { a: '1', n: 2 } },
      {},
      'body.message.attributes.n: must be a string',
    ],
    [
      'a publishTime that is no time',
      { publishTime: 'soon' },
      {},
      'body.message.publishTime: must be an RFC 3339 timestamp',
    ],
    [
      'a deliveryAttempt of 0',
      {},
      { deliveryAttempt: 0 },
      'body.deliveryAttempt: must be a positive integer',
    ],
    [
      'a deliveryAttempt of 1.5',
      {},
      { deliveryAttempt: 1.5 },
      'body.deliveryAttempt: must be a positive integer',
    ],
    [
      'a deliveryAttempt that is a string',
      {},
      { deliveryAttempt: '2' },
      'body.deliveryAttempt: must be a positive integer',
    ],
  ];
  for (const [what, message, extra, error] of malformed) {
    it(`${what} is rejected naming the field`, () => {
      const body = push(message, extra) as unknown as Json;
      if ('message' in message && message.message === undefined) delete body.message;
      rejects(() => messageFromPush(body as PushBody, 'o'), error);
    });
  }
});

describe('messagePublished CloudEvent', () => {
  it('the topic named by the source is the source; the CloudEvent is raw', () => {
    const ev = published(push());
    const m = messageFromCloudEvent(ev, 'fallback');
    expect(m.source).toBe('orders');
    expect(m.text()).toBe('hello');
    expect(m.raw).toBe(ev);
  });
  it("a source that names no topic falls back to the function's topic", () => {
    for (const source of [
      '//pubsub.googleapis.com/projects/p/topics/',
      '//pubsub.googleapis.com/projects/p/topics/t/extra',
      'x//pubsub.googleapis.com/projects/p/topics/t',
      '//pubsub.googleapis.com/projects//topics/t',
    ]) {
      expect(messageFromCloudEvent(published(push() as unknown, { source }), 'fallback').source, source).toBe(
        'fallback',
      );
    }
  });
  it('topicOf reads the short name', () => {
    expect(topicOf('//pubsub.googleapis.com/projects/my-project/topics/my-topic')).toBe('my-topic');
    expect(topicOf('//storage.googleapis.com/projects/_/buckets/b')).toBeUndefined();
  });
  it('errors name event.data', () => {
    rejects(
      () => messageFromCloudEvent(published({ message: { data: 'AA==' } }), 'o'),
      'event.data.message.messageId: missing messageId',
    );
  });
  it('another event type, or data that is no MessagePublishedData object, is rejected', () => {
    rejects(
      () =>
        messageFromCloudEvent(published(push(), { type: 'google.cloud.storage.object.v1.finalized' }), 'o'),
      'event.type: expected a google.cloud.pubsub.topic.v1.messagePublished event, got "google.cloud.storage.object.v1.finalized"',
    );
    for (const data of [undefined, null, 'x', [1], new Uint8Array([1])]) {
      rejects(
        () => messageFromCloudEvent(published(data), 'o'),
        'event.data: expected a MessagePublishedData JSON object',
      );
    }
  });
});
