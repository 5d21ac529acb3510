import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '@polycloud/core';
import { type BuildReport, resolveConfig } from '@polycloud/core/adapter';
import { bundle } from '../../../../packages/cli/src/bundle.ts';
import { build } from '../../src/build/index.ts';

/**
 * Runs the AWS build exactly as `polycloud build --provider aws` does (same esbuild helper), into
 * `outDir`, so tests that run in parallel never share an output folder.
 */
export async function buildApp(
  appDir: string,
  outDir = mkdtempSync(join(tmpdir(), 'polycloud-aws-')),
): Promise<{ outDir: string; report: BuildReport; log: string[] }> {
  const entry = join(appDir, 'src', 'app.ts');
  return buildEntry(appDir, entry, outDir);
}

export async function buildEntry(
  appDir: string,
  entry: string,
  outDir: string,
): Promise<{ outDir: string; report: BuildReport; log: string[] }> {
  const app = ((await import(pathToFileURL(entry).href)) as { default: App }).default;
  mkdirSync(outDir, { recursive: true });
  const log: string[] = [];
  const report = await build({
    appDir,
    entry,
    outDir,
    app,
    config: resolveConfig({ app: app.name, provider: 'aws' }, {}),
    bundle: (source, outfile, options) => bundle(appDir, source, outfile, options),
    log: (line) => log.push(line),
  });
  return { outDir, report, log };
}
