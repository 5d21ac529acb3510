/**
 * What a cold start loads, per provider, counted in modules (never milliseconds; the times are in
 * `npm run bench`): each provider's built output for GET /items/:id is imported and invoked in a fresh
 * Node process the way the provider does it (probe.mjs), next to a hand-written handler for the same
 * route. An http function that resolves no service must load no Node module and no CommonJS file the
 * hand-written handler does not: in particular not undici (the global Response/fetch classes, 22-33 ms),
 * node:crypto (~4 ms) or inversify (~10 ms), which issue 12 found in every first invocation.
 */
import type { ProviderName } from '@polycloud/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ColdCase, coldStartCases, probeAnswer } from './cases.ts';
import { type ProbeResult, runProbe } from './run-probe.ts';

const PROVIDERS: ProviderName[] = ['aws', 'azure', 'gcp', 'node'];
const ITEM = { status: 200, body: { id: '42', name: 'item 42' } };
const results = new Map<string, ProbeResult>();
const key = (provider: ProviderName, role: ColdCase['role']) => `${provider}/${role}`;

beforeAll(async () => {
  const cases = await coldStartCases({ peers: false });
  for (const c of cases) {
    if (c.role === 'empty') continue;
    results.set(key(c.provider, c.role), await runProbe(c.spec));
  }
}, 240_000);

const undici = (r: ProbeResult) => r.builtins.filter((m) => m.includes('undici'));
const crypto = (r: ProbeResult) =>
  r.builtins.filter((m) => m === 'crypto' || m.startsWith('internal/crypto/'));
const inversify = (r: ProbeResult) => r.files.filter((f) => /inversify/.test(f));

describe.each(PROVIDERS)('%s cold start of an http function', (provider) => {
  it('answers the first request', () => {
    expect(probeAnswer(provider, results.get(key(provider, 'polycloud'))!.first)).toEqual(ITEM);
  });

  it('without a service: loads no Node module and no file the hand-written handler does not', () => {
    const hand = results.get(key(provider, 'hand-written'))!;
    const plain = results.get(key(provider, 'polycloud'))!;
    expect(plain.builtins.filter((m) => !hand.builtins.includes(m))).toEqual([]);
    expect(plain.files.filter((f) => !hand.files.includes(f))).toEqual([]);
    expect(undici(plain)).toEqual([]);
    expect(crypto(plain)).toEqual([]);
    expect(inversify(plain)).toEqual([]);
  });

  it('resolving a service: loads inversify on first use, still neither undici nor node:crypto', () => {
    const service = results.get(key(provider, 'polycloud + service'))!;
    expect(probeAnswer(provider, service.first)).toEqual(ITEM);
    expect(inversify(service)).toHaveLength(1);
    expect(undici(service)).toEqual([]);
    expect(crypto(service)).toEqual([]);
  });
});
