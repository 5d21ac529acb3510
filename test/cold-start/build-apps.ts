import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App, ProviderName } from '@polycloud/core';
import { type BuildFn, resolveConfig } from '@polycloud/core/adapter';
import { bundle } from '../../packages/cli/src/bundle.ts';

const ROOT = join(import.meta.dirname, '../..');
export const COLD_OUT = join(ROOT, 'node_modules/.cache/polycloud-cold');

/**
 * Builds one of the cold-start apps (`apps/<name>`) for `provider` exactly as `polycloud build` does
 * (the provider's own build with the CLI's esbuild helper), into the cache folder: the returned
 * directory holds what the provider deploys. Unminified (`minify` false), its functions keep their
 * names, for a test that reads what V8 logs about them.
 */
export async function buildColdApp(
  name: string,
  provider: ProviderName,
  outRoot = COLD_OUT,
  minify = true,
): Promise<string> {
  const appDir = join(import.meta.dirname, 'apps', name);
  const entry = join(appDir, 'src', 'app.ts');
  const app = ((await import(pathToFileURL(entry).href)) as { default: App }).default;
  const outDir = join(outRoot, name, provider);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const { build } = (await import(`../../adapters/${provider}/src/build/index.ts`)) as { build: BuildFn };
  await build({
    appDir,
    entry,
    outDir,
    app,
    config: resolveConfig({ app: app.name, provider }, {}),
    bundle: (source, outfile, options) => bundle(appDir, source, outfile, { ...options, minify }),
    log: () => undefined,
  });
  return outDir;
}
