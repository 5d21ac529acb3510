import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ProviderName } from '@polycloud/core';
import type { BuildFn } from '@polycloud/core/adapter';
import { importAdapter } from './adapter-import.ts';
import { bundle } from './bundle.ts';
import { loadCliConfig } from './config-check.ts';
import { appEntry, loadApp } from './load-app.ts';

/** `polycloud build --provider P [dir]`: bundles the app into `dir/dist/P` in the form P deploys. */
export async function buildCommand(
  dir: string,
  providerArg: string | undefined,
  log: (line: string) => void,
): Promise<string[]> {
  const appDir = resolve(dir);
  const entry = appEntry(dir);
  const config = await loadCliConfig(appDir, providerArg);
  const provider: ProviderName = config.provider;
  // Before anything is deleted: a missing adapter leaves the previous build in place.
  const { build } = await importAdapter<{ build: BuildFn }>(provider, '/build');
  const app = await loadApp(dir);
  const outDir = join(appDir, 'dist', provider);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
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
