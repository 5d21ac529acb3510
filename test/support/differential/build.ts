import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = resolve(import.meta.dirname, '../../..');
export const PROVIDERS = ['aws', 'azure', 'gcp', 'node'] as const;
export type Provider = (typeof PROVIDERS)[number];

const CLI = join(repoRoot, 'packages/cli/bin/polycloud.mjs');
const run = promisify(execFile);

/**
 * A copy of the app in a fresh folder (its own dist/, so parallel test files never share one),
 * resolving @polycloud/* and the app's dependencies from the workspace as an app inside the repo
 * would. The copy is the app unchanged: config, sources, nothing else.
 */
export function copyApp(appDir: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'polycloud-diff-')), basename(appDir));
  cpSync(appDir, dir, {
    recursive: true,
    filter: (src) => !/[/\\](dist|node_modules)([/\\]|$)/.test(src.slice(appDir.length)),
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** `polycloud build --provider P dir`, the real CLI in its own process; returns dir/dist/P. */
export async function buildWithCli(dir: string, provider: Provider): Promise<string> {
  await run(process.execPath, [CLI, 'build', '--provider', provider, dir], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: '' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return join(dir, 'dist', provider);
}
