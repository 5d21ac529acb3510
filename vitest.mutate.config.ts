/**
 * The vitest configuration Stryker runs (`npm run mutate`): the fast, in-process tests that exercise
 * translation code (unit, golden, contract, peer-bugs, regressions), without e2e runs, builds, fuzzing,
 * emulators or benchmarks, which would multiply every mutant's cost without killing more of them.
 *
 * Stryker copies the repo into a sandbox but links node_modules to the original checkout, so
 * `@polycloud/*` would resolve through the workspace symlinks to the ORIGINAL, unmutated sources. The
 * plugin below maps such resolutions back into the sandbox; outside a sandbox it does nothing.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** `POLYCLOUD_MUTATE_TESTS=glob,glob` narrows the tests of a scoped run (recorded in docs/testing.md). */
const scoped = process.env.POLYCLOUD_MUTATE_TESTS?.split(',').filter((g) => g !== '');
/**
 * A scope that names `test/e2e/` files asks for them (the JetStream broker's only tests run a real
 * nats-server and live there): the e2e exclusions then step aside for that run.
 */
const e2eScoped = scoped?.some((g) => g.includes('/e2e/')) ?? false;

const root = dirname(fileURLToPath(import.meta.url));
/** The checkout node_modules really lives in (the sandbox links it, or resolution walks up to it). */
function installedCheckout(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return dirname(realpathSync(join(dir, 'node_modules')));
    if (dirname(dir) === dir) return from;
  }
}
const installedRoot = installedCheckout(root);

// Spread, not mergeConfig: mergeConfig concatenates arrays, and `include` must be replaced when scoped.
export default defineConfig({
  ...base,
  plugins: [
    {
      name: 'polycloud-sandbox-sources',
      enforce: 'pre',
      async resolveId(source, importer, options) {
        if (root === installedRoot || !source.startsWith('@polycloud/')) return null;
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        if (!resolved?.id.startsWith(`${installedRoot}/`)) return resolved;
        return { ...resolved, id: root + resolved.id.slice(installedRoot.length) };
      },
    },
  ],
  test: {
    ...base.test,
    ...(scoped ? { include: scoped } : {}),
    exclude: [
      '**/node_modules/**',
      '**/dist/**',
      ...(e2eScoped ? [] : ['**/e2e*', '**/test/e2e/**']),
      '**/build*.test.ts',
      '**/fuzz*.test.ts',
      '**/cold-start.test.ts',
      '**/drain.test.ts',
      'examples/**',
      'packages/cli/**',
      'test/bench/**',
    ],
  },
});
