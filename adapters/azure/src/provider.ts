import { type App, FunctionClient, type PolycloudConfig, Queue, Storage, Topic } from '@polycloud/core';
import { lazyService, type ProviderBinding, resolveConfig, STORAGE_METHODS } from '@polycloud/core/adapter';
import { ContainerModule } from 'inversify';
import { azureMessaging } from './clients/messaging-routes.ts';
import { consoleSink } from './invocation-logger.ts';
import { type AzureSettings, resolveSettings } from './options.ts';

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
 * logs at cold start, functionTimeout.
 */
export function azureProvider(options: AzureProviderOptions): ProviderBinding {
  const env = options.env ?? process.env;
  const settings = options.settings ?? resolveSettings(options.config, options.app.name, env);
  const details: Record<string, string> = {};
  if (env.WEBSITE_SITE_NAME) details.site = env.WEBSITE_SITE_NAME;
  if (env.WEBSITE_OWNER_NAME) details.subscription = env.WEBSITE_OWNER_NAME.split('+')[0]!;
  return {
    name: 'azure',
    // A thunk: inversify is loaded only when a function first resolves a service.
    module: () =>
      new ContainerModule(({ bind }) => {
        // The client and the invoke envelope load on the first invoke: an http function's cold start
        // then loads one chunk of polycloud instead of two (the envelope's code shared with it).
        bind(FunctionClient).toConstantValue(
          lazyService<FunctionClient>(['invoke'], () =>
            import('./clients/function-client.ts').then(
              (m) => new m.AzureFunctionClient(options.app, settings),
            ),
          ),
        );
        // Building them loads no SDK: each backend is imported on its first send.
        const messaging = azureMessaging(options.config, settings, env);
        bind(Queue).toConstantValue(messaging.queue);
        bind(Topic).toConstantValue(messaging.topic);
        // @azure/storage-blob and the client module are imported on the first Storage call.
        const config = options.config ?? resolveConfig({ provider: 'azure' }, {});
        bind(Storage).toConstantValue(
          lazyService<Storage>(STORAGE_METHODS, () =>
            import('./clients/blob-storage.ts').then((m) =>
              m.createBlobStorage(config, settings.connections.storage, env),
            ),
          ),
        );
      }),
    sink: consoleSink,
    info: { ...(env.REGION_NAME ? { region: env.REGION_NAME } : {}), details },
    defaultTimeoutMs: settings.functionTimeoutMs,
    abortMarginMs: 1_000,
  };
}
