import { ConfigError, type PolycloudConfig } from '@polycloud/core';
import type { FunctionDefinition } from '@polycloud/core/adapter';
import { withAppSettings } from './app-settings.ts';

export type QueueTrigger = 'storage' | 'serviceBus' | 'eventHub';
export type TopicTrigger = 'serviceBus' | 'eventGrid' | 'eventHub';
export type StorageTrigger = 'blob' | 'eventGrid';
export type AuthLevel = 'anonymous' | 'function' | 'admin';

/**
 * The `providers.azure` section of polycloud.config, resolved with its defaults. Every key is optional:
 *
 * | key | default | meaning |
 * |---|---|---|
 * | `routePrefix` | `'api'` | host.json `extensions.http.routePrefix`; stripped from the neutral path |
 * | `authLevel` | `'function'` | http trigger auth level (`anonymous`, `function`, `admin`) |
 * | `functionTimeout` | `'00:05:00'` | host.json `functionTimeout` (consumption default); the deadline derives from it |
 * | `appServiceAuth` | `false` | App Service authentication (Easy Auth) is on: `x-ms-client-principal` becomes `identity` |
 * | `queue` | `'storage'` | trigger of queue functions: `storage`, `serviceBus`, `eventHub` |
 * | `topic` | `'serviceBus'` | trigger of topic functions: `serviceBus`, `eventGrid`, `eventHub` |
 * | `storage` | `'blob'` if only `created` is wanted, else `'eventGrid'` | trigger of storage functions |
 * | `blobSource` | (host default) | blob trigger `source`: `EventGrid` or `LogsAndContainerScan` |
 * | `connections` | `{ storage: 'AzureWebJobsStorage', serviceBus: 'ServiceBusConnection', eventHub: 'EventHubConnection' }` | app-setting names |
 * | `subscriptionName` | the app name | Service Bus topic subscription |
 * | `baseUrl` | `https://$WEBSITE_HOSTNAME` | FunctionClient target; app setting `POLYCLOUD_AZURE_BASE_URL` |
 * | `functionKey` | app setting `POLYCLOUD_AZURE_FUNCTION_KEY` | `x-functions-key` for http targets |
 * | `masterKey` | app setting `POLYCLOUD_AZURE_MASTER_KEY` | `x-functions-key` for non-http targets (admin endpoint) |
 * | `eventHubRetry` | `{ maxRetryCount: -1, minimumIntervalMs: 5000, maximumIntervalMs: 900000 }` | retry policy of Event Hub functions |
 *
 * A function's own `providers.azure` options override per function: `queue` / `topic` / `storage` (trigger),
 * `connection`, `queueName`, `topicName`, `subscriptionName`, `eventHubName`, `consumerGroup`, `path`,
 * `authLevel`, `isSessionsEnabled`.
 */
export interface AzureSettings {
  routePrefix: string;
  authLevel: AuthLevel;
  functionTimeout: string;
  functionTimeoutMs: number;
  appServiceAuth: boolean;
  queue: QueueTrigger;
  topic: TopicTrigger;
  storage?: StorageTrigger;
  blobSource?: 'EventGrid' | 'LogsAndContainerScan';
  connections: { storage: string; serviceBus: string; eventHub: string };
  subscriptionName: string;
  baseUrl?: string;
  functionKey?: string;
  masterKey?: string;
  eventHubRetry: { maxRetryCount: number; minimumIntervalMs: number; maximumIntervalMs: number };
}

/** HTTP responses on Azure are cut at 230 s by the front-end load balancer, whatever functionTimeout says. */
export const HTTP_RESPONSE_LIMIT_MS = 230_000;

const WHERE = 'providers.azure';

/** host.json `functionTimeout` on the Consumption plan when the app sets none: five minutes. */
const DEFAULT_FUNCTION_TIMEOUT = '00:05:00';
const DEFAULT_FUNCTION_TIMEOUT_MS = 300_000;

export function resolveSettings(
  config: PolycloudConfig | undefined,
  appName: string,
  env: NodeJS.ProcessEnv = process.env,
): AzureSettings {
  const raw = (config?.providers.azure ?? {}) as Record<string, unknown>;
  const timeoutSetting = str(raw, 'functionTimeout');
  const functionTimeout = timeoutSetting ?? DEFAULT_FUNCTION_TIMEOUT;
  const prefixSetting = str(raw, 'routePrefix');
  const connections = (raw.connections ?? {}) as Record<string, unknown>;
  const retry = (raw.eventHubRetry ?? {}) as Record<string, unknown>;
  const settings: AzureSettings = {
    // The defaults are taken as they are: the first run of a regular expression compiles it, and
    // resolving the default settings took 0.52-0.63 ms of CPU before, 0.23-0.54 ms after (median of
    // 7 fresh Node 20 processes each, on a loaded machine; issue 12).
    routePrefix: prefixSetting === undefined ? 'api' : trimSlashes(prefixSetting),
    authLevel: oneOf(raw, 'authLevel', ['anonymous', 'function', 'admin'], 'function'),
    functionTimeout,
    functionTimeoutMs:
      timeoutSetting === undefined
        ? DEFAULT_FUNCTION_TIMEOUT_MS
        : parseTimeSpan(timeoutSetting, `${WHERE}.functionTimeout`),
    appServiceAuth: raw.appServiceAuth === true,
    queue: oneOf(raw, 'queue', ['storage', 'serviceBus', 'eventHub'], 'storage'),
    topic: oneOf(raw, 'topic', ['serviceBus', 'eventGrid', 'eventHub'], 'serviceBus'),
    connections: {
      storage: str(connections, 'storage') ?? 'AzureWebJobsStorage',
      serviceBus: str(connections, 'serviceBus') ?? 'ServiceBusConnection',
      eventHub: str(connections, 'eventHub') ?? 'EventHubConnection',
    },
    subscriptionName: str(raw, 'subscriptionName') ?? config?.app ?? appName,
    eventHubRetry: {
      maxRetryCount: num(retry, 'maxRetryCount') ?? -1,
      minimumIntervalMs: num(retry, 'minimumIntervalMs') ?? 5_000,
      maximumIntervalMs: num(retry, 'maximumIntervalMs') ?? 900_000,
    },
  };
  if (raw.storage !== undefined)
    settings.storage = oneOf<StorageTrigger>(raw, 'storage', ['blob', 'eventGrid'], 'blob');
  if (raw.blobSource !== undefined)
    settings.blobSource = oneOf<'EventGrid' | 'LogsAndContainerScan'>(
      raw,
      'blobSource',
      ['EventGrid', 'LogsAndContainerScan'],
      'EventGrid',
    );
  // Validated here; taken from the config, else from the app settings, by `withAppSettings`.
  str(raw, 'baseUrl');
  str(raw, 'functionKey');
  str(raw, 'masterKey');
  return withAppSettings(settings, config, env);
}

/**
 * A function's `providers.azure` options (validated lazily, where each is used).
 */
export function functionOptions(def: FunctionDefinition): Record<string, unknown> {
  return (def.options.providers?.azure ?? {}) as Record<string, unknown>;
}

export function optionString(def: FunctionDefinition, key: string, name: string): string | undefined {
  const value = functionOptions(def)[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(`function "${name}": providers.azure.${key} must be a non-empty string`);
  return value;
}

export function optionOneOf<T extends string>(
  def: FunctionDefinition,
  key: string,
  name: string,
  valid: readonly T[],
  fallback: T,
): T {
  const value = functionOptions(def)[key];
  if (value === undefined) return fallback;
  if (!valid.includes(value as T))
    throw new ConfigError(
      `function "${name}": providers.azure.${key} is "${String(value)}"; valid: ${valid.join(', ')}`,
    );
  return value as T;
}

/** Azure TimeSpan `[d.]hh:mm:ss`; `-1` (unbounded, Premium/Dedicated) counts as one day. */
export function parseTimeSpan(value: string, where: string): number {
  if (value === '-1') return 86_400_000;
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) throw new ConfigError(`${where} is "${value}"; expected hh:mm:ss (e.g. "00:05:00")`);
  const [, d, h, min, s] = m;
  const ms = (((Number(d ?? 0) * 24 + Number(h)) * 60 + Number(min)) * 60 + Number(s)) * 1000;
  if (ms <= 0) throw new ConfigError(`${where} must be longer than zero`);
  return ms;
}

function str(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${WHERE}.${key} must be a string`);
  return value;
}

function num(raw: Record<string, unknown>, key: string): number | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ConfigError(`${WHERE}.eventHubRetry.${key} must be a number`);
  return value;
}

function oneOf<T extends string>(
  raw: Record<string, unknown>,
  key: string,
  valid: readonly T[],
  fallback: T,
): T {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (!valid.includes(value as T))
    throw new ConfigError(`${WHERE}.${key} is "${String(value)}"; valid: ${valid.join(', ')}`);
  return value as T;
}

function trimSlashes(value: string): string {
  return value.replace(/^\/+|\/+$/g, '');
}

/**
 * The Azure adapter's one options type: what `handle(app, options)` takes.
 *
 * @example
 * handle(app, { config, env: process.env });
 */
export interface AzureOptions {
  /** The resolved polycloud config (the built entry inlines it); defaults to provider azure, no settings. */
  config?: PolycloudConfig;
  /** App settings; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Register with the host (default true). False only builds the handlers. */
  register?: boolean;
}
