import type { ServiceKey } from './tokens.ts';

/**
 * Resolves a service by key, inside a provided service's factory: the runtime's built-in services
 * (`Config`, `ProviderInfo`, `Logger`, `AppRuntime`) and the provider's other services.
 */
export type ResolveService = <T>(key: ServiceKey<T>) => T;

/**
 * One service a provider implements (FunctionClient, Queue, Topic, Storage): its key and how to
 * build it. Built once per cold start, on the first `ctx.get` of its key, without a DI container:
 * an app that declares no container modules never loads inversify.
 */
export interface ProvidedService<T = unknown> {
  readonly key: ServiceKey<T>;
  readonly create: (get: ResolveService) => T;
}

/**
 * Declares a service of a provider binding.
 *
 * @example
 * const services = [
 *   provide(Queue, (get) => lazyService<Queue>(['send'], () => import('./clients/queue-client.ts').then((m) => m.createSqsQueue(get(Config))))),
 * ];
 */
export function provide<T>(key: ServiceKey<T>, create: (get: ResolveService) => T): ProvidedService<T> {
  return { key, create };
}
