import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.ts';
import { PROVIDERS, type ProviderName } from './services.ts';
import { token } from './tokens.ts';

export interface PolycloudConfig {
  app?: string;
  provider: ProviderName;
  /** Per-provider sections; each adapter documents and validates its own. */
  providers: Partial<Record<ProviderName, Record<string, unknown>>>;
}
export const Config = token<PolycloudConfig>('Config');

export const CONFIG_FILES = ['polycloud.config.json', 'polycloud.config.mjs', 'polycloud.config.ts'] as const;

/**
 * Reads `polycloud.config.(json|mjs|ts)` from `dir` (a `.ts` file needs a TypeScript-aware
 * loader such as the CLI's), then applies `POLYCLOUD_PROVIDER`. No file means the node provider.
 */
export async function loadConfig(
  dir = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<PolycloudConfig> {
  const { raw, origin } = await readConfigFile(dir);
  return resolveConfig(raw, env, origin);
}

/** The config as written, not yet checked: the first of {@link CONFIG_FILES} in `dir`, else `{}`. */
export interface ConfigSource {
  raw: unknown;
  /** The file it came from, or `defaults`. */
  origin: string;
}

/**
 * Reads the first `polycloud.config.(json|mjs|ts)` of `dir` without checking it, for tools that
 * validate it their own way (the CLI checks it against its JSON Schema) before {@link resolveConfig}.
 */
export async function readConfigFile(dir = process.cwd()): Promise<ConfigSource> {
  for (const name of CONFIG_FILES) {
    const file = join(resolve(dir), name);
    if (!existsSync(file)) continue;
    if (name.endsWith('.json')) {
      try {
        return { raw: JSON.parse(readFileSync(file, 'utf8')), origin: file };
      } catch (error) {
        throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
      }
    }
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return { raw: mod.default ?? mod, origin: file };
  }
  return { raw: {}, origin: 'defaults' };
}

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
  const providers = (input.providers ?? {}) as Record<string, unknown>;
  if (typeof providers !== 'object' || providers === null || Array.isArray(providers)) {
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
