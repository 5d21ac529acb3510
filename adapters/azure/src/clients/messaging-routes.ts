import {
  ConfigError,
  type MessageBody,
  type PolycloudConfig,
  type PublishOptions,
  type Queue,
  type SendOptions,
  type Topic,
} from '@polycloud/core';
import { lazyService } from '@polycloud/core/adapter';
import type { AzureSettings } from '../options.ts';
import type { EventGridTopicTarget } from './event-grid-topic.ts';

/**
 * Which Azure service backs each queue and topic name, from `providers.azure`:
 *
 * - `queues: { name: 'storage' | 'serviceBus' }` per queue, else `queue` (the trigger kind, default
 *   `storage`): Storage Queues or Service Bus queues.
 * - `eventGrid: { name: { endpoint, keySetting } }` makes a topic an Event Grid custom topic (CloudEvents
 *   schema); other topics follow `topic` (default `serviceBus`): Service Bus topics.
 *
 * Each backend's module and SDK are imported on its first send.
 */
export function azureMessaging(
  config: PolycloudConfig | undefined,
  settings: AzureSettings,
  env: NodeJS.ProcessEnv,
): { queue: Queue; topic: Topic } {
  const raw = (config?.providers.azure ?? {}) as Record<string, unknown>;
  const queues = record(raw.queues, 'providers.azure.queues');
  for (const [name, kind] of Object.entries(queues))
    if (kind !== 'storage' && kind !== 'serviceBus')
      throw new ConfigError(
        `providers.azure.queues.${name} is "${String(kind)}"; valid: storage, serviceBus`,
      );
  const eventGrid: Record<string, EventGridTopicTarget> = {};
  for (const [name, value] of Object.entries(record(raw.eventGrid, 'providers.azure.eventGrid'))) {
    const v = value as Partial<EventGridTopicTarget> | null;
    if (typeof v?.endpoint !== 'string' || typeof v.keySetting !== 'string')
      throw new ConfigError(
        `providers.azure.eventGrid.${name} must be { endpoint: url, keySetting: app setting name }`,
      );
    eventGrid[name] = { endpoint: v.endpoint, keySetting: v.keySetting };
  }
  const storageQueue = lazyService<Queue>(['send'], () =>
    import('./queue-client.ts').then((m) => m.createStorageQueue(settings.connections.storage, env)),
  );
  const serviceBus = lazyService<Queue & Topic>(['send', 'publish'], () =>
    import('./service-bus-messaging.ts').then((m) =>
      m.createServiceBusMessaging({ connectionSetting: settings.connections.serviceBus, env }),
    ),
  );
  const eventGridTopic = lazyService<Topic>(['publish'], () =>
    import('./event-grid-topic.ts').then((m) => m.createEventGridTopic(eventGrid, env)),
  );
  return {
    queue: {
      send(queue: string, body: MessageBody, options?: SendOptions) {
        const kind = (queues[queue] as string | undefined) ?? settings.queue;
        if (kind === 'serviceBus') return serviceBus.send(queue, body, options);
        if (kind === 'storage') return storageQueue.send(queue, body, options);
        return Promise.reject(
          new ConfigError(
            `Queue.send(${JSON.stringify(queue)}): sending to Event Hubs is not supported; set providers.azure.queues.${queue} to "storage" or "serviceBus"`,
          ),
        );
      },
    },
    topic: {
      publish(topic: string, body: MessageBody, options?: PublishOptions) {
        if (eventGrid[topic]) return eventGridTopic.publish(topic, body, options);
        if (settings.topic === 'serviceBus') return serviceBus.publish(topic, body, options);
        return Promise.reject(
          new ConfigError(
            `Topic.publish(${JSON.stringify(topic)}): providers.azure.topic is "${settings.topic}"; name this topic in providers.azure.eventGrid { endpoint, keySetting } or use Service Bus`,
          ),
        );
      },
    },
  };
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${where} must be an object keyed by queue or topic name`);
  return value as Record<string, unknown>;
}
