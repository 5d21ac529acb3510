/**
 * One regression test per PEER-BUGS.md item relevant to AWS (docs/peer-bugs.md): bugs users hit
 * in serverless-express, serverless-http, Hono, @h4ad/serverless-adapter, middy and Powertools.
 */
import {
  defineApp,
  type Handler,
  type HttpHandlerResult,
  type HttpRequest,
  http,
  InvalidEventError,
  queue,
  schedule,
} from '@polycloud/core';
import { utf8 } from '@polycloud/core/adapter';
import { describe, expect, it } from 'vitest';
import { ALB_RESPONSE_LIMIT_BYTES, createLambda, LAMBDA_RESPONSE_LIMIT_BYTES } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { kinesisRecord, scheduledEvent, sqsRecord } from '../support/native-events.ts';
import { type HttpFrontDoor, nativeHttpEvent } from '../support/native-http.ts';

type Json = Record<string, any>;
const DOORS: HttpFrontDoor[] = ['apigw-v1', 'apigw-v2', 'function-url', 'alb', 'alb-multi'];

function setup(handler: Handler<HttpRequest, HttpHandlerResult>, route = 'ANY /*') {
  const logs: Json[] = [];
  const app = defineApp({ name: 'peer', functions: { web: http(route, handler) } });
  const lambda = createLambda(app, { logWriter: (line) => logs.push(JSON.parse(line)) });
  const call = async (event: unknown) =>
    JSON.parse(
      JSON.stringify(await lambda.handler('web')(event, lambdaContext({ functionName: 'web' }))),
    ) as Json;
  return { call, logs };
}

const echoPath = (req: HttpRequest) => ({
  path: req.path,
  params: req.params,
  query: [...req.query],
  headers: [...req.headers],
  body: req.text(),
});

describe('PEER-BUGS #1: several Set-Cookie values survive every AWS front door', () => {
  const cookies = ['a=1; Path=/', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/', 'c=3'];
  const { call } = setup(() => ({ status: 200, cookies, body: 'ok' }));
  it('REST v1 answers multiValueHeaders set-cookie', async () => {
    const res = await call(nativeHttpEvent('apigw-v1', { method: 'GET', path: '/x' }, 'r'));
    expect(res.multiValueHeaders['set-cookie']).toEqual(cookies);
  });
  it('HTTP API v2 and Function URLs answer `cookies` (no multiValueHeaders there)', async () => {
    for (const door of ['apigw-v2', 'function-url'] as const) {
      const res = await call(nativeHttpEvent(door, { method: 'GET', path: '/x' }, 'r'));
      expect(res.cookies).toEqual(cookies);
      expect(res.multiValueHeaders).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });
  it('ALB multi-value answers every cookie in order; single-value keeps each under its own name casing', async () => {
    const multi = await call(nativeHttpEvent('alb-multi', { method: 'GET', path: '/x' }, 'r'));
    expect(multi.multiValueHeaders['set-cookie']).toEqual(cookies);
    expect(multi.headers).toBeUndefined();
    const single = await call(nativeHttpEvent('alb', { method: 'GET', path: '/x' }, 'r'));
    expect(single.multiValueHeaders).toBeUndefined();
    const sent = Object.entries(single.headers as Record<string, string>)
      .filter(([k]) => k.toLowerCase() === 'set-cookie')
      .map(([, v]) => v);
    expect(sent).toEqual(cookies);
  });
});

describe('PEER-BUGS #2: stage and base-path prefixes', () => {
  const { call } = setup(echoPath, 'GET /todos/:id');
  it('HTTP API v2 strips a named stage from rawPath on the execute-api endpoint', async () => {
    const res = await call(nativeHttpEvent('apigw-v2', { method: 'GET', path: '/todos/7' }, 'r'));
    expect(JSON.parse(res.body)).toMatchObject({ path: '/todos/7', params: { id: '7' } });
  });
  it('HTTP API v2 keeps rawPath on a custom domain (no stage there)', async () => {
    const event = nativeHttpEvent('apigw-v2', { method: 'GET', path: '/todos/7' }, 'r');
    event.rawPath = '/todos/7';
    (event.requestContext as Json).domainName = 'api.example.com';
    expect(JSON.parse((await call(event)).body).path).toBe('/todos/7');
  });
  it('REST v1 behind a base-path mapping: `path` carries /v1, resource + pathParameters do not', async () => {
    const event = nativeHttpEvent('apigw-v1', { method: 'GET', path: '/todos/7' }, 'r');
    Object.assign(event, { path: '/v1/todos/7', resource: '/todos/{id}', pathParameters: { id: '7' } });
    expect(JSON.parse((await call(event)).body)).toMatchObject({ path: '/todos/7', params: { id: '7' } });
  });
  it('a REST event that also carries `rawPath` is still read (and answered) as REST v1', async () => {
    const event = nativeHttpEvent('apigw-v1', { method: 'GET', path: '/todos/7' }, 'r');
    event.rawPath = '/v1/todos/7';
    const res = await call(event);
    expect(res.statusCode).toBe(200);
    expect(res).not.toHaveProperty('cookies');
    expect(JSON.parse(res.body).path).toBe('/todos/7');
  });
});

describe("PEER-BUGS #3: a response over Lambda's 6 MB limit is a clear 500, never a truncation", () => {
  it('answers 500 in the front door shape and logs the limit', async () => {
    const big = 'x'.repeat(LAMBDA_RESPONSE_LIMIT_BYTES + 10);
    const { call, logs } = setup(() => ({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: big,
    }));
    for (const door of DOORS) {
      const res = await call(nativeHttpEvent(door, { method: 'GET', path: '/big' }, 'r'));
      expect(res.statusCode, door).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ error: 'Internal Server Error' });
    }
    const errors = logs.filter((l) => l.level === 'ERROR');
    expect(errors).toHaveLength(DOORS.length);
    expect(errors[0]!.message).toContain(
      `6 MB response payload limit (${LAMBDA_RESPONSE_LIMIT_BYTES} bytes)`,
    );
  });
  it('ALB answers 500 above its 1 MB limit, where API Gateway still passes the body', async () => {
    const body = 'w'.repeat(ALB_RESPONSE_LIMIT_BYTES + 1);
    const { call, logs } = setup(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body }));
    for (const door of ['alb', 'alb-multi'] as const) {
      const res = await call(nativeHttpEvent(door, { method: 'GET', path: '/' }, 'r'));
      expect(res.statusCode, door).toBe(500);
      expect(res.statusDescription).toBe('500 Internal Server Error');
    }
    expect(logs[0]!.message).toContain(
      `ALB's 1 MB limit on a Lambda target's response (${ALB_RESPONSE_LIMIT_BYTES} bytes)`,
    );
    expect((await call(nativeHttpEvent('apigw-v2', { method: 'GET', path: '/' }, 'r'))).statusCode).toBe(200);
  });
  it('a binary body that only crosses the limit once base64-encoded is caught too', async () => {
    const bytes = new Uint8Array(4_800_000); // 6.4 MB as base64
    const { call } = setup(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: bytes }));
    expect((await call(nativeHttpEvent('apigw-v2', { method: 'GET', path: '/img' }, 'r'))).statusCode).toBe(
      500,
    );
  });
  it('a 4 MB body under the limit goes out whole', async () => {
    const body = 'y'.repeat(4 * 1024 * 1024);
    const { call } = setup(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body }));
    const res = await call(nativeHttpEvent('apigw-v2', { method: 'GET', path: '/ok' }, 'r'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toHaveLength(body.length);
  });
});

describe('PEER-BUGS #4: an event no source accepts says what it is, whose function, which keys', () => {
  const app = defineApp({
    name: 'peer',
    functions: {
      web: http('ANY /*', () => 'ok'),
      jobs: queue('jobs', () => undefined),
      nightly: schedule('nightly', '0 3 * * *', () => undefined),
    },
  });
  const lambda = createLambda(app, { logWriter: () => undefined });
  const reject = (fn: string, event: unknown) =>
    lambda
      .handler(fn)(event, lambdaContext())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
  it('an SQS batch sent to an http function', async () => {
    const error = await reject('web', { Records: [sqsRecord({ messageId: 'm', body: '{}' }, 'q')] });
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toBe(
      'event: function "web" (http trigger) accepts API Gateway REST (v1) and HTTP API (v2) requests, ALB requests and Lambda Function URL requests; got an SQS batch with top-level keys [Records]',
    );
  });
  it('a custom payload (a plain async invoke) sent to a queue function', async () => {
    const error = (await reject('jobs', { orderId: 7, note: 'hi' })) as Error;
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.message).toContain('function "jobs" (queue trigger)');
    expect(error.message).toContain('top-level keys [orderId, note]');
  });
  it('a non-schedule EventBridge event sent to a schedule function', async () => {
    const error = (await reject('nightly', {
      ...scheduledEvent(new Date(), 'x'),
      'detail-type': 'Thing Happened',
      source: 'acme',
    })) as Error;
    expect(error.message).toContain('function "nightly" (schedule trigger)');
    expect(error.message).toContain('an EventBridge event (source "acme")');
  });
  it('null, arrays and strings are described too', async () => {
    expect(((await reject('web', null)) as Error).message).toContain('got null');
    expect(((await reject('web', [1, 2])) as Error).message).toContain('got an array of 2');
    expect(((await reject('web', 'ping')) as Error).message).toContain('got a string');
  });
  it('a minimal SAM-local-style HttpApi event (no cookies, empty rawQueryString, no body) is accepted', async () => {
    const res = (await lambda.handler('web')(
      {
        version: '2.0',
        routeKey: 'GET /hello',
        rawPath: '/hello',
        rawQueryString: '',
        headers: { host: 'localhost:3000' },
        requestContext: {
          http: { method: 'GET', path: '/hello', sourceIp: '127.0.0.1' },
          stage: '$default',
          domainName: 'localhost',
        },
        isBase64Encoded: false,
      },
      lambdaContext(),
    )) as Json;
    expect(res.statusCode).toBe(200);
  });
});

describe('PEER-BUGS #5: non-HTTP triggers reach user code in an app that also has http functions', () => {
  it('queue and schedule handlers run from the same lambda instance as the http one', async () => {
    const seen: string[] = [];
    const app = defineApp({
      name: 'mixed',
      functions: {
        web: http('GET /', () => 'ok'),
        jobs: queue('jobs', (m) => {
          seen.push(`queue:${m.id}`);
        }),
        nightly: schedule('nightly', '0 3 * * *', (ev) => {
          seen.push(`schedule:${ev.name}`);
        }),
      },
    });
    const lambda = createLambda(app, { logWriter: () => undefined });
    await lambda.handler('jobs')(
      { Records: [sqsRecord({ messageId: 'm1', body: '{}' }, 'jobs')] },
      lambdaContext(),
    );
    await lambda.handler('nightly')(scheduledEvent(new Date(), 'nightly'), lambdaContext());
    expect(seen).toEqual(['queue:m1', 'schedule:nightly']);
  });
});

describe('PEER-BUGS #6: request header names are lower-case on every front door', () => {
  const { call } = setup(echoPath);
  for (const door of DOORS) {
    it(door, async () => {
      const res = await call(
        nativeHttpEvent(
          door,
          {
            method: 'GET',
            path: '/h',
            headers: [
              ['X-Mixed-Case', 'v'],
              ['Content-Type', 'text/plain'],
            ],
          },
          'r',
        ),
      );
      const names = (JSON.parse(res.body).headers as [string, string][]).map(([n]) => n);
      expect(names).toContain('x-mixed-case');
      expect(names.filter((n) => n !== n.toLowerCase())).toEqual([]);
    });
  }
});

describe('PEER-BUGS #7: Transfer-Encoding: chunked never leaks into a buffered Lambda response', () => {
  it('framing headers set by a handler or a Fetch Response are dropped', async () => {
    const { call } = setup(
      () =>
        new Response('hello', {
          headers: { 'transfer-encoding': 'chunked', connection: 'keep-alive', 'content-type': 'text/plain' },
        }),
    );
    for (const door of DOORS) {
      const res = await call(nativeHttpEvent(door, { method: 'GET', path: '/' }, 'r'));
      const names = Object.keys(res.headers ?? res.multiValueHeaders).map((n) => n.toLowerCase());
      expect(names, door).not.toContain('transfer-encoding');
      expect(names, door).not.toContain('connection');
      expect(res.body).toBe('hello');
    }
  });
});

describe('PEER-BUGS #8: base64 is decided by content-type and content-encoding', () => {
  const cases: [Record<string, string>, boolean][] = [
    [{ 'content-type': 'application/json' }, false],
    [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, true],
    [{ 'content-type': 'image/png' }, true],
    [{ 'content-type': 'text/html; charset=utf-8' }, false],
    [{ 'content-type': 'application/vnd.api+json' }, false],
    [{ 'content-type': 'application/octet-stream' }, true],
  ];
  for (const [headers, binary] of cases) {
    it(`${JSON.stringify(headers)} → isBase64Encoded ${binary}`, async () => {
      const bytes = Uint8Array.from([0x7b, 0x7d, 0xff, 0x00]);
      const { call } = setup(() => ({ status: 200, headers, body: bytes }));
      const res = await call(nativeHttpEvent('apigw-v2', { method: 'GET', path: '/' }, 'r'));
      expect(res.isBase64Encoded).toBe(binary);
      if (binary) expect(Buffer.from(res.body, 'base64')).toEqual(Buffer.from(bytes));
    });
  }
});

describe('PEER-BUGS #9: ALB query strings are decoded exactly once', () => {
  const { call } = setup(echoPath);
  it('encoded %, + and & arrive decoded once (single and multi-value mode)', async () => {
    for (const door of ['alb', 'alb-multi'] as const) {
      const event = nativeHttpEvent(door, { method: 'GET', path: '/q' }, 'r');
      const raw = { pct: '100%2525', plus: 'a+b%2Bc', amp: 'x%26y', space: 'a%20b' };
      if (door === 'alb') event.queryStringParameters = raw;
      else
        event.multiValueQueryStringParameters = Object.fromEntries(
          Object.entries(raw).map(([k, v]) => [k, [v]]),
        );
      const query = JSON.parse((await call(event)).body).query;
      expect(query, door).toEqual([
        ['pct', '100%25'],
        ['plus', 'a b+c'],
        ['amp', 'x&y'],
        ['space', 'a b'],
      ]);
    }
  });
  it('API Gateway REST values (already decoded by API Gateway) are not decoded again', async () => {
    const event = nativeHttpEvent(
      'apigw-v1',
      {
        method: 'GET',
        path: '/q',
        query: [
          ['pct', '100%25'],
          ['plus', 'a+b'],
        ],
      },
      'r',
    );
    expect(JSON.parse((await call(event)).body).query).toEqual([
      ['pct', '100%25'],
      ['plus', 'a+b'],
    ]);
  });
});

describe('PEER-BUGS #11: handler errors are clean 500s in the front door shape, never a thrown error (502)', () => {
  it('a thrown error answers 500 with a generic body and no stack', async () => {
    const { call, logs } = setup(() => {
      throw new Error('db password is hunter2');
    });
    for (const door of DOORS) {
      const res = await call(nativeHttpEvent(door, { method: 'GET', path: '/' }, 'r'));
      expect(res.statusCode, door).toBe(500);
      expect(res.body).toBe('{"error":"Internal Server Error"}');
      if (door.startsWith('alb')) expect(res.statusDescription).toBe('500 Internal Server Error');
    }
    expect(logs.find((l) => l.level === 'ERROR')?.errorMessage).toBe('db password is hunter2');
  });
});

describe("PEER-BUGS #12: no arbitrary request body limit below Lambda's own", () => {
  it('a 5 MB JSON body reaches the handler whole', async () => {
    const payload = JSON.stringify({ data: 'z'.repeat(5 * 1024 * 1024) });
    const { call } = setup((req) => ({ length: req.json<{ data: string }>().data.length }));
    const res = await call(
      nativeHttpEvent('apigw-v2', { method: 'POST', path: '/upload', body: utf8(payload) }, 'r'),
    );
    expect(JSON.parse(res.body)).toEqual({ length: 5 * 1024 * 1024 });
  });
});

describe('PEER-BUGS #13: ordered batches never let a message overtake a failed one', () => {
  const run = async (event: unknown) => {
    const handled: string[] = [];
    const app = defineApp({
      name: 'fifo',
      functions: {
        jobs: queue('jobs', (m) => {
          handled.push(m.id);
          if (m.text().includes('fail')) throw new Error('nope');
        }),
      },
    });
    const lambda = createLambda(app, { logWriter: () => undefined });
    const res = (await lambda.handler('jobs')(event, lambdaContext())) as {
      batchItemFailures: { itemIdentifier: string }[];
    };
    return { handled, failed: res.batchItemFailures.map((f) => f.itemIdentifier) };
  };
  it('SQS FIFO: the failed message and every later one are reported, the later ones unrun', async () => {
    const records = ['ok', 'fail', 'ok', 'ok'].map((body, i) =>
      sqsRecord({ messageId: `m${i + 1}`, body, groupId: i % 2 ? 'A' : 'B' }, 'jobs.fifo', i),
    );
    expect(await run({ Records: records })).toEqual({ handled: ['m1', 'm2'], failed: ['m2', 'm3', 'm4'] });
  });
  it('SQS FIFO: a malformed record blocks the rest of the batch too', async () => {
    const records = ['ok', 'ok', 'ok'].map((body, i) =>
      sqsRecord({ messageId: `m${i + 1}`, body }, 'jobs.fifo', i),
    );
    delete records[1]!.body;
    expect(await run({ Records: records })).toEqual({ handled: ['m1'], failed: ['m2', 'm3'] });
  });
  it('SQS standard: only the failed message is reported', async () => {
    const records = ['ok', 'fail', 'ok'].map((body, i) =>
      sqsRecord({ messageId: `m${i + 1}`, body }, 'jobs'),
    );
    const { failed } = await run({ Records: records });
    expect(failed).toEqual(['m2']);
  });
  it('Kinesis: reported by sequence number, from the first failure on', async () => {
    const records = ['ok', 'fail', 'ok'].map((body, i) =>
      kinesisRecord({ id: `e${i}`, body: utf8(body) }, 'jobs', `10${i}`),
    );
    expect(await run({ Records: records })).toEqual({ handled: ['e0', 'e1'], failed: ['101', '102'] });
  });
});
