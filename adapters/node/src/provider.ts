import { join, resolve } from 'node:path';
import {
  type App,
  ConfigError,
  FunctionClient,
  type PolycloudConfig,
  Queue,
  Storage,
  Topic,
} from '@polycloud/core';
import {
  AppRuntime,
  jsonLineSink,
  lazyService,
  type ProvidedService,
  type ProviderBinding,
  provide,
  resolveConfig,
  STORAGE_METHODS,
} from '@polycloud/core/adapter';
import { bucketResolver } from '@polycloud/core/clients/storage-buckets';
import type { FolderStorage } from './clients/folder-storage.ts';
import { createInProcessFunctionClient } from './clients/function-client.ts';
import { createBrokerQueue } from './clients/queue-client.ts';
import { createBrokerTopic } from './clients/topic-client.ts';
import { type BrokerChoice, chooseBroker } from './events/broker-choice.ts';
import type { MessageBroker } from './events/message-broker.ts';

const brokers = new WeakMap<AppRuntime, MessageBroker>();

/**
 * The broker of a node runtime (one per runtime, created on first use): in-memory unless
 * `providers.node.broker` or `POLYCLOUD_NATS_URL` names a NATS server (see broker-choice.ts).
 * @coldStart
 */
export function brokerFor(
  runtime: AppRuntime,
  options?: BrokerChoice,
  defaultTimeoutMs?: number,
): MessageBroker {
  let broker = brokers.get(runtime);
  if (!broker) {
    broker = chooseBroker(runtime, options, defaultTimeoutMs ?? 30_000);
    brokers.set(runtime, broker);
  }
  return broker;
}

/** JSON `{ logicalName: folderName }` for Storage buckets, merged under `providers.node.buckets`. */
export const BUCKETS_ENV = 'POLYCLOUD_NODE_BUCKETS';

interface StorageState {
  /** Set by `serve` once it listens: signed URLs point at its `/_polycloud/storage/` route. */
  baseUrl?: string;
  /** Made with the folder Storage: a server that never signs a URL never loads node:crypto (issue 12). */
  secret?: Uint8Array;
  storage?: Promise<FolderStorage>;
}
const storageStates = new WeakMap<AppRuntime, StorageState>();
const storageDirs = new WeakMap<AppRuntime, string>();

/** @coldStart */
function storageState(runtime: AppRuntime): StorageState {
  let state = storageStates.get(runtime);
  if (!state) {
    // A fresh key per runtime: signed URLs stop working when the process restarts, as rotating keys do.
    state = {};
    storageStates.set(runtime, state);
  }
  return state;
}

/**
 * Points the runtime's signed Storage URLs at a listening server (called by `serve`).
 * @coldStart
 */
export function setStorageBaseUrl(runtime: AppRuntime, url: string): void {
  storageState(runtime).baseUrl = url;
}

/**
 * The runtime's folder Storage (created on first use, its module imported then): objects live under
 * `storageDir` (option, else `providers.node.storageDir`, else `.polycloud/storage` in the working
 * directory); puts and deletes notify the app's storage functions through the broker.
 */
export function folderStorageFor(runtime: AppRuntime): Promise<FolderStorage> {
  const state = storageState(runtime);
  state.storage ??= import('./clients/folder-storage.ts').then(({ FolderStorage }) => {
    const config = runtime.config;
    const bucket = bucketResolver(config, 'node', BUCKETS_ENV);
    const broker = brokerFor(runtime);
    state.secret ??= process.getBuiltinModule('node:crypto').randomBytes(32);
    const secret = state.secret;
    return new FolderStorage({
      root: storageDir(runtime),
      bucket,
      signer: {
        baseUrl: () => state.baseUrl,
        secret,
      },
      onChange: (event) => {
        const targets = [...runtime.functions.values()].filter(
          (f) =>
            f.def.kind === 'storage' &&
            bucket(f.def.bucket) === event.bucket &&
            f.def.events.includes(event.type),
        );
        if (targets.length > 0) broker.notify(targets, event);
      },
    });
  });
  state.storage.catch(() => {
    state.storage = undefined;
  });
  return state.storage;
}

function storageDir(runtime: AppRuntime): string {
  const explicit = storageDirs.get(runtime);
  if (explicit) return resolve(explicit);
  const configured = runtime.config.providers.node?.storageDir;
  if (configured !== undefined && (typeof configured !== 'string' || configured === ''))
    throw new ConfigError('providers.node.storageDir must be a folder path');
  return resolve(configured ?? join('.polycloud', 'storage'));
}

/**
 * Node's services: functions call each other in-process, Queue and Topic deliver to the in-memory
 * broker, Storage is a local folder whose changes reach storage functions through that broker.
 */
export const nodeServices: readonly ProvidedService[] = [
  provide(FunctionClient, (get) => createInProcessFunctionClient(get(AppRuntime))),
  provide(Queue, (get) => createBrokerQueue(brokerFor(get(AppRuntime)))),
  provide(Storage, (get) => {
    const runtime = get(AppRuntime);
    return lazyService<Storage>(STORAGE_METHODS, () => folderStorageFor(runtime));
  }),
  provide(Topic, (get) => createBrokerTopic(brokerFor(get(AppRuntime)))),
];

export interface NodeRuntimeOptions {
  config?: PolycloudConfig;
  /** Default function timeout (ms) where a function does not set one; default 30 s. */
  timeoutMs?: number;
  /**
   * In-memory broker options, or `{ kind: 'nats', url, ... }` for JetStream (overrides
   * `providers.node.broker` in the config and the `POLYCLOUD_NATS_URL` environment variable).
   */
  broker?: BrokerChoice;
  /** Folder of the local Storage; default `providers.node.storageDir`, else `.polycloud/storage`. */
  storageDir?: string;
}

/** @coldStart */
export function nodeProvider(options: NodeRuntimeOptions = {}): ProviderBinding {
  return {
    name: 'node',
    services: nodeServices,
    sink: jsonLineSink,
    info: { details: { pid: String(process.pid) } },
    defaultTimeoutMs: options.timeoutMs ?? 30_000,
  };
}

/** @coldStart */
export function createNodeRuntime(app: App, options: NodeRuntimeOptions = {}): AppRuntime {
  const runtime = new AppRuntime(app, nodeProvider(options), {
    config: options.config ?? resolveConfig({ provider: 'node' }, {}),
  });
  brokerFor(runtime, options.broker, options.timeoutMs);
  if (options.storageDir) storageDirs.set(runtime, options.storageDir);
  return runtime;
}
