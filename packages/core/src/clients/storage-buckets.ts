import type { PolycloudConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { ProviderName } from '../services.ts';

/**
 * Maps logical bucket names to the provider's: `providers.<provider>.buckets` in the config, merged
 * over the JSON environment variable `envName` (as a deployment template sets it); config wins, and
 * an unmapped name is used as is. Errors name the failing config path or variable.
 *
 * @example
 * // polycloud.config.json: { "providers": { "aws": { "buckets": { "receipts": "acme-prod-receipts" } } } }
 * const bucket = bucketResolver(config, 'aws', 'POLYCLOUD_AWS_BUCKETS');
 * bucket('receipts'); // 'acme-prod-receipts'
 */
export function bucketResolver(
  config: PolycloudConfig,
  provider: ProviderName,
  envName: string,
  env: NodeJS.ProcessEnv = process.env,
): (logical: string) => string {
  let map: Record<string, string> | undefined;
  return (logical) => {
    map ??= readMap(config, provider, envName, env);
    return map[logical] ?? logical;
  };
}

function readMap(
  config: PolycloudConfig,
  provider: ProviderName,
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
    copy(parsed, envName, out);
  }
  const configured = config.providers[provider]?.buckets;
  if (configured !== undefined) copy(configured, `providers.${provider}.buckets`, out);
  return out;
}

function copy(value: unknown, where: string, into: Record<string, string>): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${where} must be an object { logicalName: bucketName }`);
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string' || v === '')
      throw new ConfigError(`${where}.${name} must be a non-empty string`);
    into[name] = v;
  }
}
