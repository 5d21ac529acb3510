import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ProviderName } from '@polycloud/core';
import { type BuildFn, PROVIDERS } from '@polycloud/core/adapter';
import { bundle } from './bundle.ts';
import { appEntry, loadApp, UsageError } from './load-app.ts';
import { loadConfig } from './load-config.ts';

/** `polycloud build --provider P [dir]`: bundles the app into `dir/dist/P` in the form P deploys. */
export async function buildCommand(
  dir: string,
  providerArg: string | undefined,
  log: (line: string) => void,
): Promise<string[]> {
  const appDir = resolve(dir);
  const config = await loadConfig(
    appDir,
    providerArg ? { ...process.env, POLYCLOUD_PROVIDER: providerArg } : process.env,
  );
  const provider: ProviderName = config.provider;
  if (!PROVIDERS.includes(provider)) throw new UsageError(`unknown provider "${provider}"`);
  const entry = appEntry(appDir);
  const app = await loadApp(appDir);
  const outDir = join(appDir, 'dist', provider);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const { build } = (await import(`@polycloud/${provider}/build`)) as { build: BuildFn };
  log(
    `polycloud build: ${app.name} → ${relative(process.cwd(), outDir) || outDir} (${provider}, ${app.functions.size} functions)`,
  );
  const started = Date.now();
  const report = await build({
    appDir,
    entry,
    outDir,
    app,
    config,
    bundle: (source, outfile, options) => bundle(appDir, source, outfile, options),
    log,
  });
  log(`done in ${Date.now() - started} ms: ${report.files.length} files`);
  return report.files;
}
