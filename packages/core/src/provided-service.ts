import type { ServiceKey } from './tokens.ts';

/**
 * Resolves a service by key, inside a provided service's factory: the runtime's built-in services
 * (`Config`, `ProviderInfo`, `Logger`), the provider's services and the app's.
 *
 * @example
 * const create = (get: ResolveService) => new OrderStore(get(Storage), get(Config));
 */
export type ResolveService = <T>(key: ServiceKey<T>) => T;

/**
 * One service a provider or an app implements (FunctionClient, Queue, Topic, Storage, an app's own
 * store): its key and how to build it. Built once per cold start, on the first `ctx.get` of its key,
 * without a DI container: an app that declares no container modules never loads inversify.
 *
 * @example
 * const services: ProvidedService[] = [provide(OrderStore, (get) => new OrderStore(get(Storage)))];
 * export default defineApp({ services, functions });
 */
export interface ProvidedService<T = unknown> {
  readonly key: ServiceKey<T>;
  readonly create: (get: ResolveService) => T;
}

/**
 * Declares a service: its key and the factory that builds it on first use. Apps list theirs in
 * `defineApp({ services })`; adapters list the provider's in their binding.
 *
 * @example
 * interface Prices { price(sku: string): number }
 * const Prices = token<Prices>('Prices');
 * export default defineApp({
 *   services: [provide(Prices, () => ({ price: (sku) => sku.length * 100 }))],
 *   functions: { price: http('GET /price/:sku', (req, ctx) => ctx.get(Prices).price(req.params.sku)) },
 * });
 * @coldStart
 */
export function provide<T>(key: ServiceKey<T>, create: (get: ResolveService) => T): ProvidedService<T> {
  return { key, create };
}
