import { type App, FunctionClient, type PolycloudConfig, Queue, Topic } from '@polycloud/core';
import {
  AppRuntime,
  jsonLineSink,
  newRequestId,
  type ProviderBinding,
  resolveConfig,
  toError,
} from '@polycloud/core/adapter';
import { ContainerModule } from 'inversify';
import { type BrokerOptions, MemoryBroker } from './events/broker.ts';

const brokers = new WeakMap<AppRuntime, MemoryBroker>();

/** The in-memory broker of a node runtime (one per runtime, created on first use). */
export function brokerFor(runtime: AppRuntime, options?: BrokerOptions): MemoryBroker {
  let broker = brokers.get(runtime);
  if (!broker) {
    broker = new MemoryBroker(runtime, options);
    brokers.set(runtime, broker);
  }
  return broker;
}

/** Node's services: functions call each other in-process, Queue and Topic deliver to the in-memory broker. */
export const nodeModule = (): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(FunctionClient).toDynamicValue(({ get }) => {
      const runtime = get(AppRuntime);
      return {
        async invoke<T>(name: string, payload?: unknown, options?: { async?: boolean }) {
          const requestId = newRequestId();
          if (options?.async) {
            // Fire and forget like Lambda's Event invocation: failures are logged, not thrown at the caller.
            runtime.invokeByName(name, payload, { requestId }).catch((error: unknown) => {
              runtime.log.error('async invocation failed', {
                function: name,
                requestId,
                error: toError(error),
              });
            });
            return undefined;
          }
          return (await runtime.invokeByName(name, payload, { requestId })) as T;
        },
      } satisfies FunctionClient;
    });
    bind(Queue).toDynamicValue(({ get }) => {
      const broker = brokerFor(get(AppRuntime));
      return { send: async (queue, body, options) => broker.send(queue, body, options) } satisfies Queue;
    });
    bind(Topic).toDynamicValue(({ get }) => {
      const broker = brokerFor(get(AppRuntime));
      return {
        publish: async (topic, body, options) => broker.publish(topic, body, options),
      } satisfies Topic;
    });
  });

export interface NodeRuntimeOptions {
  config?: PolycloudConfig;
  /** Default function timeout (ms) where a function does not set one; default 30 s. */
  timeoutMs?: number;
  broker?: BrokerOptions;
}

export function nodeProvider(options: NodeRuntimeOptions = {}): ProviderBinding {
  return {
    name: 'node',
    module: nodeModule,
    sink: jsonLineSink,
    info: { details: { pid: String(process.pid) } },
    defaultTimeoutMs: options.timeoutMs ?? 30_000,
  };
}

export function createNodeRuntime(app: App, options: NodeRuntimeOptions = {}): AppRuntime {
  const runtime = new AppRuntime(app, nodeProvider(options), {
    config: options.config ?? resolveConfig({ provider: 'node' }, {}),
  });
  brokerFor(runtime, options.broker);
  return runtime;
}
