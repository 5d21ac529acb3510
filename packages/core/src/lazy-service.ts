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
  let service: Promise<T> | undefined;
  const out: Record<string, unknown> = {};
  for (const method of methods) {
    out[method] = async (...args: unknown[]) => {
      if (!service) {
        service = load();
        service.catch(() => {
          service = undefined;
        });
      }
      const real = await service;
      return (real[method] as (...args: unknown[]) => unknown).apply(real, args);
    };
  }
  return out as T;
}
