/**
 * The AWS benchmark's module: the same API Gateway v2 and SQS events, a hand-written Lambda handler
 * for each, and the polycloud handlers. test/bench/aws.bench.ts bundles it as `polycloud build` does
 * and runs both sides from that one bundle.
 */
import { defineApp, http, queue } from '@polycloud/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { apigwV2 } from '../../../adapters/aws/src/http/apigw-v2.ts';
import { createLambda } from '../../../adapters/aws/src/index.ts';

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

function v2Event(method: string, rawPath: string, body?: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: 'include=tags&include=owner',
    cookies: ['session=s1'],
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      host: 'abc123.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'bench',
      'x-forwarded-for': '203.0.113.7',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench' },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      time: '04/Mar/2026:05:06:07 +0000',
      timeEpoch: 1_772_600_000_000,
    },
    body,
    isBase64Encoded: false,
  };
}

export const get = v2Event('GET', '/todos/42');
const payload = JSON.stringify({ title: 'x'.repeat(1000), done: false });
export const post = v2Event('POST', '/todos', payload);

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
    },
  }),
  { logWriter: () => undefined },
);
export const getTodo = lambda.handler('getTodo');
export const createTodo = lambda.handler('createTodo');
export const work = lambda.handler('work');

export const sqs: SQSEvent = {
  Records: Array.from({ length: 10 }, (_, i) => ({
    messageId: `m${i}`,
    receiptHandle: 'rh',
    body: JSON.stringify({ n: i, fail: i === 3 || i === 7 }),
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
};
const sink = (_line: string) => undefined;
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
const getFn = lambda.runtime.function('getTodo');
const getJson = get as unknown as Record<string, unknown>;
const normalised = lambda.runtime.dispatchHttp(apigwV2.toRequest(getJson), { requestId: 'r' }, getFn);
export function coreOnly() {
  return lambda.runtime.dispatchHttp(apigwV2.toRequest(getJson), { requestId: 'r' }, getFn);
}
export function translationOnly() {
  apigwV2.matches(getJson);
  apigwV2.toRequest(getJson);
  return apigwV2.toResponse(normalised as Exclude<typeof normalised, Promise<unknown>>, getJson);
}
