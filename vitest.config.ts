import { defineConfig } from 'vitest/config';

// The workspace runs polycloud's packages from their TypeScript source: each package's exports carry a
// "source" condition next to "types"/"import" (which point at dist, what users install). The rest are
// the conditions Node itself applies; vite's "module" is left out, as it was before: it would load
// @aws-sdk's dist-es, which Node cannot import unbundled.
const conditions = ['source', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'adapters/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Node processes the tests start (the CLI, `--import tsx` scripts) resolve the same way.
    env: { NODE_OPTIONS: [process.env.NODE_OPTIONS, '--conditions=source'].filter(Boolean).join(' ') },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Handlers log JSON lines; show them only for failing tests.
    silent: 'passed-only',
    benchmark: { include: ['test/bench/**/*.bench.ts'] },
  },
});
