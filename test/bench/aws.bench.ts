/**
 * Added cost of polycloud on AWS over a hand-written Lambda handler, next to the peers (middy, hono's
 * aws-lambda adapter, @h4ad/serverless-adapter, serverless-http, @aws-lambda-powertools/batch), on
 * the same API Gateway v2 and SQS events, same process. Everything comes from one bundle built with
 * `polycloud build`'s esbuild settings (handlers/aws-bench.ts) and runs as Node runs it on Lambda.
 * Every side's answer is checked equal to the hand-written one's before anything is timed.
 * Compare rows within a group: the difference in µs per call (http) and the ratio (SQS) are the claim.
 * Targets (issue 12): polycloud ahead of every peer on every row; SQS×10 without failures ≤ 1.3× raw;
 * reading every header, query value and cookie ≤ +2 µs over hand-written code (GET, POST 1 KB).
 */
import { afterAll, bench, describe } from 'vitest';
import type * as Handlers from './handlers/aws-bench.ts';
import { importProductionBundle } from './production-bundle.ts';

// Stacks formatted as on Lambda: vitest installs its own Error.prepareStackTrace (source maps) in the
// worker, which costs per frame on every stack read and would be charged to whichever side has the
// deeper stack (the SQS rows with failures log each failure's stack). Lambda formats stacks natively.
const errorClass = Error as { prepareStackTrace?: unknown };
const vitestStackFormat = errorClass.prepareStackTrace;
errorClass.prepareStackTrace = undefined;
afterAll(() => {
  errorClass.prepareStackTrace = vitestStackFormat;
});

// Long runs after a warm-up: sub-µs differences need many samples to rise above GC and scheduler noise.
const RUN = { time: 2_000, warmupTime: 500 };

type H = typeof Handlers;
type Call = (h: H) => Promise<unknown>;

const load = (instance: string) =>
  importProductionBundle<H>(
    new URL('./handlers/aws-bench.ts', import.meta.url).pathname,
    ['@aws-sdk/*'],
    instance,
  );

/** What every side must agree on: status, content type and the JSON body (or the batch response). */
function answer(result: unknown): string {
  const r = result as Record<string, any>;
  if ('batchItemFailures' in r) return JSON.stringify(r);
  return JSON.stringify([r.statusCode, r.headers?.['content-type'], JSON.parse(r.body)]);
}

/**
 * One group: a fresh module instance (a Lambda process runs one function of one trigger kind, see
 * importProductionBundle), answers compared to the first side's, then one bench per side.
 */
async function group(title: string, instance: string, sides: Record<string, Call>): Promise<void> {
  const h = await load(instance);
  const [first, ...rest] = Object.entries(sides);
  const expected = answer(await first![1](h));
  for (const [name, call] of rest) {
    const got = answer(await call(h));
    if (got !== expected) throw new Error(`${title}: ${name} answered ${got}, expected ${expected}`);
  }
  describe(title, () => {
    for (const [name, call] of Object.entries(sides)) bench(name, () => call(h) as Promise<void>, RUN);
  });
}

await group('API Gateway v2 GET /todos/42 (14 headers, 3 cookies, JWT authorizer)', 'get', {
  'raw Lambda handler': (h) => h.rawGet(h.get),
  'polycloud handle': (h) => h.getTodo(h.get, h.context),
  'middy (@middy/core)': (h) => h.middyGet(h.get, h.context),
  'hono aws-lambda': (h) => h.honoHandler(h.get as never, h.context),
  '@h4ad/serverless-adapter': (h) => h.h4adHandler(h.get, h.context),
  // serverless-http normalises the event in place (rawPath, decoded query): idempotent for this one.
  'serverless-http': (h) => h.serverlessHttpHandler(h.get, h.context),
});

await group('API Gateway v2 POST /todos, 1 KB JSON', 'post', {
  'raw Lambda handler': (h) => h.rawPost(h.post),
  'polycloud handle': (h) => h.createTodo(h.post, h.context),
  'middy (@middy/core)': (h) => h.middyPost(h.post, h.context),
  'hono aws-lambda': (h) => h.honoHandler(h.post as never, h.context),
  '@h4ad/serverless-adapter': (h) => h.h4adHandler(h.post, h.context),
  'serverless-http': (h) => h.serverlessHttpHandler(h.post, h.context),
});

await group('GET, reading every header, query value and cookie', 'read-get', {
  'hand-written, native event': (h) => h.rawReadAll(h.get),
  'polycloud, neutral HttpRequest': (h) => h.readAll(h.get, h.context),
});

await group('POST 1 KB, reading every header, query value, cookie and the JSON body', 'read-post', {
  'hand-written, native event': (h) => h.rawReadAll(h.post),
  'polycloud, neutral HttpRequest': (h) => h.readAll(h.post, h.context),
});

await group('SQS batch of 10, none failing', 'sqs-ok', {
  'raw Lambda handler': (h) => h.rawSqs(h.sqsOk),
  'polycloud handle': (h) => h.work(h.sqsOk, h.context),
  '@aws-lambda-powertools/batch': (h) => h.powertoolsSqs(h.sqsOk, h.context),
});

await group('SQS batch of 10, 2 failing', 'sqs', {
  'raw Lambda handler': (h) => h.rawSqs(h.sqs),
  'polycloud handle': (h) => h.work(h.sqs, h.context),
  '@aws-lambda-powertools/batch': (h) => h.powertoolsSqs(h.sqs, h.context),
});

const share = await load('share');
describe('adapter share on the GET event', () => {
  bench(
    'core runner.http only',
    async () => {
      await share.coreOnly();
    },
    RUN,
  );
  bench(
    'event → HttpRequest → Lambda response (translation only)',
    () => {
      share.translationOnly();
    },
    RUN,
  );
});
