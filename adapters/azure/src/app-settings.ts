import type { PolycloudConfig } from '@polycloud/core';

/** The part of `AzureSettings` the app settings give (typed here: options.ts imports this module). */
export interface AppSettings {
  baseUrl?: string;
  functionKey?: string;
  masterKey?: string;
}

/**
 * The settings the function app's app settings give, over settings resolved from the config alone:
 * the FunctionClient's base URL and keys. Apart from `resolveSettings` because they are read at cold
 * start, where everything else is resolved (and validated) when `polycloud build` writes the entry
 * (`handlePrepared`); `resolveSettings` ends with this same step. A value the config sets, even an
 * empty one, wins over the app setting.
 *
 * @example
 * ```ts
 * const settings = withAppSettings(prepared.settings, config, process.env);
 * ```
 * @coldStart
 */
export function withAppSettings<S extends AppSettings>(
  settings: S,
  config: PolycloudConfig | undefined,
  env: NodeJS.ProcessEnv,
): S {
  const raw = (config?.providers.azure ?? {}) as AppSettings;
  const out = { ...settings };
  if (!out.baseUrl) {
    const baseUrl = raw.baseUrl ?? env.POLYCLOUD_AZURE_BASE_URL;
    if (baseUrl) out.baseUrl = baseUrl.replace(/\/+$/, '');
    else if (env.WEBSITE_HOSTNAME) out.baseUrl = `https://${env.WEBSITE_HOSTNAME}`;
  }
  if (!out.functionKey) {
    const functionKey = raw.functionKey ?? env.POLYCLOUD_AZURE_FUNCTION_KEY;
    if (functionKey) out.functionKey = functionKey;
  }
  if (!out.masterKey) {
    const masterKey = raw.masterKey ?? env.POLYCLOUD_AZURE_MASTER_KEY;
    if (masterKey) out.masterKey = masterKey;
  }
  return out;
}
