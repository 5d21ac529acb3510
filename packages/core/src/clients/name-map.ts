import type { PolycloudConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { ProviderName } from '../services.ts';

/**
 * A name map of the config (`providers.<provider>.<key>`: buckets, queue URLs, topic ARNs) merged
 * over its environment twin (a JSON variable, as a deployment template sets it): config entries win.
 * Errors name the failing config path or variable.
 *
 * @example
 * // POLYCLOUD_AWS_QUEUE_URLS='{"orders":"https://sqs.eu-west-1.amazonaws.com/1/prod-orders"}'
 * const urls = nameMap(config, 'aws', 'queueUrls', 'POLYCLOUD_AWS_QUEUE_URLS', process.env);
 * urls.orders; // 'https://sqs.eu-west-1.amazonaws.com/1/prod-orders'
 */
export function nameMap(
  config: PolycloudConfig,
  provider: ProviderName,
  key: string,
  envName: string,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const raw = env[envName];
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ConfigError(`${envName} is not JSON: ${raw.slice(0, 80)}`);
    }
    copyNames(parsed, envName, out);
  }
  const configured = (config.providers[provider] as Record<string, unknown> | undefined)?.[key];
  if (configured !== undefined) copyNames(configured, `providers.${provider}.${key}`, out);
  return out;
}

function copyNames(value: unknown, where: string, into: Record<string, string>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${where} must be an object { logicalName: providerName }`);
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string' || v === '')
      throw new ConfigError(`${where}.${name} must be a non-empty string`);
    into[name] = v;
  }
}
