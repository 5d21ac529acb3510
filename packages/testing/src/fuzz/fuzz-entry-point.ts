import { inspect } from 'node:util';
import { InvalidEventError } from '@polycloud/core';
import fc from 'fast-check';
import { findLeak } from '../stack-leaks.ts';
import { type Mutation, mutatePayload, mutationArbitrary } from './mutations.ts';

/** What `run` may report about one case; omit it (void) for entry points with no visible answer. */
export interface FuzzResult {
  /** The status the provider would see (http); 5xx counts as a crash unless `acceptStatus` says otherwise. */
  status?: number;
  /** Everything a client or the provider would see as text (body, error text): checked for stack traces. */
  body?: string;
  /** True when the entry point refused the input cleanly (a rejected message, a failed delivery): counted as invalid. */
  refused?: boolean;
}

export interface FuzzOptions<I = unknown> {
  /** Names the entry point in messages and in the printed counts, e.g. `aws:sqs`. */
  name: string;
  /** Real payloads (e.g. from test/fixtures), each a starting point for mutations. */
  seeds: readonly I[];
  /** Feeds one (possibly mutated) payload to the adapter's real entry point. */
  // biome-ignore lint/suspicious/noConfusingVoidType: `run` is often an async function that returns nothing.
  run: (input: unknown) => Promise<FuzzResult | void>;
  /** Cases to run; default `POLYCLOUD_FUZZ_RUNS` or 1000 (`npm run fuzz` sets 100 000). */
  runs?: number;
  /** Rejections the adapter documents besides InvalidEventError (a typed error of its own). */
  expectedError?: (error: unknown) => boolean;
  /** Statuses that are not crashes; default every status below 500. */
  acceptStatus?: (status: number) => boolean;
  /** fast-check seed, to replay a reported failure. */
  seed?: number;
  /**
   * The least share of cases the entry point must accept (default 0.1 = 10 %). Below it the run fails:
   * a target whose inputs are all rejected never fuzzes the handler path behind the validation.
   */
  minAcceptedShare?: number;
}

/** The default floor of accepted cases: below 10 % the handler path is barely fuzzed. */
export const MIN_ACCEPTED_SHARE = 0.1;

export interface FuzzReport {
  name: string;
  /** Cases run (shrinking runs after a failure included). */
  cases: number;
  /** Cases the entry point refused cleanly: a typed rejection, a 4xx answer or `refused: true`. */
  invalid: number;
  /** Cases the entry point accepted (answered below 400 or resolved without a status). */
  accepted: number;
  /** accepted / cases, 0 when nothing ran. */
  acceptedShare: number;
}

interface FuzzCase {
  seed: number;
  mutations: Mutation[];
}

/**
 * Property-based fuzzing of an adapter entry point with fast-check, starting from real payloads.
 *
 * Each case picks one seed and applies up to four mutations: a field or element dropped, a value
 * replaced by one of another type, a huge string, arbitrary unicode (lone surrogates included),
 * an own `__proto__` / `constructor` / `prototype` key, a string replaced by truncated base64, a
 * nested value replaced by `[]`, `{}`, a wrapper or 200 levels of nesting. Zero mutations (the
 * real payload itself) is a case too.
 *
 * A case fails when `run`
 * - rejects with anything but an `InvalidEventError` (or what `expectedError` accepts),
 * - answers a status `acceptStatus` refuses (default: any 5xx),
 * - answers a `body` containing a stack trace, a source path or a file URL,
 * - or when any unhandled rejection / uncaught exception happens while it runs.
 *
 * Resolves with the counts (also printed: cases run, rejected as invalid, accepted); rejects with
 * fast-check's report (seed, counterexample as the list of mutations, the underlying failure).
 *
 * @example
 * ```ts
 * import { fuzzEntryPoint } from '@polycloud/testing';
 * it('sqs entry point survives mutated payloads', async () => {
 *   const report = await fuzzEntryPoint({
 *     name: 'aws:sqs',
 *     seeds: [sqsFixture],
 *     run: async (event) => { await handler(event as SQSEvent, lambdaContext()); },
 *   });
 *   expect(report.cases).toBeGreaterThan(0);
 * }, 120_000);
 * ```
 */
export async function fuzzEntryPoint<I>(options: FuzzOptions<I>): Promise<FuzzReport> {
  const { name, seeds, run } = options;
  if (seeds.length === 0)
    throw new TypeError(`fuzzEntryPoint(${name}): at least one seed payload is required`);
  const runs = options.runs ?? defaultRuns();
  const acceptStatus = options.acceptStatus ?? ((status: number) => status < 500);
  const expected = (error: unknown) =>
    error instanceof InvalidEventError ||
    (error instanceof Error && error.name === 'InvalidEventError') ||
    (options.expectedError?.(error) ?? false);
  const cwd = process.cwd();
  const literals = cwd.length > 4 ? [cwd] : [];
  const report: FuzzReport = { name, cases: 0, invalid: 0, accepted: 0, acceptedShare: 0 };
  const floor = options.minAcceptedShare ?? MIN_ACCEPTED_SHARE;

  const stray: unknown[] = [];
  const onStray = (error: unknown) => stray.push(error);
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);

  // A quarter of the cases are a real payload unchanged, the rest carry one to four mutations, so a good
  // part of the cases reaches the handler while the rest probe the validation.
  const arbitrary: fc.Arbitrary<FuzzCase> = fc.record({
    seed: fc.nat({ max: seeds.length - 1 }),
    mutations: fc.oneof(
      { arbitrary: fc.constant([] as Mutation[]), weight: 1 },
      { arbitrary: fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }), weight: 3 },
    ),
  });
  const property = fc.asyncProperty(arbitrary, async ({ seed, mutations }) => {
    report.cases++;
    const outcome = await settle(run, mutatePayload(seeds[seed], mutations));
    // Rejections surface after the microtask queue drains: one turn of the loop before checking.
    await new Promise((r) => setImmediate(r));
    if (stray.length > 0) {
      throw new Error(`${name}: unhandled rejection or uncaught exception: ${describe(stray.splice(0)[0])}`);
    }
    if (!outcome.ok) {
      if (!expected(outcome.error)) {
        throw new Error(`${name}: run rejected with an untyped error (a crash): ${describe(outcome.error)}`);
      }
      const leak = findLeak(describe(outcome.error), literals);
      if (leak) throw new Error(`${name}: the rejection's message contains ${leak}`);
      report.invalid++;
      return;
    }
    const status = outcome.value?.status;
    const body = outcome.value?.body;
    if (status !== undefined && !acceptStatus(status)) {
      throw new Error(`${name}: answered status ${status} (a crash): ${(body ?? '').slice(0, 200)}`);
    }
    const leak = body === undefined ? undefined : findLeak(body, literals);
    if (leak) throw new Error(`${name}: the answer contains ${leak}`);
    if ((status !== undefined && status >= 400) || outcome.value?.refused) report.invalid++;
    else report.accepted++;
  });

  let details: fc.RunDetails<[FuzzCase]>;
  try {
    // No shrinking: a case is at most four mutations of a real payload, already small enough to read.
    details = await fc.check(property, {
      numRuns: runs,
      endOnFailure: true,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
  } finally {
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
    // Straight to stdout: the counts are the fuzz run's output, and vitest hides console output of passing tests.
    report.acceptedShare = report.cases === 0 ? 0 : report.accepted / report.cases;
    process.stdout.write(
      `[fuzz] ${name}: ${report.cases} cases run, ${report.invalid} rejected as invalid, ${report.accepted} accepted (${(report.acceptedShare * 100).toFixed(1)} %)\n`,
    );
  }
  if (details.failed) {
    const cause = details.errorInstance;
    const shown = inspect(details.counterexample?.[0], {
      depth: 6,
      breakLength: Infinity,
      maxStringLength: 200,
    });
    const error = new Error(
      `${cause instanceof Error ? cause.message : String(cause)}\n  case: ${shown}\n` +
        `  replay: fuzzEntryPoint({ ..., seed: ${details.seed}, runs: ${details.numRuns} })`,
    );
    error.cause = cause;
    throw error;
  }
  if (report.acceptedShare < floor) {
    throw new Error(
      `${name}: only ${report.accepted} of ${report.cases} cases (${(report.acceptedShare * 100).toFixed(1)} %) were accepted; ` +
        `the floor is ${floor * 100} %: seed it with payloads this entry point accepts, so the handler path is fuzzed too`,
    );
  }
  return report;
}

type Settled = { ok: true; value: FuzzResult | undefined } | { ok: false; error: unknown };

async function settle(fn: FuzzOptions['run'], input: unknown): Promise<Settled> {
  try {
    return { ok: true, value: (await fn(input)) ?? undefined };
  } catch (error) {
    return { ok: false, error };
  }
}

function defaultRuns(): number {
  const n = Number(process.env.POLYCLOUD_FUZZ_RUNS ?? 1000);
  return Number.isInteger(n) && n > 0 ? n : 1000;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
