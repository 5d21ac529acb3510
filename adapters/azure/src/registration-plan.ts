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
import type { App, PolycloudConfig } from '@polycloud/core';
import { type FunctionDefinition, HTTP_METHODS } from '@polycloud/core/adapter';
import { toNcrontab } from './events/ncrontab.ts';
import { REST_PARAM, toMethods, toRouteTemplate } from './http/route-template.ts';
import {
  type AuthLevel,
  type AzureSettings,
  optionOneOf,
  optionString,
  type QueueTrigger,
  resolveSettings,
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

/**
 * What can be resolved from the config and the app alone, before the cold start: `polycloud build`
 * resolves it (`prepareApp`) and writes it into the entry, so the cold start neither validates the
 * `providers.azure` options nor turns routes into host route templates, and the startup file
 * carries none of that code (issue 12). With the catch-all's handler loaded on its first request
 * (`handlePrepared`), measured on `test/cold-start/apps/plain` (import + first request, CPU): 0.35 ms
 * less, median of the paired differences of 41 interleaved fresh processes on a loaded machine;
 * the startup file 36.1 → 34.1 KB.
 */
export interface PreparedApp {
  /** Resolved from the config alone; the app settings are added at cold start (`withAppSettings`). */
  settings: AzureSettings;
  /** Each http function's registration, by name (a function that is not http is planned by its entry). */
  plans: Record<string, RegistrationPlan>;
  /** The `polycloud-routes` catch-all's registration, when the app needs one (`planRoutesFallback`). */
  routesFallback?: RegistrationPlan;
}

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
 * The settings (from the config alone) and the http functions' registrations of an app: what
 * `polycloud build` writes into the entry for `handlePrepared`. Throws `ConfigError` for invalid
 * `providers.azure` options, of the app or of a function.
 *
 * @example
 * ```ts
 * handlePrepared(app, { config }, prepareApp(app, config), {});
 * ```
 */
export function prepareApp(app: App, config: PolycloudConfig): PreparedApp {
  const settings = resolveSettings(config, app.name, {});
  const plans: Record<string, RegistrationPlan> = {};
  for (const [name, def] of app.functions)
    if (def.kind === 'http') plans[name] = planHttp(name, def, settings);
  const routesFallback = planRoutesFallback(app);
  return routesFallback ? { settings, plans, routesFallback } : { settings, plans };
}

/**
 * The host answers a request no trigger matches (a wrong method included) with an empty 404, where
 * node answers `405` with `Allow`, or a JSON 404. A catch-all trigger (`{*path}`, every method,
 * anonymous) takes what the app's routes leave, and core answers it the way the node router does
 * (`http/routes-fallback.ts`).
 *
 * The host does not rank routes by specificity: it maps them in function-name order
 * (FunctionMetadataManager sorts by name, OrdinalIgnoreCase) into a RouteCollection that takes the
 * first match (WebJobsRouteBuilder), so this trigger also receives the requests of every http
 * function named after `polycloud-routes` (`updateTodo`, say). None when the app has no http
 * function, or its own root catch-all.
 */
export function planRoutesFallback(app: App): RegistrationPlan | undefined {
  const http = [...app.functions.values()].filter((def) => def.kind === 'http');
  if (http.length === 0) return undefined;
  if (http.some((def) => def.route.path === '/*' && def.route.methods.length === 0)) return undefined;
  return {
    method: 'http',
    options: { route: `{*${REST_PARAM}}`, methods: [...HTTP_METHODS], authLevel: 'anonymous' },
  };
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
