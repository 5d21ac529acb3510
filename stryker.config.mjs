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
    // Adapters: http front doors and event sources, before and after the src/http, src/events layout.
    'adapters/*/src/http/**/*.ts',
    'adapters/*/src/events/**/*.ts',
    'adapters/aws/src/{http-*,sqs,sns,s3,kinesis,dynamodb-streams,eventbridge,batch-*,message-attributes,body-encoding}.ts',
    'adapters/azure/src/{http-request,http-response,message-body,messages,event-grid,blob-trigger,timer,ncrontab,client-principal,route-template,trigger-metadata}.ts',
    'adapters/gcp/src/{express-request,express-response,pubsub,storage,legacy-event,structured-cloud-event,schedule,native-input,iap}.ts',
    'adapters/node/src/{node-http,routes,message-batch,cloud-event-input,broker}.ts',
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
