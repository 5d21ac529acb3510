import { type CloudEvent, InvalidEventError, Message } from '@polycloud/core';
import { fromBase64 } from '@polycloud/core/adapter';
import type { PushBody } from './native-input.ts';

export const PUBSUB_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
const TOPIC_SOURCE = /^\/\/pubsub\.googleapis\.com\/projects\/[^/]+\/topics\/([^/]+)$/;

/** The topic's short name from a messagePublished source (`//pubsub.googleapis.com/projects/P/topics/T`). */
export function topicOf(source: string): string | undefined {
  return TOPIC_SOURCE.exec(source)?.[1];
}

/** `google.cloud.pubsub.topic.v1.messagePublished` → Message. */
export function messageFromCloudEvent(ev: CloudEvent, fallbackSource: string): Message {
  if (ev.type !== PUBSUB_PUBLISHED)
    throw new InvalidEventError(`expected a ${PUBSUB_PUBLISHED} event, got "${ev.type}"`, 'event.type');
  const data = ev.data;
  if (typeof data !== 'object' || data === null || data instanceof Uint8Array || Array.isArray(data))
    throw new InvalidEventError('expected a MessagePublishedData JSON object', 'event.data');
  return toMessage(data as Record<string, unknown>, 'event.data', topicOf(ev.source) ?? fallbackSource, ev);
}

/** A push subscription body (`{message, subscription, deliveryAttempt}`) → Message. */
export function messageFromPush(body: PushBody, fallbackSource: string): Message {
  return toMessage(body as unknown as Record<string, unknown>, 'body', fallbackSource, body);
}

function toMessage(container: Record<string, unknown>, where: string, source: string, raw: unknown): Message {
  const m = container.message;
  if (typeof m !== 'object' || m === null || Array.isArray(m))
    throw new InvalidEventError('expected a message object', `${where}.message`);
  const msg = m as Record<string, unknown>;
  // The JSON mapping of PubsubMessage may carry snake_case duplicates (message_id, publish_time).
  const id = str(msg.messageId) ?? str(msg.message_id);
  if (!id) throw new InvalidEventError('missing messageId', `${where}.message.messageId`);
  const data = msg.data;
  let body: Uint8Array | (() => Uint8Array) = new Uint8Array(0);
  if (data !== undefined && data !== null) {
    if (typeof data !== 'string')
      throw new InvalidEventError('must be a base64 string', `${where}.message.data`);
    const bytes = fromBase64(data);
    if (!bytes) throw new InvalidEventError('is not valid base64', `${where}.message.data`);
    body = bytes;
  }
  const attributes = msg.attributes;
  if (attributes !== undefined && attributes !== null) {
    if (typeof attributes !== 'object' || Array.isArray(attributes))
      throw new InvalidEventError('must be an object of strings', `${where}.message.attributes`);
    for (const [k, v] of Object.entries(attributes))
      if (typeof v !== 'string')
        throw new InvalidEventError('must be a string', `${where}.message.attributes.${k}`);
  }
  const published = str(msg.publishTime) ?? str(msg.publish_time);
  const enqueuedAt = published === undefined ? undefined : new Date(published);
  if (enqueuedAt && Number.isNaN(enqueuedAt.getTime()))
    throw new InvalidEventError('must be an RFC 3339 timestamp', `${where}.message.publishTime`);
  // deliveryAttempt is only present when the subscription has a dead-letter policy.
  const attempt = container.deliveryAttempt ?? msg.deliveryAttempt;
  if (attempt !== undefined && !(Number.isInteger(attempt) && (attempt as number) >= 1))
    throw new InvalidEventError('must be a positive integer', `${where}.deliveryAttempt`);
  const orderingKey = str(msg.orderingKey) ?? str(msg.ordering_key);
  return new Message({
    id,
    body,
    attributes: (attributes as Record<string, string> | undefined) ?? undefined,
    deliveryCount: attempt as number | undefined,
    enqueuedAt,
    source,
    groupId: orderingKey || undefined,
    raw,
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
