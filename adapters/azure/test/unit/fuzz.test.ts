/**
 * The adapter's entry points (the handlers @azure/functions calls) on mutated real payloads, through
 * the kit's fuzzEntryPoint: every case is either accepted or refused with an InvalidEventError (a
 * failed invocation the host retries / a 400), never another exception, a 5xx or a leaked stack.
 */
import '../support/host/functions-core.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import azure from '@azure/functions';
import { defineApp, event, http, queue, schedule, storage, topic } from '@polycloud/core';
import { fuzzEntryPoint } from '@polycloud/testing';
import { describe, expect, test } from 'vitest';
import { handle } from '../../src/index.ts';

const fixtures = resolve(fileURLToPath(import.meta.url), '../../../../../test/fixtures/azure');
const eventGridSeeds: unknown[] = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => {
    const payload = JSON.parse(readFileSync(join(fixtures, f), 'utf8'));
    return Array.isArray(payload) ? payload : [payload];
  });

const noop = () => {};
// `npm run fuzz` runs 100 000 cases per entry point: allow the time for it.
const FUZZ_TIMEOUT_MS = 600_000;
const app = defineApp({
  name: 'fuzz',
  functions: {
    fzHttp: http('ANY /f/*', (req) => ({ identity: req.identity ?? null, q: req.query.toString() })),
    fzQueue: queue('q', noop),
    fzBus: topic('t', noop),
    fzHub: queue('h', noop, { providers: { azure: { queue: 'eventHub' } } }),
    fzGrid: event({}, noop),
    fzBlobGrid: storage('testcontainer', noop, { events: ['created', 'deleted'] }),
    fzBlob: storage('uploads', noop),
    fzTimer: schedule('tick', '* * * * *', noop),
  },
});
const { handlers } = handle(app, {
  register: false,
  env: {},
  config: { provider: 'azure', providers: { azure: { appServiceAuth: true } } },
});

const context = (triggerMetadata?: unknown) =>
  new azure.InvocationContext({
    invocationId: 'fuzz',
    logHandler: noop,
    triggerMetadata: (typeof triggerMetadata === 'object' && triggerMetadata !== null
      ? triggerMetadata
      : undefined) as Record<string, unknown> | undefined,
  });
const pair = (input: unknown) => {
  const p = (typeof input === 'object' && input !== null ? input : {}) as { input?: unknown; meta?: unknown };
  return [p.input, context(p.meta)] as const;
};

describe('azure fuzz', () => {
  test(
    'Event Grid events (both schemas) to an event function',
    async () => {
      const report = await fuzzEntryPoint({
        name: 'azure:eventGrid',
        seeds: eventGridSeeds,
        run: async (input) => {
          await handlers.fzGrid!(input, context());
        },
      });
      expect(report.cases).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'Event Grid blob events to a storage function',
    async () => {
      const report = await fuzzEntryPoint({
        name: 'azure:eventGrid-blob',
        seeds: eventGridSeeds.filter((e) =>
          String((e as { eventType?: string }).eventType).startsWith('Microsoft.Storage'),
        ),
        run: async (input) => {
          await handlers.fzBlobGrid!(input, context());
        },
      });
      expect(report.accepted).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'Storage Queue, Service Bus, Event Hubs and blob trigger metadata',
    async () => {
      const seeds = [
        {
          fn: 'fzQueue',
          input: '{"a":1}',
          meta: { id: 'q1', dequeueCount: 1, insertionTime: '2026-01-01T00:00:00Z' },
        },
        {
          fn: 'fzBus',
          input: { a: 1 },
          meta: {
            messageId: 'm',
            deliveryCount: 2,
            applicationProperties: { k: 'v' },
            sessionId: 's',
            sequenceNumber: 4,
          },
        },
        {
          fn: 'fzHub',
          input: ['a', { b: 1 }],
          meta: {
            sequenceNumberArray: [1, 2],
            partitionKeyArray: ['p', null],
            propertiesArray: [{}, { x: 1 }],
            partitionContext: { partitionId: '0' },
          },
        },
        {
          fn: 'fzBlob',
          input: 'blob',
          meta: { blobTrigger: 'uploads/a.txt', properties: { contentLength: 4, eTag: '"e"' } },
        },
      ];
      for (const seed of seeds) {
        const report = await fuzzEntryPoint({
          name: `azure:${seed.fn}`,
          seeds: [{ input: seed.input, meta: seed.meta }],
          runs: Math.max(1, Math.floor(Number(process.env.POLYCLOUD_FUZZ_RUNS ?? 1000) / 4)),
          run: async (value) => {
            const [input, ctx] = pair(value);
            await handlers[seed.fn]!(input, ctx);
          },
        });
        expect(report.cases).toBeGreaterThan(0);
      }
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'timer input',
    async () => {
      const report = await fuzzEntryPoint({
        name: 'azure:timer',
        seeds: [
          {
            isPastDue: true,
            schedule: { adjustForDST: true },
            scheduleStatus: {
              last: '2026-01-01T00:00:00Z',
              next: '2026-01-01T00:01:00Z',
              lastUpdated: '2026-01-01T00:00:00Z',
            },
          },
        ],
        run: async (input) => {
          await handlers.fzTimer!(input, context());
        },
      });
      expect(report.accepted).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    'x-ms-client-principal under App Service authentication: 2xx or 400, never 5xx or a stack',
    async () => {
      const report = await fuzzEntryPoint({
        name: 'azure:client-principal',
        // Each case builds an undici Request whose header validation is slow on the huge-string mutations:
        // a fifth of the run count, scaled with it (200 by default, 20 000 under `npm run fuzz`).
        runs: Math.max(20, Math.floor(Number(process.env.POLYCLOUD_FUZZ_RUNS ?? 1000) / 5)),
        seeds: [
          {
            auth_typ: 'aad',
            claims: [
              { typ: 'sub', val: 'u1' },
              { typ: 'roles', val: 'admin' },
            ],
          },
          { identityProvider: 'github', userId: 'u2', userDetails: 'me', userRoles: ['anonymous'] },
        ],
        run: async (principal) => {
          const json = JSON.stringify(principal) ?? 'undefined';
          const request = new azure.HttpRequest({
            method: 'GET',
            url: 'https://fuzz.azurewebsites.net/api/f/x?y=1',
            headers: { 'x-ms-client-principal': Buffer.from(json).toString('base64') },
          });
          const res = (await handlers.fzHttp!(request, context())) as { status: number; body?: Uint8Array };
          return { status: res.status, body: res.body ? Buffer.from(res.body).toString() : '' };
        },
      });
      expect(report.accepted).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT_MS,
  );
});
