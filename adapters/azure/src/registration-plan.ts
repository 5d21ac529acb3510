import type {
  EventGridFunctionOptions,
  EventHubFunctionOptions,
  HttpFunctionOptions,
  HttpMethod,
  ServiceBusQueueFunctionOptions,
  ServiceBusTopicFunctionOptions,
  StorageBlobFunctionOptions,
  StorageQueueFunctionOptions,
  TimerFunctionOptions,
} from '@azure/functions';
import type { FunctionDefinition } from '@polycloud/core/adapter';
import { toNcrontab } from './events/ncrontab.ts';
import { toMethods, toRouteTemplate } from './http/route-template.ts';
import {
  type AuthLevel,
  type AzureSettings,
  optionOneOf,
  optionString,
  type QueueTrigger,
  type StorageTrigger,
  type TopicTrigger,
} from './options.ts';

type Without<T> = Omit<T, 'handler'>;

/** Which `app.*` method registers a function, with what options (the handler is added by register). */
export type RegistrationPlan =
  | { method: 'http'; options: Without<HttpFunctionOptions> }
  | { method: 'storageQueue'; options: Without<StorageQueueFunctionOptions> }
  | { method: 'serviceBusQueue'; options: Without<ServiceBusQueueFunctionOptions> }
  | { method: 'serviceBusTopic'; options: Without<ServiceBusTopicFunctionOptions> }
  | { method: 'eventHub'; options: Without<EventHubFunctionOptions> }
  | { method: 'eventGrid'; options: Without<EventGridFunctionOptions> }
  | { method: 'storageBlob'; options: Without<StorageBlobFunctionOptions> }
  | { method: 'timer'; options: Without<TimerFunctionOptions> };

export type RegistrationMethod = RegistrationPlan['method'];

type Definition<K extends FunctionDefinition['kind']> = Extract<FunctionDefinition, { kind: K }>;

/** Which `app.*` method registers a function, and with what options (the build plans every function). */
export function planFunction(
  name: string,
  def: FunctionDefinition,
  settings: AzureSettings,
): RegistrationPlan {
  return def.kind === 'http' ? planHttp(name, def, settings) : planTrigger(name, def, settings);
}

/**
 * A function that is not http, by its kind. One small function per kind, and apart from `planHttp`:
 * the bundle of an app of http functions carries none of them (issue 12: V8 compiles a function
 * whole on its first call, every branch of a switch included).
 */
export function planTrigger(
  name: string,
  def: Exclude<FunctionDefinition, { kind: 'http' }>,
  settings: AzureSettings,
): RegistrationPlan {
  switch (def.kind) {
    case 'queue':
      return planQueue(name, def, settings);
    case 'topic':
      return planTopic(name, def, settings);
    case 'storage':
      return planStorage(name, def, settings);
    case 'schedule':
      return { method: 'timer', options: { schedule: toNcrontab(def.cron, `function "${name}"`) } };
    case 'event':
      return { method: 'eventGrid', options: {} };
  }
}

/**
 * An http function: its route as a host route template, its methods and its auth level.
 * @coldStart
 */
export function planHttp(name: string, def: Definition<'http'>, settings: AzureSettings): RegistrationPlan {
  return {
    method: 'http',
    options: {
      route: toRouteTemplate(def.route.path),
      methods: toMethods(def.route) as HttpMethod[],
      authLevel: optionOneOf<AuthLevel>(
        def,
        'authLevel',
        name,
        ['anonymous', 'function', 'admin'],
        settings.authLevel,
      ),
    },
  };
}

function planQueue(name: string, def: Definition<'queue'>, settings: AzureSettings): RegistrationPlan {
  const opt = (key: string) => optionString(def, key, name);
  const trigger = optionOneOf<QueueTrigger>(
    def,
    'queue',
    name,
    ['storage', 'serviceBus', 'eventHub'],
    settings.queue,
  );
  if (trigger === 'eventHub') return eventHub(name, def, def.queue, settings);
  if (trigger === 'serviceBus') {
    const sessions = (def.options.providers?.azure as { isSessionsEnabled?: unknown } | undefined)
      ?.isSessionsEnabled;
    return {
      method: 'serviceBusQueue',
      options: {
        queueName: opt('queueName') ?? def.queue,
        connection: opt('connection') ?? settings.connections.serviceBus,
        ...(sessions === true ? { isSessionsEnabled: true } : {}),
      },
    };
  }
  return {
    method: 'storageQueue',
    options: {
      queueName: opt('queueName') ?? def.queue,
      connection: opt('connection') ?? settings.connections.storage,
    },
  };
}

function planTopic(name: string, def: Definition<'topic'>, settings: AzureSettings): RegistrationPlan {
  const opt = (key: string) => optionString(def, key, name);
  const trigger = optionOneOf<TopicTrigger>(
    def,
    'topic',
    name,
    ['serviceBus', 'eventGrid', 'eventHub'],
    settings.topic,
  );
  if (trigger === 'eventHub') return eventHub(name, def, def.topic, settings);
  if (trigger === 'eventGrid') return { method: 'eventGrid', options: {} };
  return {
    method: 'serviceBusTopic',
    options: {
      topicName: opt('topicName') ?? def.topic,
      subscriptionName: opt('subscriptionName') ?? settings.subscriptionName,
      connection: opt('connection') ?? settings.connections.serviceBus,
    },
  };
}

function planStorage(name: string, def: Definition<'storage'>, settings: AzureSettings): RegistrationPlan {
  const opt = (key: string) => optionString(def, key, name);
  const onlyCreated = def.events.every((e) => e === 'created');
  const trigger = optionOneOf<StorageTrigger>(
    def,
    'storage',
    name,
    ['blob', 'eventGrid'],
    settings.storage ?? (onlyCreated ? 'blob' : 'eventGrid'),
  );
  if (trigger === 'eventGrid') return { method: 'eventGrid', options: {} };
  const source = optionOneOf(
    def,
    'source',
    name,
    ['EventGrid', 'LogsAndContainerScan', 'default'],
    'default',
  );
  const blobSource = source === 'default' ? settings.blobSource : source;
  return {
    method: 'storageBlob',
    options: {
      path: opt('path') ?? `${def.bucket}/{name}`,
      connection: opt('connection') ?? settings.connections.storage,
      ...(blobSource ? { source: blobSource } : {}),
    },
  };
}

/**
 * Event Hubs, cardinality many. The trigger checkpoints a partition after each invocation whether it
 * failed or not; only a retry policy makes the host re-run a failed batch before checkpointing. So every
 * Event Hub function gets one (infinite by default: at-least-once, in order).
 */
function eventHub(
  name: string,
  def: FunctionDefinition,
  hub: string,
  settings: AzureSettings,
): RegistrationPlan {
  const consumerGroup = optionString(def, 'consumerGroup', name);
  const r = settings.eventHubRetry;
  return {
    method: 'eventHub',
    options: {
      eventHubName: optionString(def, 'eventHubName', name) ?? hub,
      connection: optionString(def, 'connection', name) ?? settings.connections.eventHub,
      cardinality: 'many',
      ...(consumerGroup ? { consumerGroup } : {}),
      retry: {
        strategy: 'exponentialBackoff',
        maxRetryCount: r.maxRetryCount,
        minimumInterval: r.minimumIntervalMs,
        maximumInterval: r.maximumIntervalMs,
      },
    },
  };
}
