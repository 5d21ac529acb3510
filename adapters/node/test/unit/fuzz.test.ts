/**
 * Fuzzes the node runtime's entry points over real HTTP with the kit's fuzz helper: structured-mode
 * CloudEvents (seeded with test/fixtures/cloudevents/structured-v1) for every non-http kind, the
 * bulk message format, and JSON bodies through an http function. Every answer is below 500 (or a 500
 * that is the documented "handler failed; redeliver") and carries no stack trace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineApp, event, http, queue, schedule, storage, topic } from '@polycloud/core';
import { fuzzEntryPoint } from '@polycloud/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handle, type NodeServer } from '../../src/index.ts';

const fixtures = resolve(import.meta.dirname, '../../../../test/fixtures/cloudevents/structured-v1');
const cloudEvents = readdirSync(fixtures)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(fixtures, f), 'utf8')) as Record<string, unknown>);
/** Storage changes as the node runtime takes them (type `*.created|deleted|archived|metadataUpdated`, data `{ bucket, key }`). */
const storageEvents = (['created', 'deleted', 'archived', 'metadataUpdated'] as const).map((type, i) => ({
  specversion: '1.0',
  id: `storage-${i}`,
  source: '/polycloud/storage/files',
  type: `dev.polycloud.storage.${type}`,
  time: '2026-01-12T09:30:00Z',
  datacontenttype: 'application/json',
  data: { bucket: 'files', key: `reports/${type} file+1.csv`, size: 42 + i, etag: `"e${i}"` },
}));
/** Seeds per function: the storage function takes storage changes, the others any CloudEvent. */
const seedsFor = (fn: string) => (fn === 'files' ? storageEvents : cloudEvents);
const RUNS = Number(process.env.POLYCLOUD_FUZZ_RUNS ?? 1000);
const TIMEOUT = Math.max(120_000, RUNS * 5);

const app = defineApp({
  functions: {
    web: http('POST /items', (req) => ({ keys: Object.keys(req.json<Record<string, unknown>>() ?? {}) })),
    work: queue('work', (m) => {
      m.text();
    }),
    news: topic('news', () => undefined),
    files: storage('files', () => undefined, {
      events: ['created', 'deleted', 'archived', 'metadataUpdated'],
    }),
    tick: schedule('tick', '0 * * * *', () => undefined),
    any: event({}, () => undefined),
  },
});

let server: NodeServer;
beforeAll(async () => {
  server = await handle(app, { port: 0, schedules: false, handleSignals: false });
});
afterAll(() => server.close());

/** A body that cannot be serialised (a lone surrogate is fine; a cycle is not) is refused before sending. */
function serialise(input: unknown): string | undefined {
  try {
    return JSON.stringify(input);
  } catch {
    return undefined;
  }
}

async function post(path: string, input: unknown, contentType: string) {
  const body = serialise(input);
  if (body === undefined) return { refused: true };
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: res.status, body: await res.text() };
}

describe('fuzz: mutated payloads never crash the node runtime', () => {
  for (const fn of ['work', 'news', 'files', 'tick', 'any']) {
    it(
      `node:${fn} (structured CloudEvents)`,
      async () => {
        const report = await fuzzEntryPoint({
          name: `node:${fn}`,
          seeds: seedsFor(fn),
          runs: RUNS,
          run: (input) => post(`/_polycloud/functions/${fn}`, input, 'application/cloudevents+json'),
        });
        expect(report.invalid + report.accepted).toBe(report.cases);
      },
      TIMEOUT,
    );
  }

  it(
    'node:work (bulk message batches)',
    async () => {
      const seed = {
        ordered: true,
        entries: [
          { entryId: 'a', bodyBase64: 'aGVsbG8=', attributes: { k: 'v' }, groupId: 'g', deliveryCount: 2 },
          { entryId: 'b', body: '{"n":1}' },
        ],
      };
      const report = await fuzzEntryPoint({
        name: 'node:batch',
        seeds: [seed],
        runs: RUNS,
        run: async (input) => {
          const out = await post('/_polycloud/functions/work/messages', input, 'application/json');
          // A RETRY status is a clean rejection of that entry, never an acknowledgement.
          return 'status' in out && out.status === 200 && out.body.includes('RETRY')
            ? { ...out, refused: true }
            : out;
        },
      });
      expect(report.invalid + report.accepted).toBe(report.cases);
    },
    TIMEOUT,
  );

  it(
    'node:http (JSON bodies)',
    async () => {
      const report = await fuzzEntryPoint({
        name: 'node:http',
        seeds: cloudEvents,
        runs: RUNS,
        run: (input) => post('/items', input, 'application/json'),
      });
      expect(report.invalid + report.accepted).toBe(report.cases);
    },
    TIMEOUT,
  );
});
