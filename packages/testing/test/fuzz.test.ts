import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HttpRequest, InvalidEventError } from '@polycloud/core';
import { bindApp } from '@polycloud/core/adapter';
import { describe, expect, it } from 'vitest';
import { createProbeApp, fuzzEntryPoint, mutatePayload } from '../src/index.ts';
import { ReferenceEntryPoints, startReference } from '../src/reference-driver.ts';

const RUNS = Number(process.env.POLYCLOUD_FUZZ_RUNS ?? 1000);
/** Enough time for `npm run fuzz` (100 000 cases) as well as the CI default. */
const TIMEOUT = Math.max(60_000, RUNS * 3);

function reference() {
  const session = startReference(createProbeApp().app);
  return { session, entry: new ReferenceEntryPoints(session.runtime) };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('fuzzEntryPoint over the reference entry points (real payload shapes, mutated)', () => {
  it(
    'messages: 0 crashes, 0 stack traces',
    async () => {
      const { entry } = reference();
      const report = await fuzzEntryPoint({
        name: 'reference:messages',
        seeds: [
          [
            { id: 'm1', bodyBase64: b64('{"n":1}'), attributes: { a: 'b' }, deliveryCount: 2 },
            { id: 'm2', bodyBase64: b64('{"n":2,"fail":true}'), groupId: 'g' },
          ],
          [{ id: 'm3', bodyBase64: 'AAECAwQF' }],
        ],
        run: async (input) => {
          const { failed } = await entry.messages('echoQueue', input, true);
          return { refused: failed.length > 0 };
        },
      });
      expect(report.cases).toBeGreaterThanOrEqual(RUNS);
      expect(report.invalid).toBeGreaterThan(0);
      expect(report.accepted).toBeGreaterThan(0);
      expect(report.invalid + report.accepted).toBe(report.cases);
    },
    TIMEOUT,
  );

  it(
    'storage, schedule and event: 0 crashes, 0 stack traces',
    async () => {
      const { entry } = reference();
      const reports = [
        await fuzzEntryPoint({
          name: 'reference:storage',
          seeds: [{ type: 'created', bucket: 'echo-bucket', key: 'a b/c+d.txt', size: 3 }],
          run: async (input) => {
            const outcome = await entry.storage('echoStorage', input);
            return { refused: !outcome.ok, body: outcome.error };
          },
        }),
        await fuzzEntryPoint({
          name: 'reference:schedule',
          seeds: [{ time: '2026-03-04T05:10:00.000Z' }],
          run: async (input) => {
            const outcome = await entry.schedule('echoSchedule', input);
            return { refused: !outcome.ok, body: outcome.error };
          },
        }),
        await fuzzEntryPoint({
          name: 'reference:event',
          seeds: [
            {
              specversion: '1.0',
              id: '1',
              source: '/s',
              type: 'com.example.echo',
              time: '2026-03-04T05:06:07Z',
              data: { fail: false, nested: [1, { a: 'b' }] },
              tenant: 'acme',
            },
          ],
          run: async (input) => {
            const outcome = await entry.event('echoEvent', input);
            return { refused: !outcome.ok, body: outcome.error };
          },
        }),
      ];
      for (const r of reports) {
        expect(r.cases, r.name).toBeGreaterThanOrEqual(RUNS);
        expect(r.invalid, `${r.name}: mutations the decoder refused`).toBeGreaterThan(0);
        expect(r.accepted, `${r.name}: cases that still got through`).toBeGreaterThan(0);
      }
    },
    TIMEOUT * 3,
  );

  it(
    'http: mutated request shapes answer below 500 with no stack trace',
    async () => {
      const { session } = reference();
      const report = await fuzzEntryPoint({
        name: 'reference:http',
        seeds: [
          {
            method: 'POST',
            rawPath: '/echo/a%20b/%E6%97%A5',
            query: 'tag=a&tag=b',
            headers: { 'content-type': 'application/json', cookie: 'a=1; b=2' },
            bodyBase64: b64('{"x":1}'),
          },
        ],
        run: async (input) => {
          // The reference "native" http shape; a real adapter's decoder does this work.
          const raw = input as Record<string, unknown> | null;
          if (typeof raw !== 'object' || raw === null)
            throw new InvalidEventError('must be an object', 'request');
          if (typeof raw.method !== 'string' || typeof raw.rawPath !== 'string') {
            throw new InvalidEventError('method and rawPath must be strings', 'request');
          }
          const req = new HttpRequest({
            method: raw.method,
            rawPath: raw.rawPath,
            query: typeof raw.query === 'string' ? raw.query : undefined,
            headers: Object.fromEntries(
              Object.entries(typeof raw.headers === 'object' && raw.headers ? raw.headers : {}).filter(
                ([, v]) => typeof v === 'string',
              ),
            ) as Record<string, string>,
            body: typeof raw.bodyBase64 === 'string' ? Buffer.from(raw.bodyBase64, 'base64') : undefined,
          });
          const res = await bindApp(session.runtime).http(() => req);
          return { status: res.status, body: Buffer.from(res.body).toString() };
        },
      });
      expect(report.cases).toBeGreaterThanOrEqual(RUNS);
    },
    TIMEOUT,
  );
});

describe('fuzzEntryPoint catches what it must', () => {
  const seeds = [{ Records: [{ body: 'x', messageId: '1' }] }];

  it('an untyped rejection (a TypeError from unchecked input) is a crash', async () => {
    const run = async (input: unknown) => {
      for (const r of (input as { Records: { body: string }[] }).Records) r.body.trim();
    };
    await expect(fuzzEntryPoint({ name: 'unchecked', seeds, run, runs: 200 })).rejects.toThrow(
      /unchecked: run rejected with an untyped error \(a crash\): TypeError/,
    );
  });

  it('a stack trace in an answer is a failure', async () => {
    const run = async () => ({ status: 400, body: 'Error: bad\n    at decode (/srv/app/src/sqs.ts:3:9)' });
    await expect(fuzzEntryPoint({ name: 'leaky', seeds, run, runs: 20 })).rejects.toThrow(
      /leaky: the answer contains a stack frame/,
    );
  });

  it('a 5xx answer is a crash unless acceptStatus allows it', async () => {
    const run = async () => ({ status: 502 });
    await expect(fuzzEntryPoint({ name: 'gateway', seeds, run, runs: 20 })).rejects.toThrow(
      /gateway: answered status 502 \(a crash\)/,
    );
    const report = await fuzzEntryPoint({
      name: 'gateway-ok',
      seeds,
      run,
      runs: 20,
      acceptStatus: () => true,
      // This double accepts nothing by design; the floor is what the next test checks.
      minAcceptedShare: 0,
    });
    expect(report).toEqual({ name: 'gateway-ok', cases: 20, invalid: 20, accepted: 0, acceptedShare: 0 });
  });

  it('a documented typed error is accepted through expectedError', async () => {
    class FrameworkError extends Error {
      override name = 'FrameworkError';
    }
    const run = async () => {
      throw new FrameworkError('refused');
    };
    await expect(fuzzEntryPoint({ name: 'strict', seeds, run, runs: 10 })).rejects.toThrow(/untyped error/);
    const report = await fuzzEntryPoint({
      name: 'documented',
      seeds,
      run,
      runs: 10,
      expectedError: (e) => e instanceof FrameworkError,
      minAcceptedShare: 0,
    });
    expect(report.invalid).toBe(10);
  });

  it('a target that accepts less than the floor (10 %) fails, naming its share: its handler path is not fuzzed', async () => {
    // Rejects every case, like the node storage target did when seeded with non-storage events.
    const rejectAll = async () => ({ status: 400, body: 'bad' });
    await expect(fuzzEntryPoint({ name: 'never-valid', seeds, run: rejectAll, runs: 50 })).rejects.toThrow(
      'never-valid: only 0 of 50 cases (0.0 %) were accepted; the floor is 10 %',
    );
    // Unmutated seeds are a quarter of the cases, so a target that accepts only real payloads passes.
    const onlyReal = async (input: unknown) =>
      JSON.stringify(input) === JSON.stringify(seeds[0]) ? { status: 200 } : { status: 400 };
    const report = await fuzzEntryPoint({ name: 'only-real', seeds, run: onlyReal, runs: 400 });
    expect(report.acceptedShare).toBeGreaterThanOrEqual(0.1);
    expect(report.acceptedShare).toBe(report.accepted / report.cases);
  });

  it('an unhandled rejection during a case is a failure (checked in a separate process)', () => {
    const script = fileURLToPath(new URL('./fixtures/stray-rejection.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stdout).toContain(
      'FUZZ-REJECTED: stray: unhandled rejection or uncaught exception: Error: stray',
    );
  });
});

describe('mutatePayload', () => {
  const seed = { a: { b: 'aGVsbG8gd29ybGQ=' }, list: [1, 2, 3] };

  it('never changes the seed', () => {
    const copy = structuredClone(seed);
    mutatePayload(seed, [
      { op: 'drop', at: 1 },
      { op: 'huge', at: 2, length: 5000 },
    ]);
    expect(seed).toEqual(copy);
  });

  it('adds an own __proto__ key without polluting any prototype', () => {
    const out = mutatePayload(seed, [{ op: 'proto', at: 0, key: '__proto__' }]) as Record<string, unknown>;
    expect(Object.keys(out)).toContain('__proto__');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(out)).toContain('"__proto__":{"polluted":true}');
  });

  it('truncates base64 to a length no decoder can accept as whole', () => {
    const out = mutatePayload(seed, [{ op: 'truncate-base64', at: 2, keep: 6 }]) as { a: { b: string } };
    expect(out.a.b).toBe('aGVsbG8');
    expect(out.a.b.length % 4).not.toBe(0);
  });

  it('drops fields and array elements, and can drop the whole payload', () => {
    expect(mutatePayload(seed, [{ op: 'drop', at: 3 }])).toEqual({ a: { b: 'aGVsbG8gd29ybGQ=' } });
    expect(mutatePayload(seed, [{ op: 'drop', at: 4 }])).toEqual({
      a: { b: 'aGVsbG8gd29ybGQ=' },
      list: [2, 3],
    });
    expect(mutatePayload(seed, [{ op: 'drop', at: 0 }])).toBeUndefined();
  });

  it('replaces nested values with other types and deep nesting', () => {
    expect(mutatePayload(seed, [{ op: 'retype', at: 1, value: 7 }])).toEqual({ a: 7, list: [1, 2, 3] });
    const deep = mutatePayload(seed, [{ op: 'nest', at: 4, shape: 'deep' }]) as { list: unknown[] };
    expect(JSON.stringify(deep.list[0])).toBe(`${'['.repeat(200)}1${']'.repeat(200)}`);
  });
});
