import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError, type ProviderName } from '@polycloud/core';
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
  // Before anything is deleted: without the adapter there is nothing to build with.
  const { build } = await adapterBuild(provider);
  const app = await loadApp(appDir);
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

/**
 * The adapter's build, from where the CLI is installed. The cloud adapters are optional peer
 * dependencies of the CLI: an app installs the ones it deploys to.
 */
async function adapterBuild(provider: ProviderName): Promise<{ build: BuildFn }> {
  const specifier = `@polycloud/${provider}/build`;
  try {
    return (await import(specifier)) as { build: BuildFn };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Only the adapter itself missing is a usage problem; a failure inside it keeps its stack.
    if (
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      String((error as Error).message).includes(`'@polycloud/${provider}`)
    ) {
      // A one-line message and exit code 1, as for a config problem: the command itself was right.
      throw new ConfigError(
        `building for ${provider} needs @polycloud/${provider}: install it with npm install -D @polycloud/${provider}`,
      );
    }
    throw error;
  }
}
