import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type PolycloudConfig } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';

export const CONFIG_FILES = ['polycloud.config.json', 'polycloud.config.mjs', 'polycloud.config.ts'] as const;

/**
 * Reads `polycloud.config.(json|mjs|ts)` from `dir` (a `.ts` file needs a TypeScript-aware
 * loader such as the CLI's), then applies `POLYCLOUD_PROVIDER`. No file means the node provider.
 */
export async function loadConfig(
  dir = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<PolycloudConfig> {
  let raw: unknown = {};
  let origin = 'defaults';
  for (const name of CONFIG_FILES) {
    const file = join(resolve(dir), name);
    if (!existsSync(file)) continue;
    origin = file;
    if (name.endsWith('.json')) {
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
      }
    } else {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      raw = mod.default ?? mod;
    }
    break;
  }
  return resolveConfig(raw, env, origin);
}
