/**
 * End to end on AWS's own runtime interface client (aws-lambda-ric, the code that runs Node
 * functions on Lambda): the BUILT examples/echo functions, fed by a Lambda Runtime API test server.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FunctionInvokeError } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaFunctionClient } from '../../src/clients/function-client.ts';
import { buildApp, buildEntry } from '../support/build-app.ts';
import { type RunningProcess, start } from '../support/child-process.ts';
import { InvokeApiServer } from '../support/invoke-api.ts';
import { type InvocationOutcome, RuntimeApiServer } from '../support/runtime-api.ts';
import { repoRoot } from '../support/sam-schema.ts';

const RIC = resolve(repoRoot, 'node_modules/aws-lambda-ric/index.mjs');
const fixture = (path: string) =>
  JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures/aws', path), 'utf8')) as Record<string, any>;

interface Lambda {
  api: RuntimeApiServer;
  process: RunningProcess;
  invoke(event: unknown): Promise<InvocationOutcome>;
}

let outDir: string;
let offlineOutDir: string;
const lambdas: Lambda[] = [];

/** One Lambda execution environment: a Runtime API server and aws-lambda-ric running the bundle. */
async function startLambda(
  functionName: string,
  root = outDir,
  app = 'echo',
  handler = 'index.handler',
): Promise<Lambda> {
  const api = await RuntimeApiServer.start(`${app}-${functionName}`);
  const taskRoot = join(root, 'functions', functionName);
  const proc = start(process.execPath, [RIC, handler], {
    name: `aws-lambda-ric ${functionName}`,
    cwd: taskRoot,
    env: {
      PATH: process.env.PATH,
      TZ: 'UTC',
      AWS_LAMBDA_RUNTIME_API: api.address,
      _HANDLER: handler,
      LAMBDA_TASK_ROOT: taskRoot,
      AWS_LAMBDA_FUNCTION_NAME: `${app}-${functionName}`,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${app}-${functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/27/[$LATEST]0123456789abcdef',
      AWS_REGION: 'us-east-1',
      // What template.yaml's Globals give every function.
      POLYCLOUD_APP: app,
    },
  });
  const lambda: Lambda = {
    api,
    process: proc,
    // A crashed runtime client fails the test at once instead of waiting for the timeout.
    invoke: (event) => Promise.race([api.invoke(event, { timeoutMs: 15_000 }), proc.exited]),
  };
  lambdas.push(lambda);
  return lambda;
}

let http: Lambda;
let queue: Lambda;
let cookies: Lambda;
let invokeApi: InvokeApiServer;

beforeAll(async () => {
  ({ outDir } = await buildApp(resolve(repoRoot, 'examples/echo')));
  // The bundles run from a temp folder where @aws-sdk/* cannot even be resolved: a function that
  // never calls another one must not load the SDK (Lambda ships it; here it is simply absent).
  expect(() =>
    createRequire(join(outDir, 'functions/echoHttp/index.mjs')).resolve('@aws-sdk/client-lambda'),
  ).toThrow();
  const offlineApp = resolve(import.meta.dirname, '../support/offline-app');
  offlineOutDir = mkdtempSync(join(tmpdir(), 'polycloud-aws-'));
  await buildEntry(offlineApp, join(offlineApp, 'app.ts'), offlineOutDir);
  let callee: Lambda;
  let thrower: Lambda;
  let item: Lambda;
  [http, queue, cookies, callee, thrower, item] = await Promise.all([
    startLambda('echoHttp'),
    startLambda('echoQueue'),
    startLambda('cookies', offlineOutDir, 'offline'),
    startLambda('callee', offlineOutDir, 'offline'),
    startLambda('thrower', offlineOutDir, 'offline'),
    startLambda('item', offlineOutDir, 'offline'),
  ]);
  invokeApi = await InvokeApiServer.start(
    new Map([callee, thrower, item].map((l) => [l.api.functionName, l.api] as const)),
  );
});

afterAll(async () => {
  await invokeApi?.close();
  for (const l of lambdas) {
    await l.process.stop();
    await l.api.close();
  }
  for (const dir of [outDir, offlineOutDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function apiGatewayV2(init: {
  method: string;
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: Uint8Array;
}): Record<string, any> {
  const base = fixture('apigw-http/powertools-ts-no-auth.json');
  return {
    ...base,
    routeKey: `${init.method} /echo/{proxy+}`,
    rawPath: init.rawPath,
    rawQueryString: init.rawQueryString ?? '',
    ...(init.cookies ? { cookies: init.cookies } : {}),
    headers: { ...base.headers, 'content-length': String(init.body?.length ?? 0), ...init.headers },
    requestContext: {
      ...base.requestContext,
      routeKey: `${init.method} /echo/{proxy+}`,
      requestId: randomUUID(),
      http: { ...base.requestContext.http, method: init.method, path: init.rawPath },
    },
    ...(init.body
      ? { body: Buffer.from(init.body).toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
}

describe('aws-lambda-ric runs the built examples/echo', () => {
  it('API Gateway v2: cookies, repeated query keys and a binary body arrive intact', async () => {
    const bytes = new Uint8Array(256).map((_, i) => (i * 7 + 3) & 0xff); // every byte value, 0x00 and 0xff included
    const outcome = await http.invoke(
      apiGatewayV2({
        method: 'POST',
        rawPath: '/echo/files/a%20b',
        rawQueryString: 'tag=x&tag=y&q=%C3%A9',
        headers: { 'content-type': 'application/octet-stream', 'X-Mixed-Case': 'Yes' },
        cookies: ['session=abc123', 'theme=dark', 'empty='],
        body: bytes,
      }),
    );
    expect(outcome.kind).toBe('response');
    const response = JSON.parse(outcome.body) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
      isBase64Encoded: boolean;
    };
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.isBase64Encoded
      ? Buffer.from(response.body, 'base64').toString('utf8')
      : response.body;
    const echo = JSON.parse(body) as Record<string, any>;
    expect(echo.method).toBe('POST');
    expect(echo.path).toBe('/echo/files/a b');
    expect(echo.query).toEqual({ tag: ['x', 'y'], q: ['é'] });
    expect(echo.cookies).toEqual({ session: 'abc123', theme: 'dark', empty: '' });
    expect(echo.headers['x-mixed-case']).toBe('Yes');
    // Byte-exact: the base64 the handler saw decodes to exactly the bytes sent.
    expect(Buffer.from(echo.bodyBase64, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(echo.identity).toBeNull();
  });

  it('API Gateway v2: several Set-Cookie values come back separately in `cookies`', async () => {
    const outcome = await cookies.invoke(apiGatewayV2({ method: 'GET', rawPath: '/cookies' }));
    expect(outcome.kind).toBe('response');
    const response = JSON.parse(outcome.body) as Record<string, any>;
    expect(response.statusCode).toBe(200);
    expect(response.cookies).toEqual([
      'session=abc; Path=/; HttpOnly',
      'theme=dark; Max-Age=3600',
      'lang=en, fr',
    ]);
    expect(response.headers?.['set-cookie']).toBeUndefined();
  });

  it('a throwing handler answers a generic 500, never the message or stack', async () => {
    const outcome = await http.invoke(
      apiGatewayV2({ method: 'GET', rawPath: '/echo/boom', headers: { 'x-echo-fail': '1' } }),
    );
    expect(outcome.kind).toBe('response');
    const response = JSON.parse(outcome.body) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/x-echo-fail|echo failure|at /);
    // The failure is logged in full for the operator, in Lambda's JSON format.
    expect(http.process.output()).toMatch(/echo failure requested by x-echo-fail/);
  });

  it('a handler name the bundle does not export is reported to init/error', async () => {
    const broken = await startLambda('echoHttp', outDir, 'echo', 'index.handlr');
    const error = await Promise.race([broken.api.initError(15_000), broken.process.exited]);
    expect(JSON.parse(error.body)).toMatchObject({ errorType: 'Runtime.HandlerNotFound' });
  });

  it('a direct invoke payload reaches the function through the polycloud:invoke envelope', async () => {
    const outcome = await http.invoke({
      'polycloud:invoke': { function: 'echoHttp', payload: { hello: 'world' } },
    });
    expect(outcome.kind).toBe('response');
    const echo = JSON.parse(outcome.body) as Record<string, any>;
    expect(echo.method).toBe('POST');
    expect(Buffer.from(echo.bodyBase64, 'base64').toString('utf8')).toBe('{"hello":"world"}');
  });

  it('SQS batch: exactly the two failing messages are reported in batchItemFailures', async () => {
    const base = fixture('sqs/powertools-ts-base.json').Records[0] as Record<string, any>;
    const bodies = [
      { n: 1 },
      { n: 2, fail: true },
      'plain text',
      { n: 4, fail: true },
      { n: 5, fail: false },
    ];
    const records = bodies.map((body) => ({
      ...base,
      messageId: randomUUID(),
      body: typeof body === 'string' ? body : JSON.stringify(body),
      messageAttributes: {},
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:echo-queue',
    }));
    const outcome = await queue.invoke({ Records: records });
    expect(outcome.kind).toBe('response');
    expect(JSON.parse(outcome.body)).toEqual({
      batchItemFailures: [
        { itemIdentifier: records[1]!.messageId },
        { itemIdentifier: records[3]!.messageId },
      ],
    });
    // Every message reached the handler once, logged as a Lambda JSON log line with the request id.
    const lines = queue.process
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>)
      .filter((l) => l.echo === 'queue' && l.requestId === outcome.requestId);
    expect(lines.map((l) => l.event.id)).toEqual(records.map((r) => r.messageId));
    expect(lines.every((l) => typeof l.timestamp === 'string' && l.level === 'INFO')).toBe(true);
  });
});

describe('Lambda FunctionClient against functions run by aws-lambda-ric', () => {
  // Lambda Invoke API in front of the runtime clients; credentials are never checked locally.
  const client = () =>
    createLambdaFunctionClient({
      endpoint: invokeApi.endpoint,
      functionNameFor: (name) => `offline-${name}`,
    });

  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
  });

  it('RequestResponse returns the decoded JSON result', async () => {
    await expect(client().invoke('callee', { n: 8 })).resolves.toEqual({
      doubled: 16,
      by: 'callee',
      provider: 'aws',
    });
  });

  it('Event resolves undefined at once; the target still runs', async () => {
    const before = invokeApi.background.length;
    await expect(client().invoke('callee', { n: 1 }, { async: true })).resolves.toBeUndefined();
    expect(invokeApi.background.length).toBe(before + 1);
    const outcome = await invokeApi.background.at(-1)!;
    expect(outcome).toMatchObject({ kind: 'response' });
    expect(JSON.parse(outcome.body)).toMatchObject({ doubled: 2 });
  });

  it("a thrown error becomes FunctionInvokeError with the runtime client's errorType and errorMessage", async () => {
    const error = await client()
      .invoke('thrower', { reason: 'out of stock' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvokeError);
    expect(error).toMatchObject({
      functionName: 'thrower',
      errorType: 'RangeError',
      errorMessage: 'thrower refuses: out of stock',
      status: undefined,
    });
  });

  it("an http target's 4xx arrives as the same FunctionInvokeError an in-process invoke gives", async () => {
    const error = await client()
      .invoke('item', { id: '7' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvokeError);
    expect(error).toMatchObject({
      functionName: 'item',
      errorType: 'HttpError404',
      errorMessage: 'no item 7',
      status: 404,
    });
  });

  it('an unknown function is a FunctionInvokeError of type ResourceNotFoundException', async () => {
    const error = await client()
      .invoke('ghost')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvokeError);
    expect(error).toMatchObject({
      functionName: 'ghost',
      errorType: 'ResourceNotFoundException',
      status: 404,
    });
  });
});
