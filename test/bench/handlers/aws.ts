/**
 * The AWS benchmark's module: the same API Gateway v2 and SQS events, a hand-written Lambda handler
 * for each, and the polycloud handlers. test/bench/aws.bench.ts bundles it as `polycloud build` does
 * and runs both sides from that one bundle.
 */
import { defineApp, http, queue } from '@polycloud/core';
import { bindFunction } from '@polycloud/core/adapter';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { apigwV2 } from '../../../adapters/aws/src/http/apigw-v2.ts';
import { createLambda } from '../../../adapters/aws/src/index.ts';
import { apigwV2Event } from '../events/apigw-v2.ts';

export const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
  memoryLimitInMB: '128',
  awsRequestId: 'bench-request',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 3000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

export const get = apigwV2Event('GET', '/todos/42');
const payload = JSON.stringify({ title: 'x'.repeat(1000), done: false });
export const post = apigwV2Event('POST', '/todos', payload);

// Hand-written equivalents: what a user writes without polycloud.
export async function rawGet(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const id = event.rawPath.split('/')[2];
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) };
}
export async function rawPost(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const todo = JSON.parse(event.body ?? '{}') as { title: string };
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ length: todo.title.length }),
  };
}

const lambda = createLambda(
  defineApp({
    functions: {
      getTodo: http('GET /todos/:id', (req) => ({ id: req.params.id })),
      createTodo: http('POST /todos', (req) => ({
        status: 201,
        body: { length: req.json<{ title: string }>().title.length },
      })),
      work: queue('work', (m) => {
        if (m.json<{ fail?: boolean }>().fail) throw new Error('failed on purpose');
      }),
      // Reads every header, query value and cookie (and a POST's JSON body) through the neutral API.
      readAll: http('ANY /todos/*', (req) => {
        let headerCount = 0;
        let headerBytes = 0;
        for (const [name, value] of req.headers) {
          if (name === 'cookie') continue; // counted as cookies
          headerCount++;
          headerBytes += name.length + value.length;
        }
        const query: string[] = [];
        for (const [key, value] of req.query) query.push(`${key}=${value}`);
        const cookies: string[] = [];
        for (const name in req.cookies) cookies.push(`${name}=${req.cookies[name]}`);
        const length = req.method === 'POST' ? req.json<{ title: string }>().title.length : 0;
        return { headerCount, headerBytes, query, cookies, length };
      }),
    },
  }),
  { logWriter: () => undefined },
);
export const getTodo = lambda.handler('getTodo');
export const createTodo = lambda.handler('createTodo');
export const work = lambda.handler('work');
export const readAll = lambda.handler('readAll');

/** The same reads, hand-written against the native v2 event. */
export async function rawReadAll(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  let headerCount = 0;
  let headerBytes = 0;
  for (const name in event.headers) {
    headerCount++;
    headerBytes += name.length + event.headers[name]!.length;
  }
  const query: string[] = [];
  for (const [key, value] of new URLSearchParams(event.rawQueryString)) query.push(`${key}=${value}`);
  const cookies: string[] = [];
  for (const cookie of event.cookies ?? []) {
    const eq = cookie.indexOf('=');
    const value = cookie.slice(eq + 1);
    cookies.push(`${cookie.slice(0, eq)}=${value.includes('%') ? decodeURIComponent(value) : value}`);
  }
  const length =
    event.requestContext.http.method === 'POST'
      ? (JSON.parse(event.body ?? '{}') as { title: string }).title.length
      : 0;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ headerCount, headerBytes, query, cookies, length }),
  };
}

const sqsBatch = (failing: readonly number[]): SQSEvent => ({
  Records: Array.from({ length: 10 }, (_, i) => ({
    messageId: `m${i}`,
    receiptHandle: 'rh',
    body: JSON.stringify({ n: i, fail: failing.includes(i) }),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1772600000000',
      SenderId: 'AIDA',
      ApproximateFirstReceiveTimestamp: '1772600000001',
    },
    messageAttributes: {},
    md5OfBody: '0',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:work',
    awsRegion: 'us-east-1',
  })),
});
export const sqs = sqsBatch([3, 7]);
export const sqsOk = sqsBatch([]);
export const sink = (_line: string) => undefined;
// The raw side logs its failures as a JSON line too, as any production handler would.
export async function rawSqs(event: SQSEvent): Promise<SQSBatchResponse> {
  const results = await Promise.allSettled(
    event.Records.map(async (record) => {
      if ((JSON.parse(record.body) as { fail?: boolean }).fail) throw new Error('failed on purpose');
    }),
  );
  const batchItemFailures: { itemIdentifier: string }[] = [];
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      const e = r.reason as Error;
      sink(
        JSON.stringify({
          level: 'ERROR',
          message: 'failed',
          errorType: e.name,
          errorMessage: e.message,
          stackTrace: e.stack,
        }),
      );
      batchItemFailures.push({ itemIdentifier: event.Records[i]!.messageId });
    }
  });
  return { batchItemFailures };
}

// The adapter's own share, without the core runtime (routing, context, middleware, normalisation).
const getRunner = bindFunction(lambda.runtime, 'getTodo');
const getJson = get as unknown as Record<string, unknown>;
const normalised = getRunner.http(() => apigwV2.toRequest(getJson), { requestId: 'r' });
export function coreOnly() {
  return getRunner.http(() => apigwV2.toRequest(getJson), { requestId: 'r' });
}
export function translationOnly() {
  apigwV2.matches(getJson);
  apigwV2.toRequest(getJson);
  return apigwV2.toResponse(normalised as Exclude<typeof normalised, Promise<unknown>>, getJson);
}
