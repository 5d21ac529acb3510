import { ConfigError } from './errors.ts';
import { PROVIDERS, type ProviderName } from './services.ts';
import { token } from './tokens.ts';

/**
 * The app's config: which provider it runs on and each provider's own section.
 *
 * @example
 * const config: PolycloudConfig = { app: 'shop', provider: 'aws', providers: { aws: { region: 'eu-west-1' } } };
 */
export interface PolycloudConfig {
  app?: string;
  provider: ProviderName;
  /** Per-provider sections; each adapter documents and validates its own. */
  providers: Partial<Record<ProviderName, Record<string, unknown>>>;
}
/**
 * The DI token of the app's validated config (`polycloud.config.*` with `POLYCLOUD_PROVIDER` applied).
 *
 * @example
 * const region = ctx.get(Config).providers.aws?.region;
 */
export const Config = token<PolycloudConfig>('Config');

/** Validates a config object and applies the `POLYCLOUD_PROVIDER` override. */
export function resolveConfig(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
  origin = 'config',
): PolycloudConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${origin}: the config must be an object`);
  }
  const input = raw as Record<string, unknown>;
  const fromEnv = env.POLYCLOUD_PROVIDER;
  const provider = fromEnv || input.provider || 'node';
  if (!PROVIDERS.includes(provider as ProviderName)) {
    const where = fromEnv ? 'POLYCLOUD_PROVIDER' : `${origin}: "provider"`;
    throw new ConfigError(`${where} is "${String(provider)}"; valid providers are: ${PROVIDERS.join(', ')}`);
  }
  // `?? {}` reads `providers: null` as no sections, so no `null` reaches the test below.
  const providers = (input.providers ?? {}) as Record<string, unknown>;
  if (typeof providers !== 'object' || Array.isArray(providers)) {
    throw new ConfigError(`${origin}: "providers" must be an object keyed by ${PROVIDERS.join(', ')}`);
  }
  for (const key of Object.keys(providers)) {
    if (!PROVIDERS.includes(key as ProviderName)) {
      throw new ConfigError(
        `${origin}: unknown section providers.${key}; valid providers are: ${PROVIDERS.join(', ')}`,
      );
    }
  }
  const config: PolycloudConfig = {
    provider: provider as ProviderName,
    providers: providers as PolycloudConfig['providers'],
  };
  if (typeof input.app === 'string') config.app = input.app;
  return config;
}
