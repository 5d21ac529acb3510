import { type App, FunctionClient, type PolycloudConfig, Queue, Storage, Topic } from '@polycloud/core';
import {
  lazyLoad,
  lazyService,
  type ProviderBinding,
  provide,
  resolveConfig,
  STORAGE_METHODS,
} from '@polycloud/core/adapter';
import { consoleSink } from './invocation-logger.ts';
import type { AzureSettings } from './options.ts';

export interface AzureProviderOptions {
  app: App;
  config?: PolycloudConfig;
  /** App settings; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Already resolved settings (register passes its own). */
  settings?: AzureSettings;
}

/**
 * The Azure ProviderBinding: FunctionClient over HTTPS, Queue over Storage Queues or Service Bus,
 * Topic over Service Bus or Event Grid (per name, from config), Storage over Blob Storage, console
 * logs at cold start, functionTimeout; over settings already resolved (`azureProvider` resolves them).
 * @coldStart
 */
export function azureBinding(options: AzureProviderOptions, settings: AzureSettings): ProviderBinding {
  const env = options.env ?? process.env;
  const details: Record<string, string> = {};
  if (env.WEBSITE_SITE_NAME) details.site = env.WEBSITE_SITE_NAME;
  if (env.WEBSITE_OWNER_NAME) details.subscription = env.WEBSITE_OWNER_NAME.split('+')[0]!;
  // Queue and Topic share one routing of names to backends, imported and built on the first send or
  // publish (as on AWS: an http function's cold start never parses it); a failed load is retried.
  const messaging = lazyLoad(() =>
    import('./clients/messaging-routes.ts').then((m) => m.azureMessaging(options.config, settings, env)),
  );
  return {
    name: 'azure',
    services: [
      // The client and the invoke envelope load on the first invoke: an http function's cold start
      // then loads one chunk of polycloud instead of two (the envelope's code shared with it).
      provide(FunctionClient, () =>
        lazyService<FunctionClient>(['invoke'], () =>
          import('./clients/function-client.ts').then(
            (m) => new m.AzureFunctionClient(options.app, settings),
          ),
        ),
      ),
      // Each backend's SDK is imported on its first send, after the routing.
      provide(Queue, () => lazyService<Queue>(['send'], () => messaging().then((m) => m.queue))),
      provide(Topic, () => lazyService<Topic>(['publish'], () => messaging().then((m) => m.topic))),
      // @azure/storage-blob and the client module are imported on the first Storage call.
      provide(Storage, () => {
        const config = options.config ?? resolveConfig({ provider: 'azure' }, {});
        return lazyService<Storage>(STORAGE_METHODS, () =>
          import('./clients/blob-storage.ts').then((m) =>
            m.createBlobStorage(config, settings.connections.storage, env),
          ),
        );
      }),
    ],
    sink: consoleSink,
    info: { ...(env.REGION_NAME ? { region: env.REGION_NAME } : {}), details },
    defaultTimeoutMs: settings.functionTimeoutMs,
    abortMarginMs: 1_000,
  };
}
