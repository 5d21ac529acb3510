/**
 * The kit's fuzzer against the real entry points (framework server → our http() handlers), seeded
 * with the shared GCP and CloudEvents fixtures. Every case must answer < 500 without a stack trace:
 * the handlers here never throw, so a 5xx could only be an adapter crash.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineApp, event, queue, schedule, storage } from '@polycloud/core';
import { fuzzEntryPoint } from '@polycloud/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle } from '../../src/index.ts';
import { serveAll } from '../support/framework-server.ts';
import { send, text } from '../support/wire.ts';

// `npm run fuzz` runs 100 000 cases per entry point: the timeout grows with the run count.
const FUZZ_TIMEOUT_MS = Math.max(120_000, Number(process.env.POLYCLOUD_FUZZ_RUNS ?? 1000) * 5);
const fixtures = resolve(fileURLToPath(import.meta.url), '../../../../../test/fixtures');
const load = (p: string) => JSON.parse(readFileSync(resolve(fixtures, p), 'utf8')) as unknown;
const ok = () => {};

const app = defineApp({
  name: 'fuzz-gcp',
  functions: {
    fuzzQueue: queue('q', ok),
    fuzzStorage: storage('b', ok, { events: ['created', 'deleted', 'archived', 'metadataUpdated'] }),
    fuzzSchedule: schedule('s', '0 3 * * *', ok),
    fuzzEvent: event({}, ok),
  },
});

let served: Awaited<ReturnType<typeof serveAll>>;
const consoleError = console.error;
beforeAll(async () => {
  // Thousands of rejections are expected here: keep warnings out of the report (read at cold start).
  const level = process.env.POLYCLOUD_LOG_LEVEL;
  process.env.POLYCLOUD_LOG_LEVEL = 'error';
  handle(app);
  if (level === undefined) delete process.env.POLYCLOUD_LOG_LEVEL;
  else process.env.POLYCLOUD_LOG_LEVEL = level;
  // Express's final handler prints each body-parser refusal (non-object JSON) to stderr.
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('body-parser')) return;
    consoleError(...args);
  };
  served = await serveAll(['fuzzQueue', 'fuzzStorage', 'fuzzSchedule', 'fuzzEvent']);
});
afterAll(async () => {
  console.error = consoleError;
  await served.close();
});

const post = (fn: string, headers: [string, string][]) => async (input: unknown) => {
  const res = await send(served.urls[fn]!, {
    method: 'POST',
    headers,
    body: JSON.stringify(input) ?? 'null',
  });
  return { status: res.status, body: text(res.body) };
};
const structured: [string, string][] = [['content-type', 'application/cloudevents+json']];
const json: [string, string][] = [['content-type', 'application/json']];
const binary = (type: string): [string, string][] => [
  ['ce-specversion', '1.0'],
  ['ce-id', 'fuzz-1'],
  ['ce-source', '//pubsub.googleapis.com/projects/p/topics/t'],
  ['ce-type', type],
  ['content-type', 'application/json'],
];
const PUBSUB_DATA = ['data-binary', 'data-complex-ordering-key', 'data-duplicated-fields', 'data-text'].map(
  (f) => load(`gcp/pubsub-message-published/${f}.json`),
);

describe('fuzz: mutated real payloads never crash the gcp entry points', () => {
  it(
    'structured CloudEvents → event function',
    async () => {
      const seeds = [
        'structured-v1/json-data.json',
        'structured-v1/base64-json-data.json',
        'structured-v1/json-data-with-ext.json',
        'structured-v1/text-data.json',
      ].map((f) => load(`cloudevents/${f}`));
      seeds.push(load('gcp/audit-log/cloudevent-structured-bigquery-job-completed.json'));
      const report = await fuzzEntryPoint({
        name: 'gcp:cloudevent-structured',
        seeds,
        run: post('fuzzEvent', structured),
      });
      expect(report.accepted + report.invalid).toBe(report.cases);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'Pub/Sub: messagePublished CloudEvents and push bodies → queue function',
    async () => {
      const seeds = [
        load('gcp/pubsub-message-published/cloudevent-structured.json'),
        load('gcp/pubsub-message-published/conformance-binary-cloudevent.json'),
        ...PUBSUB_DATA,
      ];
      const report = await fuzzEntryPoint({ name: 'gcp:pubsub', seeds, run: post('fuzzQueue', json) });
      expect(report.cases).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'Pub/Sub data in binary mode (Eventarc) → queue and schedule functions',
    async () => {
      const headers = binary('google.cloud.pubsub.topic.v1.messagePublished');
      const q = await fuzzEntryPoint({
        name: 'gcp:pubsub-binary',
        seeds: PUBSUB_DATA,
        run: post('fuzzQueue', headers),
      });
      const s = await fuzzEntryPoint({
        name: 'gcp:schedule-binary',
        seeds: PUBSUB_DATA,
        run: post('fuzzSchedule', headers),
      });
      expect(q.cases + s.cases).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'storage CloudEvents and StorageObjectData → storage function',
    async () => {
      const seeds = [
        load('gcp/storage-object/cloudevent-structured-finalized.json'),
        load('gcp/storage-object/conformance-finalize-cloudevent.json'),
      ];
      const report = await fuzzEntryPoint({
        name: 'gcp:storage',
        seeds,
        run: post('fuzzStorage', structured),
      });
      const data = await fuzzEntryPoint({
        name: 'gcp:storage-binary',
        seeds: [load('gcp/storage-object/data-simple.json'), load('gcp/storage-object/data-complex.json')],
        run: post('fuzzStorage', binary('google.cloud.storage.object.v1.finalized')),
      });
      expect(report.cases + data.cases).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    '1st-gen background events → event and queue functions',
    async () => {
      const seeds = [
        'gcp/pubsub-message-published/conformance-legacy-gcf-input.json',
        'gcp/pubsub-message-published/conformance-text-legacy.json',
        'gcp/storage-object/conformance-finalize-legacy.json',
        'gcp/firestore-document/conformance-simple-legacy.json',
        'gcp/firebase-auth/conformance-legacy.json',
        'gcp/firebase-database/conformance-db1-legacy.json',
      ].map(load);
      const report = await fuzzEntryPoint({ name: 'gcp:legacy', seeds, run: post('fuzzEvent', json) });
      const q = await fuzzEntryPoint({
        name: 'gcp:legacy-pubsub',
        seeds: seeds.slice(0, 2),
        run: post('fuzzQueue', json),
      });
      expect(report.cases + q.cases).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );
});
