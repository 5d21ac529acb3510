import type { ProviderBinding } from '@polycloud/core/adapter';
import { resolveSettings } from './options.ts';
import { type AzureProviderOptions, azureBinding } from './provider-binding.ts';

/**
 * The Azure ProviderBinding: FunctionClient over HTTPS, Queue over Storage Queues or Service Bus,
 * Topic over Service Bus or Event Grid (per name, from config), Storage over Blob Storage, console
 * logs at cold start, functionTimeout. Resolves the settings unless given.
 *
 * @example
 * const runtime = new AppRuntime(app, azureProvider({ app, config }), { config });
 */
export function azureProvider(options: AzureProviderOptions): ProviderBinding {
  const settings =
    options.settings ?? resolveSettings(options.config, options.app.name, options.env ?? process.env);
  return azureBinding(options, settings);
}

export type { AzureProviderOptions };
