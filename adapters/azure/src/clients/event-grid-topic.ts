import type { EventGridPublisherClient } from '@azure/eventgrid';
import {
  ConfigError,
  type MessageBody,
  type PublishOptions,
  type Topic,
  TopicPublishError,
} from '@polycloud/core';
import { encodeMessageBody, messageBodyBytes } from '@polycloud/core/clients/message-body';
import { firstLine } from './connection-string.ts';

/** Event Grid takes events up to 1 MB (charged per 64 KB). */
export const MAX_EVENT_BYTES = 1024 * 1024;
// CloudEvents extension attribute names: lower-case letters and digits (the spec recommends <= 20).
const EXTENSION = /^[a-z0-9]{1,20}$/;
// Attributes that are CloudEvents context attributes, not extensions.
const RESERVED = new Set([
  'id',
  'source',
  'specversion',
  'type',
  'datacontenttype',
  'dataschema',
  'subject',
  'time',
  'data',
]);

export interface EventGridTopicTarget {
  /** The custom topic endpoint, `https://<topic>.<region>-1.eventgrid.azure.net/api/events`. */
  endpoint: string;
  /** App setting holding the topic's access key. */
  keySetting: string;
}

const clients = new Map<string, Promise<EventGridPublisherClient<'CloudEvent'>>>();

function publisher(endpoint: string, key: string): Promise<EventGridPublisherClient<'CloudEvent'>> {
  const cacheKey = `${endpoint}\u0000${key}`;
  let client = clients.get(cacheKey);
  if (!client) {
    // Imported on the first publish: a function that never publishes never loads @azure/eventgrid.
    client = import('@azure/eventgrid').then(
      ({ AzureKeyCredential, EventGridPublisherClient }) =>
        new EventGridPublisherClient(endpoint, 'CloudEvent', new AzureKeyCredential(key), {
          // Plain HTTP only to a loopback endpoint (a local fake or relay): the key never crosses a network in clear.
          allowInsecureConnection: isLoopbackHttp(endpoint),
          // Exponential backoff, 3 retries (the pipeline's default policy, stated).
          retryOptions: { maxRetries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 8_000 },
        }),
    );
    client.catch(() => clients.delete(cacheKey));
    clients.set(cacheKey, client);
  }
  return client;
}

function isLoopbackHttp(endpoint: string): boolean {
  const url = new URL(endpoint);
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * Topic.publish to Event Grid custom topics in the CloudEvents 1.0 schema (`@azure/eventgrid`): the
 * body is the event's data (JSON objects and arrays as JSON `data`; bytes, text and JSON primitives as
 * `data_base64` with their content type), attributes
 * become extension attributes, the event type is the `type` attribute or `polycloud.message`, and the
 * source `/polycloud/<topic>`. Event Grid has no ordering: `orderingKey` is refused, not dropped.
 */
export function createEventGridTopic(
  targets: Readonly<Record<string, EventGridTopicTarget>>,
  env: NodeJS.ProcessEnv = process.env,
): Topic {
  return {
    async publish(topic: string, body: MessageBody, options: PublishOptions = {}) {
      const where = `Topic.publish(${JSON.stringify(topic)})`;
      const target = targets[topic];
      if (!target)
        throw new ConfigError(`${where}: no Event Grid topic "${topic}" in providers.azure.eventGrid`);
      if (options.orderingKey !== undefined)
        throw new TypeError(
          `${where}: Event Grid does not order events; orderingKey needs a Service Bus topic with sessions`,
        );
      const extensionAttributes: Record<string, string> = {};
      let type = 'polycloud.message';
      for (const [name, value] of Object.entries(options.attributes ?? {})) {
        if (typeof value !== 'string')
          throw new TypeError(`${where}: options.attributes.${name} must be a string`);
        if (name === 'type') {
          type = value;
          continue;
        }
        if (!EXTENSION.test(name) || RESERVED.has(name))
          throw new TypeError(
            `${where}: options.attributes.${name}: CloudEvents extension names are 1-20 lower-case letters or digits and not a context attribute`,
          );
        extensionAttributes[name] = value;
      }
      const encoded = encodeMessageBody(body, where);
      const bytes = messageBodyBytes(encoded);
      if (bytes.byteLength > MAX_EVENT_BYTES)
        throw new RangeError(
          `${where}: body is ${bytes.byteLength} bytes; Event Grid takes events up to 1 MB`,
        );
      const key = env[target.keySetting];
      if (!key)
        throw new ConfigError(`${where}: app setting ${target.keySetting} holds no Event Grid topic key`);
      const id = crypto.randomUUID();
      // The SDK serialises only objects as JSON `data` ("events.data must be of type object"): JSON
      // objects and arrays go as data, text, bytes and JSON primitives as `data_base64` bytes.
      const structured = encoded.type === 'json' && typeof body === 'object' && body !== null;
      const data = structured ? (JSON.parse(encoded.text) as unknown) : bytes;
      const datacontenttype = encoded.contentType;
      try {
        const client = await publisher(target.endpoint, key);
        await client.send([
          {
            id,
            type,
            source: `/polycloud/${topic}`,
            data,
            datacontenttype,
            ...(Object.keys(extensionAttributes).length ? { extensionAttributes } : {}),
          },
        ]);
        return { id };
      } catch (error) {
        const e = error as { code?: unknown; statusCode?: unknown; message?: unknown };
        const code = typeof e.code === 'string' ? e.code : String(e.statusCode ?? 'Error');
        throw new TopicPublishError(topic, {
          message: `${where}: Event Grid publish failed: ${code}: ${firstLine(e.message)}`,
          cause: error,
        });
      }
    },
  };
}
