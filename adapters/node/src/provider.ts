import { type App, FunctionClient, type PolycloudConfig, Queue, Storage, Topic } from '@polycloud/core';
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
import type { FolderStorage } from './clients/folder-storage.ts';
import { createInProcessFunctionClient } from './clients/function-client.ts';
import { createBrokerQueue } from './clients/queue-client.ts';
import { createBrokerTopic } from './clients/topic-client.ts';
import type { BrokerChoice } from './events/broker-choice.ts';
import { DeferredBroker } from './events/deferred-broker.ts';
import type { MessageBroker } from './events/message-broker.ts';

const brokers = new WeakMap<AppRuntime, MessageBroker>();

/**
 * The broker of a node runtime (one per runtime, created on first use): in-memory unless
 * `providers.node.broker` or `POLYCLOUD_NATS_URL` names a NATS server (see broker-choice.ts). Its
 * code is imported when it is first used (see events/deferred-broker.ts).
 * @coldStart
 */
export function brokerFor(
  runtime: AppRuntime,
  options?: BrokerChoice,
  defaultTimeoutMs?: number,
): MessageBroker {
  let broker = brokers.get(runtime);
  if (!broker) {
    broker = new DeferredBroker(runtime, options, defaultTimeoutMs ?? 30_000);
    brokers.set(runtime, broker);
  }
  return broker;
}

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
 * The runtime's folder Storage (created on first use, its modules imported then: see
 * clients/runtime-folder-storage.ts for where its objects live and whom its changes notify).
 */
export function folderStorageFor(runtime: AppRuntime): Promise<FolderStorage> {
  const state = storageState(runtime);
  state.storage ??= import('./clients/runtime-folder-storage.ts').then(({ runtimeFolderStorage }) => {
    state.secret ??= process.getBuiltinModule('node:crypto').randomBytes(32);
    const secret = state.secret;
    return runtimeFolderStorage(
      runtime,
      storageDirs.get(runtime),
      { baseUrl: () => state.baseUrl, secret },
      brokerFor(runtime),
    );
  });
  state.storage.catch(() => {
    state.storage = undefined;
  });
  return state.storage;
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
