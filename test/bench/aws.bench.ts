/**
 * Added cost of polycloud on AWS over a hand-written Lambda handler, on the same API Gateway v2 and
 * SQS events, same process. Both sides come from one bundle built with `polycloud build`'s esbuild
 * settings (handlers/aws.ts) and run as Node runs them on Lambda. Both read the same request fields
 * and answer the same Lambda response shape; the raw side pays for what it needs by hand. Compare rows
 * within a group: the difference in µs per call (GET, POST) and the ratio (SQS) are the claim.
 * Targets: ≤ 0.5 µs added (GET), ≤ 1 µs (POST 1 KB), SQS×10 with 2 failures ≤ 1.3× raw.
 */
import { bench, describe } from 'vitest';
import type * as Handlers from './handlers/aws.ts';
import { importProductionBundle } from './production-bundle.ts';

// Long runs after a warm-up: sub-µs differences need many samples to rise above GC and scheduler noise.
const RUN = { time: 2_000, warmupTime: 500 };

const load = (instance: string) =>
  importProductionBundle<typeof Handlers>(
    new URL('./handlers/aws.ts', import.meta.url).pathname,
    ['@aws-sdk/*'],
    instance,
  );
// One module instance per case, as one Lambda function per process (see importProductionBundle).
const getCase = await load('get');
const postCase = await load('post');
const sqsCase = await load('sqs');
const shareCase = await load('share');

describe('API Gateway v2 GET /todos/42', () => {
  const h = getCase;
  bench(
    'raw Lambda handler',
    async () => {
      await h.rawGet(h.get);
    },
    RUN,
  );
  bench(
    'polycloud handle',
    async () => {
      await h.getTodo(h.get, h.context);
    },
    RUN,
  );
});

describe('API Gateway v2 POST /todos, 1 KB JSON', () => {
  const h = postCase;
  bench(
    'raw Lambda handler',
    async () => {
      await h.rawPost(h.post);
    },
    RUN,
  );
  bench(
    'polycloud handle',
    async () => {
      await h.createTodo(h.post, h.context);
    },
    RUN,
  );
});

describe('SQS batch of 10, 2 failing', () => {
  const h = sqsCase;
  bench(
    'raw Lambda handler',
    async () => {
      await h.rawSqs(h.sqs);
    },
    RUN,
  );
  bench(
    'polycloud handle',
    async () => {
      await h.work(h.sqs, h.context);
    },
    RUN,
  );
});

describe('adapter share on the GET event', () => {
  const h = shareCase;
  bench(
    'core AppRuntime.dispatchHttp only',
    async () => {
      await h.coreOnly();
    },
    RUN,
  );
  bench(
    'event → HttpRequest → Lambda response (translation only)',
    () => {
      h.translationOnly();
    },
    RUN,
  );
});
