import {
  type Context,
  defineApp,
  event,
  FunctionClient,
  FunctionInvokeError,
  HttpError,
  http,
  InvalidEventError,
  Queue,
  queue,
  schedule,
  storage,
  Topic,
  topic,
} from '@polycloud/core';
import { INVOKE_ENVELOPE_KEY, utf8 } from '@polycloud/core/adapter';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { awsRaw, createLambda, handle } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { s3Record, snsEvent, sqsRecord } from '../support/native-events.ts';
import { nativeHttpEvent } from '../support/native-http.ts';

type Json = Record<string, any>;

describe('context', () => {
  it('carries awsRequestId, the deadline from getRemainingTimeInMillis, the raw event and context', async () => {
    let seen: Context | undefined;
    const app = defineApp({
      functions: {
        web: http('GET /', (_req, ctx) => {
          seen = ctx;
          return 'ok';
        }),
      },
    });
    const handler = handle(app, 'web', { logWriter: () => undefined });
    const context = lambdaContext({ requestId: 'aws-req-1', timeoutMs: 10_000 });
    const event = nativeHttpEvent('apigw-v2', { method: 'GET', path: '/' }, 'r');
    const before = Date.now();
    await handler(event, context);
    expect(seen!.requestId).toBe('aws-req-1');
    expect(seen!.provider).toBe('aws');
    expect(seen!.deadline).toBeGreaterThanOrEqual(before + 9_900);
    expect(seen!.deadline).toBeLessThanOrEqual(Date.now() + 10_000);
    const raw = awsRaw<APIGatewayProxyEventV2>(seen!);
    expect(raw.event.rawPath).toBe('/live/');
    expect(raw.context.awsRequestId).toBe('aws-req-1');
  });

  it('ctx.signal fires the configured margin before the Lambda timeout', async () => {
    const app = defineApp({
      functions: {
        slow: http('GET /', async (_req, ctx) => {
          const start = Date.now();
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
          return { firedAfterMs: Date.now() - start, remainingMs: ctx.remainingMs() };
        }),
      },
    });
    const handler = handle(app, 'slow', { abortMarginMs: 200, logWriter: () => undefined });
    const res = (await handler(
      nativeHttpEvent('apigw-v2', { method: 'GET', path: '/' }, 'r'),
      lambdaContext({ timeoutMs: 600 }),
    )) as Json;
    const body = JSON.parse(res.body);
    expect(body.remainingMs).toBeGreaterThan(0);
    expect(body.remainingMs).toBeLessThanOrEqual(200);
  });
});

describe('logs in Lambda JSON format', () => {
  it('keeps a "__proto__" field from client JSON as data: its keys never become fields of the line', async () => {
    const lines: string[] = [];
    const app = defineApp({
      functions: {
        web: http('POST /', (req, ctx) => {
          // JSON.parse, not req.json() (which drops such keys): user code may log what it parsed itself.
          ctx.log.warn('client sent', JSON.parse(req.text()) as Record<string, unknown>);
          return 'ok';
        }),
      },
    });
    const event = nativeHttpEvent(
      'apigw-v2',
      { method: 'POST', path: '/', body: utf8('{"__proto__":{"forged":true},"a":1}') },
      'r',
    );
    await handle(app, 'web', { logWriter: (l) => lines.push(l) })(
      event,
      lambdaContext({ requestId: 'req-7' }),
    );
    const line = JSON.parse(lines[0]!) as Json;
    expect(line.requestId).toBe('req-7');
    expect(line.a).toBe(1);
    expect(line.forged).toBeUndefined();
    expect(Object.hasOwn(line, '__proto__')).toBe(true);
  });

  it('writes timestamp, upper-case level, requestId, message and extra fields; errors as errorType/errorMessage', async () => {
    const lines: string[] = [];
    const app = defineApp({
      name: 'logs',
      functions: {
        web: http('GET /', (_req, ctx) => {
          ctx.log.info('hello', { orderId: 7 });
          throw new Error('boom');
        }),
      },
    });
    await handle(app, 'web', { logWriter: (l) => lines.push(l) })(
      nativeHttpEvent('apigw-v2', { method: 'GET', path: '/' }, 'r'),
      lambdaContext({ requestId: 'req-42' }),
    );
    const [info, error] = lines.map((l) => JSON.parse(l) as Json);
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    expect(Object.keys(info!).slice(0, 4)).toEqual(['timestamp', 'level', 'requestId', 'message']);
    expect(info).toMatchObject({
      level: 'INFO',
      requestId: 'req-42',
      message: 'hello',
      orderId: 7,
      app: 'logs',
      function: 'web',
    });
    expect(Number.isNaN(Date.parse(info!.timestamp))).toBe(false);
    expect(error).toMatchObject({
      level: 'ERROR',
      requestId: 'req-42',
      errorType: 'Error',
      errorMessage: 'boom',
    });
    expect(Array.isArray(error!.stackTrace)).toBe(true);
  });
});

describe('direct invoke envelope (FunctionClient → Lambda Invoke)', () => {
  const app = defineApp({
    functions: {
      getTodo: http('GET /todos/:id', (req) => {
        if (req.params.id === '404') throw new HttpError(404, 'no such todo');
        return { id: req.params.id };
      }),
      work: queue('work', (m) => {
        if (m.json<{ fail?: boolean }>().fail) throw new TypeError('bad work');
      }),
    },
  });
  const lambda = createLambda(app, { logWriter: () => undefined });
  const envelope = (fn: string, payload: unknown) => ({ [INVOKE_ENVELOPE_KEY]: { function: fn, payload } });

  it('runs the named function through invokeByName and returns its value', async () => {
    expect(await lambda.handler('getTodo')(envelope('getTodo', { id: '7' }), lambdaContext())).toEqual({
      id: '7',
    });
  });
  it('hands the target the Lambda event and context as ctx.raw, the Lambda request id and deadline', async () => {
    let seen: Context | undefined;
    const target = createLambda(
      defineApp({
        functions: {
          peek: queue('peek', (_m, ctx) => {
            seen = ctx;
          }),
        },
      }),
      { logWriter: () => undefined },
    );
    const event = envelope('peek', { n: 1 });
    const before = Date.now();
    await target.handler('peek')(event, lambdaContext({ requestId: 'invoke-1', timeoutMs: 10_000 }));
    expect(seen!.requestId).toBe('invoke-1');
    // The deadline Lambda gives (now + remaining), not the function's default timeout.
    expect(seen!.deadline).toBeGreaterThanOrEqual(before + 9_900);
    expect(seen!.deadline).toBeLessThanOrEqual(Date.now() + 10_000);
    expect(awsRaw(seen!).event).toBe(event);
    expect(awsRaw(seen!).context.awsRequestId).toBe('invoke-1');
  });
  it('is accepted by any function of the app (the envelope names the target)', async () => {
    expect(await lambda.handler('work')(envelope('getTodo', { id: '8' }), lambdaContext())).toEqual({
      id: '8',
    });
  });
  it('an http target answering 4xx throws a FunctionInvokeError (Lambda errorType) with its status', async () => {
    const error = (await lambda
      .handler('getTodo')(envelope('getTodo', { id: '404' }), lambdaContext())
      .catch((e: unknown) => e)) as FunctionInvokeError;
    expect(error).toBeInstanceOf(FunctionInvokeError);
    expect(error.name).toBe('FunctionInvokeError');
    expect(error.status).toBe(404);
    expect(error.message).toBe('getTodo failed: HttpError404: no such todo');
  });
  it("a queue target's error propagates with its own name", async () => {
    const error = (await lambda
      .handler('work')(envelope('work', { fail: true }), lambdaContext())
      .catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('TypeError');
    expect(error.message).toBe('bad work');
  });
  it('an unknown target is an InvalidEventError listing the functions', async () => {
    const error = (await lambda
      .handler('work')(envelope('nope', {}), lambdaContext())
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.message).toBe(
      'polycloud:invoke.function: names no function of this app (functions: getTodo, work)',
    );
  });
});

describe('provider services', () => {
  const app = defineApp({ functions: { web: http('GET /', () => 'ok') } });
  it('Queue and Topic resolve once per cold start (their name lookups are cached there)', () => {
    const { runtime } = createLambda(app, { logWriter: () => undefined });
    expect(runtime.resolve(Queue)).toBe(runtime.resolve(Queue));
    expect(runtime.resolve(Topic)).toBe(runtime.resolve(Topic));
  });
  it('Queue and Topic check their arguments before any AWS call', async () => {
    const { runtime } = createLambda(app, { logWriter: () => undefined });
    await expect(runtime.resolve(Queue).send('q', undefined)).rejects.toThrow(
      'Queue.send("q"): body must be text, bytes or a JSON value',
    );
    await expect(runtime.resolve(Topic).publish('t', '')).rejects.toThrow(
      'Topic.publish("t"): body must not be empty',
    );
  });
  it('FunctionClient resolves once per cold start', () => {
    const { runtime } = createLambda(app, { logWriter: () => undefined });
    expect(runtime.resolve(FunctionClient)).toBe(runtime.resolve(FunctionClient));
    expect(typeof runtime.resolve(FunctionClient).invoke).toBe('function');
  });
  it('provider info comes from the Lambda environment', () => {
    const { runtime } = createLambda(app, { logWriter: () => undefined });
    expect(runtime.provider).toBe('aws');
    expect(runtime.config.provider).toBe('aws');
  });
  it('an unknown function name fails at handler creation, listing the functions', () => {
    expect(() => createLambda(app).handler('nope')).toThrow('no function named "nope" (functions: web)');
  });
});

describe('non-batch deliveries', () => {
  const seen: string[] = [];
  const app = defineApp({
    functions: {
      news: topic('news', (m) => {
        seen.push(`topic:${m.text()}`);
        if (m.text() === 'fail') throw new RangeError('topic failed');
      }),
      files: storage(
        'uploads',
        (ev) => {
          seen.push(`storage:${ev.type}:${ev.key}`);
          if (ev.key.includes('fail')) throw new Error(`cannot process ${ev.key}`);
        },
        { events: ['created'] },
      ),
      things: event({ type: 'Order Placed' }, (ev) => {
        seen.push(`event:${ev.type}`);
      }),
    },
  });
  const lambda = createLambda(app, { logWriter: () => undefined });

  it('SNS: a failed notification throws the handler error so Lambda retries the async invoke', async () => {
    await expect(
      lambda.handler('news')(snsEvent({ id: 'n1', body: utf8('fail') }, 'news'), lambdaContext()),
    ).rejects.toThrow(RangeError);
    await lambda.handler('news')(snsEvent({ id: 'n2', body: utf8('ok') }, 'news'), lambdaContext());
    expect(seen.slice(-2)).toEqual(['topic:fail', 'topic:ok']);
  });
  it('S3: keys decoded once; unsubscribed types acknowledged unrun; a failed record fails the event', async () => {
    seen.length = 0;
    const records = [
      s3Record({ type: 'created', bucket: 'uploads', key: 'a b+c.txt' }),
      s3Record({ type: 'deleted', bucket: 'uploads', key: 'gone.txt' }),
      s3Record({ type: 'created', bucket: 'uploads', key: 'fail.txt' }),
    ];
    const error = (await lambda
      .handler('files')({ Records: records }, lambdaContext())
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.message).toBe('1 of 3 records failed: Records[2]');
    expect(seen).toEqual(['storage:created:a b+c.txt', 'storage:created:fail.txt']);
  });
  it("S3 via SQS: S3's test event is acknowledged; a body that is no S3 event is reported failed", async () => {
    seen.length = 0;
    const test = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-01-01T00:00:00.000Z',
      Bucket: 'uploads',
    };
    const res = await lambda.handler('files')(
      {
        Records: [
          sqsRecord({ messageId: 't', body: JSON.stringify(test) }, 'q'),
          sqsRecord({ messageId: 'x', body: JSON.stringify({ hello: 1 }) }, 'q'),
          sqsRecord(
            {
              messageId: 'k',
              body: JSON.stringify({
                Records: [s3Record({ type: 'created', bucket: 'uploads', key: 'k.txt' })],
              }),
            },
            'q',
          ),
        ],
      },
      lambdaContext(),
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'x' }] });
    expect(seen).toEqual(['storage:created:k.txt']);
  });
  it('S3 via SNS', async () => {
    seen.length = 0;
    const body = utf8(
      JSON.stringify({ Records: [s3Record({ type: 'created', bucket: 'uploads', key: 'via%20sns' })] }),
    );
    await lambda.handler('files')(snsEvent({ id: 'n', body }, 'uploads-topic'), lambdaContext());
    expect(seen).toEqual(['storage:created:via%20sns']);
  });
  it('an SQS record without a messageId fails the whole batch (Lambda could not redeliver it alone)', async () => {
    const record = sqsRecord({ messageId: 'm', body: 'x' }, 'news');
    delete record.messageId;
    await expect(lambda.handler('news')({ Records: [record] }, lambdaContext())).rejects.toThrow(
      'Records[0]: record has no identifier Lambda could redeliver it by (Records[0].messageId: must be a non-empty string); failing the whole batch',
    );
  });
});

describe('schedules and malformed batch records', () => {
  it('EventBridge Scheduler (source aws.scheduler, detail "{}") is a ScheduleEvent too', async () => {
    const runs: string[] = [];
    const app = defineApp({
      functions: {
        nightly: schedule('nightly', '0 3 * * *', (ev) => {
          runs.push(`${ev.name}@${ev.scheduledTime.toISOString()}#${ev.id}`);
        }),
      },
    });
    await handle(app, 'nightly', { logWriter: () => undefined })(
      {
        version: '0',
        id: 'sched-1',
        'detail-type': 'Scheduled Event',
        source: 'aws.scheduler',
        account: '123456789012',
        time: '2026-03-04T03:00:00Z',
        region: 'us-east-1',
        resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly'],
        detail: '{}',
      },
      lambdaContext(),
    );
    expect(runs).toEqual(['nightly@2026-03-04T03:00:00.000Z#sched-1']);
  });

  it('a malformed SQS record is reported in batchItemFailures and logged with its path', async () => {
    const lines: Json[] = [];
    const handled: string[] = [];
    const app = defineApp({
      functions: {
        jobs: queue('jobs', (m) => {
          handled.push(m.id);
        }),
      },
    });
    const records = ['a', 'b', 'c', 'd'].map((id) => sqsRecord({ messageId: id, body: '{}' }, 'jobs'));
    records[3]!.body = { not: 'a string' };
    const res = await handle(app, 'jobs', { logWriter: (l) => lines.push(JSON.parse(l)) })(
      { Records: records },
      lambdaContext({ requestId: 'req-bad' }),
    );
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'd' }] });
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        requestId: 'req-bad',
        record: 'Records[3]',
        itemIdentifier: 'd',
        error: 'Records[3].body: must be a string',
      }),
    );
  });
});
