import { type App, FunctionClient, type PolycloudConfig, Queue, Topic } from '@polycloud/core';
import type { ProviderBinding } from '@polycloud/core/adapter';
import { ContainerModule } from 'inversify';
import { AzureFunctionClient } from './clients/function-client.ts';
import { createStorageQueue } from './clients/queue-client.ts';
import { unavailableTopic } from './clients/topic-client.ts';
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
 * The Azure ProviderBinding: FunctionClient over HTTPS, Queue over Storage Queues, Topic as a clear
 * "needs Service Bus" error, console logs at cold start, functionTimeout.
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
        bind(FunctionClient).toConstantValue(new AzureFunctionClient(options.app, settings));
        // Building it loads no SDK: @azure/storage-queue is imported on the first send.
        bind(Queue).toConstantValue(createStorageQueue(settings.connections.storage, env));
        bind(Topic).toConstantValue(unavailableTopic);
      }),
    sink: consoleSink,
    info: { ...(env.REGION_NAME ? { region: env.REGION_NAME } : {}), details },
    defaultTimeoutMs: settings.functionTimeoutMs,
    abortMarginMs: 1_000,
  };
}
