import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type PolycloudConfig } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';

export const CONFIG_FILES = ['polycloud.config.json', 'polycloud.config.mjs', 'polycloud.config.ts'] as const;

/**
 * Reads `polycloud.config.(json|mjs|ts)` from `dir` (a `.ts` file needs a TypeScript-aware
 * loader such as the CLI's), then applies `POLYCLOUD_PROVIDER`. No file means the node provider.
 * The commands use loadCliConfig (config-check.ts), which checks the file against the JSON Schema first.
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

/** Reads the first `polycloud.config.(json|mjs|ts)` of `dir` without checking it. */
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
