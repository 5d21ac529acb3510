import { randomUUID } from 'node:crypto';
import type { ServiceBusClient, ServiceBusSender } from '@azure/service-bus';
import {
  type MessageBody,
  type PublishOptions,
  type Queue,
  QueueSendError,
  type SendOptions,
  type Topic,
  TopicPublishError,
} from '@polycloud/core';
import { encodeMessageBody, messageBodyBytes } from '@polycloud/core/clients/message-body';
import { connectionString, firstLine } from './connection-string.ts';

/** Service Bus Standard takes messages up to 256 KB (Premium 100 MB: raise it with `maxMessageBytes`). */
export const STANDARD_MAX_MESSAGE_BYTES = 256 * 1024;
/** Scheduled enqueue has no documented ceiling; polycloud keeps Storage Queues' 7 days for portability. */
export const MAX_DELAY_MS = 7 * 24 * 3600 * 1000;
// Application property names: any string, but polycloud keeps attribute names portable (SQS's rule).
const ATTRIBUTE_NAME = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?$/;

// One client per cold start and connection string, one sender per entity: each opens an AMQP
// connection / link, which is the expensive part of a send.
const clients = new Map<string, Promise<ServiceBusClient>>();
const senders = new Map<string, Promise<ServiceBusSender>>();

function sender(connection: string, entity: string): Promise<ServiceBusSender> {
  const key = `${connection}\u0000${entity}`;
  let s = senders.get(key);
  if (!s) {
    let client = clients.get(connection);
    if (!client) {
      // Imported on the first send: a function that never sends never loads @azure/service-bus.
      client = import('@azure/service-bus').then(
        ({ ServiceBusClient }) =>
          new ServiceBusClient(connection, {
            // Exponential backoff between 3 retries, stated rather than left to the default.
            retryOptions: { maxRetries: 3, mode: 1, retryDelayInMs: 500, maxRetryDelayInMs: 8_000 },
          }),
      );
      client.catch(() => clients.delete(connection));
      clients.set(connection, client);
    }
    s = client.then((c) => c.createSender(entity));
    s.catch(() => senders.delete(key));
    senders.set(key, s);
  }
  return s;
}

export interface ServiceBusOptions {
  /** App setting holding the namespace connection string (`providers.azure.connections.serviceBus`). */
  connectionSetting: string;
  env?: NodeJS.ProcessEnv;
  maxMessageBytes?: number;
}

/**
 * Queue.send to a Service Bus queue, or Topic.publish to a Service Bus topic (`@azure/service-bus`):
 * the body as bytes (text as UTF-8, other values as JSON), attributes as application properties,
 * `groupId` / `orderingKey` as the session id (the entity must have sessions enabled), `delayMs` as
 * the scheduled enqueue time. Each message gets a fresh MessageId, so duplicate detection never
 * merges two sends of the same body, while the SDK's retries reuse it.
 */
export function createServiceBusMessaging(options: ServiceBusOptions): Queue & Topic {
  const env = options.env ?? process.env;
  const limit = options.maxMessageBytes ?? STANDARD_MAX_MESSAGE_BYTES;

  async function send(
    kind: 'Queue.send' | 'Topic.publish',
    entity: string,
    body: MessageBody,
    attributes: Record<string, string> | undefined,
    sessionId: string | undefined,
    delayMs: number | undefined,
  ): Promise<{ id: string }> {
    const where = `${kind}(${JSON.stringify(entity)})`;
    if (typeof entity !== 'string' || entity === '')
      throw new TypeError(`${where}: name must be a non-empty string`);
    const encoded = encodeMessageBody(body, where);
    const bytes = messageBodyBytes(encoded);
    if (bytes.byteLength > limit)
      throw new RangeError(
        `${where}: body is ${bytes.byteLength} bytes; Service Bus ${limit === STANDARD_MAX_MESSAGE_BYTES ? 'Standard takes at most 256 KB' : `is configured for at most ${limit}`}`,
      );
    const applicationProperties: Record<string, string> = {};
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (!ATTRIBUTE_NAME.test(name))
        throw new TypeError(
          `${where}: options.attributes.${name}: names are 1-256 letters, digits, "_", "-", "."`,
        );
      if (typeof value !== 'string')
        throw new TypeError(`${where}: options.attributes.${name} must be a string`);
      applicationProperties[name] = value;
    }
    if (
      sessionId !== undefined &&
      (typeof sessionId !== 'string' || sessionId === '' || sessionId.length > 128)
    )
      throw new TypeError(`${where}: the session id (groupId/orderingKey) must be 1-128 characters`);
    let scheduledEnqueueTimeUtc: Date | undefined;
    if (delayMs !== undefined) {
      if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)
        throw new RangeError(`${where}: options.delayMs must be 0-${MAX_DELAY_MS} (7 days)`);
      if (delayMs > 0) scheduledEnqueueTimeUtc = new Date(Date.now() + delayMs);
    }
    const connection = connectionString(options.connectionSetting, env, where, 'Service Bus');
    const messageId = randomUUID();
    try {
      const s = await sender(connection, entity);
      await s.sendMessages({
        body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        messageId,
        contentType: encoded.contentType,
        ...(Object.keys(applicationProperties).length ? { applicationProperties } : {}),
        ...(sessionId !== undefined ? { sessionId } : {}),
        ...(scheduledEnqueueTimeUtc ? { scheduledEnqueueTimeUtc } : {}),
      });
      return { id: messageId };
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown };
      const code = typeof e.code === 'string' ? e.code : 'Error';
      const failure = {
        message: `${where}: Service Bus send failed: ${code}: ${firstLine(e.message)}`,
        cause: error,
      };
      throw kind === 'Queue.send'
        ? new QueueSendError(entity, failure)
        : new TopicPublishError(entity, failure);
    }
  }

  return {
    send: (queue: string, body: MessageBody, o: SendOptions = {}) =>
      send('Queue.send', queue, body, o.attributes, o.groupId, o.delayMs),
    publish: (topic: string, body: MessageBody, o: PublishOptions = {}) =>
      send('Topic.publish', topic, body, o.attributes, o.orderingKey, undefined),
  };
}
