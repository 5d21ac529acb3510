import type { PolycloudConfig } from '../config.ts';
import type { ProviderName } from '../services.ts';
import { nameMap } from './name-map.ts';

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
    map ??= nameMap(config, provider, 'buckets', envName, env);
    return map[logical] ?? logical;
  };
}
