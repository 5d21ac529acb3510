/**
 * Mutation testing (`npm run mutate`, not part of `npm test`): StrykerJS with the vitest runner over core
 * and the adapters' translation code (http front doors and event sources). See docs/testing.md for the
 * scores and the reviewed survivors. A full run takes long on a small machine: scope it with
 * `npm run mutate -- --mutate 'packages/core/src/**\/*.ts'` (one package at a time).
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutate.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/core/src/**/*.ts',
    // Adapters' translation code: the http front doors and the event sources of every adapter.
    'adapters/*/src/http/**/*.ts',
    'adapters/*/src/events/**/*.ts',
  ],
  ignorePatterns: ['dist', '.stryker-tmp*', 'reports', '**/*.md', 'docs', 'examples/*/dist'],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: process.env.POLYCLOUD_MUTATE_REPORT ?? 'reports/mutation/mutation.json' },
  // Two shared cores: one worker, so the run does not starve the rest of the machine.
  concurrency: 1,
  timeoutMS: 20_000,
  // A second scoped run at the same time needs its own sandbox folder (POLYCLOUD_MUTATE_TMP=.stryker-tmp-2).
  tempDirName: process.env.POLYCLOUD_MUTATE_TMP ?? '.stryker-tmp',
  cleanTempDir: 'always',
};
