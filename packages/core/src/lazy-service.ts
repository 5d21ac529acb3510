/**
 * A service whose implementation is imported on the first call of any of its methods: the container
 * resolves synchronously, and a function that never calls the service loads neither its module (a
 * chunk of the split bundle) nor its provider SDK. A failed load is retried on the next call.
 *
 * @example
 * bind(Storage).toConstantValue(
 *   lazyService<Storage>(STORAGE_METHODS, () => import('./clients/s3-storage.ts').then((m) => m.createS3Storage(config))),
 * );
 */
export function lazyService<T extends object>(
  methods: readonly (keyof T & string)[],
  load: () => Promise<T>,
): T {
  const service = lazyLoad(load);
  const out: Record<string, unknown> = {};
  for (const method of methods) {
    out[method] = async (...args: unknown[]) => {
      const real = await service();
      return (real[method] as (...args: unknown[]) => unknown).apply(real, args);
    };
  }
  return out as T;
}

/**
 * `load`, called on first use and shared by every later caller; a load that failed is tried again by
 * the next caller (a module that failed to import once, a client whose setup threw).
 *
 * @example
 * const publisher = lazyLoad(() => import('./clients/pubsub-publisher.ts').then((m) => m.createPubSubPublisher(options)));
 * await (await publisher()).publish(topic, data);
 * @coldStart
 */
export function lazyLoad<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (!loading) {
      loading = load();
      loading.catch(() => {
        loading = undefined;
      });
    }
    return loading;
  };
}
