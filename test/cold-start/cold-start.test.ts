/**
 * What a cold start loads, per provider, counted in modules (never milliseconds; the times are in
 * `npm run bench`): each provider's built output for GET /items/:id is imported and invoked in a fresh
 * Node process the way the provider does it (probe.mjs), next to a hand-written handler for the same
 * route. An http function that resolves no service must load no Node module and no CommonJS file the
 * hand-written handler does not: in particular not undici (the global Response/fetch classes, 22-33 ms),
 * node:crypto (~4 ms) or inversify (~10 ms), which issue 12 found in every first invocation.
 * inversify is bundled as ES modules (core loads it with `import('inversify')` for an app that declares
 * container modules), so it is looked for in the bundle's code, not among the CommonJS files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProviderName } from '@polycloud/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ColdCase, coldStartCases, probeAnswer } from './cases.ts';
import { type ProbeResult, type ProbeSpec, runProbe } from './run-probe.ts';

const PROVIDERS: ProviderName[] = ['aws', 'azure', 'gcp', 'node'];
const ITEM = { status: 200, body: { id: '42', name: 'item 42' } };
const results = new Map<string, ProbeResult>();
const specs = new Map<string, ProbeSpec>();
const key = (provider: ProviderName, role: ColdCase['role']) => `${provider}/${role}`;

beforeAll(async () => {
  const cases = await coldStartCases({ peers: false });
  for (const c of cases) {
    if (c.role === 'empty') continue;
    specs.set(key(c.provider, c.role), c.spec);
    results.set(key(c.provider, c.role), await runProbe(c.spec));
  }
}, 240_000);

const undici = (r: ProbeResult) => r.builtins.filter((m) => m.includes('undici'));
const crypto = (r: ProbeResult) =>
  r.builtins.filter((m) => m === 'crypto' || m.startsWith('internal/crypto/'));

/** The file a function's cold start loads first: GCP's source folder starts at its package's main. */
function entryFile(module: string): string {
  return statSync(module).isDirectory()
    ? join(module, (JSON.parse(readFileSync(join(module, 'package.json'), 'utf8')) as { main: string }).main)
    : module;
}

/**
 * CommonJS files a cold start required beyond the function's own entry (GCP's is CommonJS, so it is
 * in require.cache where an ES module entry is not).
 */
function filesBeyondEntry(provider: ProviderName, role: ColdCase['role']): string[] {
  const own = entryFile(specs.get(key(provider, role))!.module);
  return results.get(key(provider, role))!.files.filter((f) => f !== own);
}

/**
 * The code a built function's cold start loads: its entry and, transitively, the chunks it imports
 * statically (`import()` targets are left out). A folder (GCP's source folder) starts at its main.
 */
function startupCode(module: string): string {
  const entry = entryFile(module);
  const seen = new Set<string>();
  const read = (file: string): string => {
    if (seen.has(file)) return '';
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    const statics = [...code.matchAll(/(?:from|import)\s*["']\.\/(chunk-\w+\.mjs)["']/g)];
    return [code, ...statics.map((m) => read(join(dirname(file), m[1]!)))].join('\n');
  };
  return read(entry);
}
/** inversify's own error text: present in any bundle that holds inversify. */
const INVERSIFY = 'Ambiguous bindings found';
/** Text only each provider's event code holds: the cold start of an app of http functions never parses it. */
const EVENT_CODE: Record<ProviderName, string> = {
  aws: 'batchItemFailures', // the partial batch response (events/message-batch.ts)
  azure: 'events not processed', // the Event Hubs batch (events/event-handler.ts)
  gcp: 'google.cloud.pubsub.topic.v1.messagePublished', // Pub/Sub input (events/pubsub.ts)
  node: 'no event function named', // push delivery (http/internal-endpoints.ts)
};

/**
 * Text only code that an http function without services never runs holds, moved out of the startup
 * files (loaded on first use, or only by the function kinds that need it); each entry says where.
 */
const LAZY_CODE: Partial<Record<ProviderName, readonly string[]>> = {
  azure: [
    'sending to Event Hubs is not supported', // Queue and Topic routing (clients/messaging-routes.ts)
    'exponentialBackoff', // the trigger plans (registration-plan.ts: planTrigger and its kinds)
    'must have 5 fields (minute hour day-of-month', // timer schedules (events/ncrontab.ts)
    'expected hh:mm:ss', // the options' validation (options.ts): resolved by the build (prepareApp)
    'the routes fallback needs an http function', // the catch-all's handler (http/routes-fallback.ts)
    'each claim needs string typ and val', // Easy Auth principals (http/client-principal.ts): appServiceAuth only
  ],
  gcp: [
    'no URL: set providers.gcp.functionUrls', // the FunctionClient (clients/function-client.ts)
    'Pub/Sub has no delayed delivery', // Queue and Topic (clients/pubsub-publisher.ts)
    'instance/service-accounts/default/', // metadata-server tokens (clients/id-token.ts, access-token.ts)
    'issued in the future', // the IAP verifier (http/iap.ts), only for IAP-protected functions
  ],
  node: [
    'message dead-lettered after max deliveries', // the in-memory broker (events/broker.ts)
    'did not finish within', // message handlers' time limit (events/handler-timeout.ts)
    'batched CloudEvents are not accepted', // CloudEvents over HTTP (core's cloud-event-http.ts, @polycloud/core/cloud-events)
    'sending to queue', // the clients' errors (core's client-errors.ts): node's clients import them on a failure
  ],
};

/** Text only the node runtime's JetStream broker holds (events/jetstream-broker-impl.ts). */
const JETSTREAM_CODE = 'JetStream setup failed; retrying';

describe('node cold start on the in-memory broker (the default)', () => {
  it('parses no JetStream code: it is in the build, in a chunk loaded only when a NATS broker starts', () => {
    const server = specs.get(key('node', 'polycloud'))!.module;
    const built = readdirSync(dirname(server))
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => readFileSync(join(dirname(server), file), 'utf8'));
    expect(built.filter((code) => code.includes(JETSTREAM_CODE))).toHaveLength(1);
    expect(startupCode(server)).not.toContain(JETSTREAM_CODE);
  });

  it('loads one file: server.mjs holds its startup code (it awaits none of its lazy chunks)', () => {
    const server = specs.get(key('node', 'polycloud'))!.module;
    expect(readFileSync(server, 'utf8')).not.toMatch(/(?:from|import)\s*["']\.\/chunk-/);
  });
});

describe.each(PROVIDERS)('%s cold start of an http function', (provider) => {
  it('answers the first request', () => {
    expect(probeAnswer(provider, results.get(key(provider, 'polycloud'))!.first)).toEqual(ITEM);
  });

  it('the baselines answer the same: the hand-written handler, and the one resolving its service through inversify', () => {
    expect(probeAnswer(provider, results.get(key(provider, 'hand-written'))!.first)).toEqual(ITEM);
    expect(probeAnswer(provider, results.get(key(provider, 'hand-written + inversify'))!.first)).toEqual(
      ITEM,
    );
  });

  it('without a service: loads no Node module and no file the hand-written handler does not', () => {
    const hand = results.get(key(provider, 'hand-written'))!;
    const plain = results.get(key(provider, 'polycloud'))!;
    expect(plain.builtins.filter((m) => !hand.builtins.includes(m))).toEqual([]);
    expect(filesBeyondEntry(provider, 'polycloud').filter((f) => !hand.files.includes(f))).toEqual([]);
    expect(undici(plain)).toEqual([]);
    expect(crypto(plain)).toEqual([]);
    // inversify is in the bundle (behind core's import('inversify')), never in what a cold start loads.
    const spec = specs.get(key(provider, 'polycloud'))!;
    expect(startupCode(spec.module)).not.toContain(INVERSIFY);
  });

  it('carries no event-source code in what it loads: the app has only http functions', () => {
    const spec = specs.get(key(provider, 'polycloud'))!;
    expect(startupCode(spec.module)).not.toContain(EVENT_CODE[provider]);
  });

  it('resolving a service the app provides (no container): no inversify, nothing beyond the plain function', () => {
    const plain = results.get(key(provider, 'polycloud'))!;
    const provided = results.get(key(provider, 'polycloud + provided service'))!;
    expect(probeAnswer(provider, provided.first)).toEqual(ITEM);
    expect(startupCode(specs.get(key(provider, 'polycloud + provided service'))!.module)).not.toContain(
      INVERSIFY,
    );
    expect(provided.builtins.filter((m) => !plain.builtins.includes(m))).toEqual([]);
    expect(
      filesBeyondEntry(provider, 'polycloud + provided service').filter((f) => !plain.files.includes(f)),
    ).toEqual([]);
  });

  it('resolving a service: no file and no Node module beyond the plain function, still neither undici nor node:crypto', () => {
    const plain = results.get(key(provider, 'polycloud'))!;
    const service = results.get(key(provider, 'polycloud + service'))!;
    expect(probeAnswer(provider, service.first)).toEqual(ITEM);
    // The app imports inversify itself (its ContainerModule), so inversify is part of its startup.
    expect(startupCode(specs.get(key(provider, 'polycloud + service'))!.module)).toContain(INVERSIFY);
    expect(service.builtins.filter((m) => !plain.builtins.includes(m))).toEqual([]);
    expect(filesBeyondEntry(provider, 'polycloud + service').filter((f) => !plain.files.includes(f))).toEqual(
      [],
    );
    expect(undici(service)).toEqual([]);
    expect(crypto(service)).toEqual([]);
  });
});

describe.each(Object.keys(LAZY_CODE) as ProviderName[])('%s cold start of an http function', (provider) => {
  it('carries no client or per-kind code it does not run', () => {
    const code = startupCode(specs.get(key(provider, 'polycloud'))!.module);
    for (const text of LAZY_CODE[provider]!) expect(code, text).not.toContain(text);
  });
});
