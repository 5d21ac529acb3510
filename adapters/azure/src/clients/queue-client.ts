import type { QueueServiceClient } from '@azure/storage-queue';
import { ConfigError, type MessageBody, type Queue, QueueSendError, type SendOptions } from '@polycloud/core';
import { encodeMessageBody, messageBodyBytes } from '@polycloud/core/clients/message-body';
import { delaySeconds } from '@polycloud/core/clients/send-delay';

/** Storage Queues hide a message for at most 7 days (`visibilitytimeout`), which is also the default TTL. */
export const MAX_DELAY_MS = 7 * 24 * 3600 * 1000;
/** A message is at most 64 KiB as sent, i.e. after base64. */
export const MAX_MESSAGE_CHARS = 64 * 1024;

// Storage queue names: 3-63 lower-case letters, digits and single hyphens, starting and ending alphanumeric.
const QUEUE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

// One service client per cold start and connection string: the SDK parses the string and builds its
// HTTP pipeline once.
const clients = new Map<string, Promise<QueueServiceClient>>();

function serviceClient(connectionString: string): Promise<QueueServiceClient> {
  let client = clients.get(connectionString);
  if (!client) {
    // Imported on the first send: a function that never sends never loads @azure/storage-queue.
    client = import('@azure/storage-queue').then(({ QueueServiceClient }) =>
      QueueServiceClient.fromConnectionString(connectionString),
    );
    client.catch(() => clients.delete(connectionString));
    clients.set(connectionString, client);
  }
  return client;
}

/**
 * Queue over Azure Storage Queues (`@azure/storage-queue` sendMessage), on the storage account whose
 * connection string is the app setting named by `providers.azure.connections.storage` (default
 * `AzureWebJobsStorage`, the one queue triggers use).
 *
 * - The message text is base64 of the body bytes: the Functions host's queue trigger decodes base64
 *   by default (host.json `extensions.queues.messageEncoding`), so the handler gets the bytes sent.
 *   Text is sent as UTF-8, bytes as they are, any other value as its JSON text.
 * - `delayMs` becomes the initial visibility timeout (whole seconds, rounded up, at most 7 days).
 * - `attributes` and `groupId` are refused: Storage Queue messages have no properties and no ordering,
 *   and dropping them silently would lose what the sender relies on. Use a Service Bus queue for those.
 */
export function createStorageQueue(connectionSetting: string, env: NodeJS.ProcessEnv = process.env): Queue {
  return {
    async send(queue: string, body: MessageBody, options: SendOptions = {}) {
      const where = `Queue.send(${JSON.stringify(queue)})`;
      if (typeof queue !== 'string' || !QUEUE_NAME.test(queue)) {
        throw new TypeError(
          `${where}: Storage queue names are 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit`,
        );
      }
      if (options.attributes !== undefined && Object.keys(options.attributes).length > 0) {
        throw new TypeError(
          `${where}: options.attributes cannot be carried by Azure Storage Queues (messages have no properties); ` +
            'put them in the body, or use a Service Bus queue',
        );
      }
      if (options.groupId !== undefined) {
        throw new TypeError(
          `${where}: options.groupId needs ordered delivery, which Azure Storage Queues do not have; use a Service Bus queue with sessions`,
        );
      }
      const text = Buffer.from(messageBodyBytes(encodeMessageBody(body, where))).toString('base64');
      if (text.length > MAX_MESSAGE_CHARS) {
        throw new RangeError(
          `${where}: body is ${text.length} characters as base64; Storage Queues take at most ${MAX_MESSAGE_CHARS}`,
        );
      }
      let visibilityTimeout: number | undefined;
      if (options.delayMs !== undefined) {
        visibilityTimeout = delaySeconds(
          options.delayMs,
          MAX_DELAY_MS,
          where,
          'Storage Queues delay at most 7 days',
        );
      }
      const client = await serviceClient(connectionString(connectionSetting, env, where));
      try {
        const out = await client
          .getQueueClient(queue)
          .sendMessage(text, visibilityTimeout ? { visibilityTimeout } : {});
        return { id: out.messageId };
      } catch (error) {
        const e = error as { code?: unknown; statusCode?: unknown; message?: unknown };
        const code = typeof e.code === 'string' ? e.code : String(e.statusCode ?? 'Error');
        const hint = code === 'QueueNotFound' ? ' (Storage Queues must be created before sending)' : '';
        throw new QueueSendError(queue, {
          message: `${where}: sendMessage failed: ${code}: ${firstLine(e.message)}${hint}`,
          cause: error,
        });
      }
    },
  };
}

function connectionString(setting: string, env: NodeJS.ProcessEnv, where: string): string {
  const value = env[setting];
  if (value) return value;
  // Identity-based connections (`<setting>__queueServiceUri`) need @azure/identity, which is not shipped.
  const identity = env[`${setting}__queueServiceUri`] ?? env[`${setting}__accountName`];
  throw new ConfigError(
    identity
      ? `${where}: app setting ${setting} is an identity-based connection; Queue needs a connection string in ${setting}`
      : `${where}: app setting ${setting} (providers.azure.connections.storage) holds no storage connection string`,
  );
}

// Storage error messages carry a RequestId/Time block after the first line: noise for the caller.
function firstLine(message: unknown): string {
  return typeof message === 'string' ? message.split('\n')[0]! : String(message);
}
