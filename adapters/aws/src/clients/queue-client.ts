import { randomUUID } from 'node:crypto';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  type MessageBody,
  type PolycloudConfig,
  type Queue,
  QueueSendError,
  type SendOptions,
} from '@polycloud/core';
import { nameMap } from '@polycloud/core/clients/name-map';
import { delaySeconds } from '@polycloud/core/clients/send-delay';
import { type AwsClientTarget, clientTarget } from './client-target.ts';
import { outgoingMessage } from './outgoing-message.ts';
import { sdkFailureMessage } from './sdk-error.ts';

/** JSON `{ queueName: queueUrl }`, as a deployment template can set it for every function. */
export const QUEUE_URLS_ENV = 'POLYCLOUD_AWS_QUEUE_URLS';

/** SQS DelaySeconds is 0-900. */
export const MAX_DELAY_MS = 900_000;

// One SQSClient per cold start and target: building one per send would redo credential and endpoint
// resolution each time.
const clients = new Map<string, Promise<SQSClient>>();

function sqsClient(target: AwsClientTarget): Promise<SQSClient> {
  const key = `${target.region ?? ''}|${target.endpoint ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    // Imported on the first send: a function that never sends never loads @aws-sdk/client-sqs.
    client = import('@aws-sdk/client-sqs').then(({ SQSClient }) => new SQSClient(target));
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
}

/**
 * Queue over SQS SendMessage. The queue URL of a name comes from `providers.aws.queueUrls[name]`, else
 * `POLYCLOUD_AWS_QUEUE_URLS`, else GetQueueUrl (looked up once per cold start); a full
 * `https://sqs...` URL may also be passed as the name.
 *
 * FIFO queues (`.fifo`) need `groupId`; each send gets a random MessageDeduplicationId, generated
 * before the SDK call so the SDK's own retries reuse it (a retried request is not delivered twice)
 * while two sends of the same body stay two messages, as on every other provider. Content-based
 * deduplication would silently drop the second of two identical sends within five minutes.
 */
export function createSqsQueue(config: PolycloudConfig, env: NodeJS.ProcessEnv = process.env): Queue {
  let target: AwsClientTarget | undefined;
  let configured: Record<string, string> | undefined;
  const urls = new Map<string, Promise<string>>();

  async function queueUrl(name: string, where: string): Promise<string> {
    if (/^https?:\/\//.test(name)) return name;
    configured ??= nameMap(config, 'aws', 'queueUrls', QUEUE_URLS_ENV, env);
    const known = configured[name];
    if (known) return known;
    let url = urls.get(name);
    if (!url) {
      url = Promise.all([sqsClient(target!), import('@aws-sdk/client-sqs')]).then(
        async ([client, { GetQueueUrlCommand }]) => {
          try {
            const out = await client.send(new GetQueueUrlCommand({ QueueName: name }));
            if (!out.QueueUrl) throw new Error('GetQueueUrl answered without QueueUrl');
            return out.QueueUrl;
          } catch (error) {
            throw new QueueSendError(name, {
              message: sdkFailureMessage(
                `${where}: GetQueueUrl`,
                error,
                ` (set providers.aws.queueUrls.${name} or ${QUEUE_URLS_ENV} to skip the lookup)`,
              ),
              cause: error,
            });
          }
        },
      );
      // A failed lookup is retried on the next send (the queue may have been created since).
      url.catch(() => urls.delete(name));
      urls.set(name, url);
    }
    return url;
  }

  return {
    async send(queue: string, body: MessageBody, options: SendOptions = {}) {
      const where = `Queue.send(${JSON.stringify(queue)})`;
      if (typeof queue !== 'string' || queue === '')
        throw new TypeError(`${where}: queue name must be a non-empty string`);
      const message = outgoingMessage(body, options.attributes, where);
      target ??= clientTarget(config, 'sqs', env);
      const url = await queueUrl(queue, where);
      const fifo = url.endsWith('.fifo');
      const input: {
        QueueUrl: string;
        MessageBody: string;
        MessageAttributes?: Record<string, { DataType: string; StringValue: string }>;
        DelaySeconds?: number;
        MessageGroupId?: string;
        MessageDeduplicationId?: string;
      } = { QueueUrl: url, MessageBody: message.text };
      if (message.attributes) input.MessageAttributes = message.attributes;
      if (options.delayMs !== undefined) {
        const seconds = delaySeconds(options.delayMs, MAX_DELAY_MS, where, 'SQS delays at most 15 minutes');
        // FIFO queues only take a queue-wide delay; SQS rejects a per-message DelaySeconds.
        if (fifo && seconds > 0) {
          throw new TypeError(
            `${where}: options.delayMs is not supported on FIFO queues (set DelaySeconds on the queue)`,
          );
        }
        if (!fifo) input.DelaySeconds = seconds;
      }
      if (options.groupId !== undefined) {
        if (typeof options.groupId !== 'string' || options.groupId === '') {
          throw new TypeError(`${where}: options.groupId must be a non-empty string`);
        }
        // Standard queues accept a group id too (SQS fair queues); FIFO queues require it.
        input.MessageGroupId = options.groupId;
      } else if (fifo) {
        throw new TypeError(`${where}: options.groupId is required for a FIFO (.fifo) queue`);
      }
      if (fifo) input.MessageDeduplicationId = randomUUID();
      const [client, { SendMessageCommand }] = await Promise.all([
        sqsClient(target),
        import('@aws-sdk/client-sqs'),
      ]);
      try {
        const out = await client.send(new SendMessageCommand(input));
        return { id: out.MessageId ?? '' };
      } catch (error) {
        throw new QueueSendError(queue, {
          message: sdkFailureMessage(`${where}: SendMessage`, error),
          cause: error,
        });
      }
    },
  };
}
