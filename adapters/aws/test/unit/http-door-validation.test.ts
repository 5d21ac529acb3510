/**
 * A Lambda http event whose headers (or query values, or v2 cookies) are not what AWS documents is
 * rejected at the door: core's 400 in the front door's own shape, one warning in the log, and the
 * handler never runs — not even one that never reads the headers (before, the error surfaced lazily
 * from `req.headers` inside user code, and a handler that never looked answered 200).
 */
import { defineApp, http } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { type HttpFrontDoor, nativeHttpEvent } from '../support/native-http.ts';

type Json = Record<string, any>;

function harness() {
  let runs = 0;
  const lines: Json[] = [];
  const app = defineApp({
    functions: {
      web: http('GET /items/:id', (req) => {
        runs++;
        return { id: req.params.id };
      }),
    },
  });
  const handler = createLambda(app, { logWriter: (line) => lines.push(JSON.parse(line)) }).handler('web');
  return { handler, lines, runs: () => runs };
}

function valid(door: HttpFrontDoor): Json {
  return nativeHttpEvent(door, { method: 'GET', path: '/items/7', headers: [['accept', 'text/plain']] }, 'r');
}

/** Sets `event[path[0]][path[1]]…` to `value`. */
function set(event: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let at = event;
  for (const key of keys) at = at[key];
  at[last] = value;
}

type Case = [door: HttpFrontDoor, what: string, changes: [path: string, value: unknown][], error: string];

/** Each case: a front door, how its event is broken (field → value), and what the 400 says. */
const CASES: Case[] = [
  [
    'apigw-v2',
    'a header value that is a number',
    [['headers.accept', 42]],
    'headers.accept: must be a string or a list of strings',
  ],
  [
    'apigw-v2',
    '`headers` that is not an object',
    [['headers', 'accept: text/plain']],
    'headers: must be an object of header values',
  ],
  [
    'apigw-v2',
    '`cookies` with a non-string entry',
    [['cookies', ['a=1', { b: 2 }]]],
    'cookies: must be a list of strings',
  ],
  [
    'function-url',
    'a header list with a non-string entry',
    [['headers.accept', ['text/plain', null]]],
    'headers.accept[1]: must be a string',
  ],
  [
    'apigw-v1',
    'a `multiValueHeaders` value that is not a list',
    [['multiValueHeaders.accept', 'text/plain']],
    'multiValueHeaders.accept: must be a list of strings',
  ],
  [
    'apigw-v1',
    'a header value that is an object (no multiValueHeaders)',
    [
      ['multiValueHeaders', null],
      ['headers.accept', { type: 'text/plain' }],
    ],
    'headers.accept: must be a string or a list of strings',
  ],
  [
    'apigw-v1',
    'a query value that is a number',
    [
      ['multiValueQueryStringParameters', null],
      ['queryStringParameters', { page: 2 }],
    ],
    'queryStringParameters.page: must be a string or a list of strings',
  ],
  [
    'alb',
    'a header value that is a boolean',
    [['headers.accept', true]],
    'headers.accept: must be a string or a list of strings',
  ],
  [
    'alb-multi',
    'a `multiValueHeaders` value that is not a list',
    [['multiValueHeaders.accept', 'text/plain']],
    'multiValueHeaders.accept: must be a list of strings',
  ],
  [
    'alb',
    'a query value that is a number',
    [['queryStringParameters', { page: 2 }]],
    'queryStringParameters.page: must be a string or a list of strings',
  ],
];

describe('malformed http input is a 400 at the door', () => {
  it.each(CASES)('%s: %s', async (door, _what, changes, error) => {
    const { handler, lines, runs } = harness();
    // The same event, intact, reaches the handler: the 400 below is the corruption's alone.
    const intact = (await handler(valid(door), lambdaContext())) as Json;
    expect(intact.statusCode).toBe(200);
    expect(runs()).toBe(1);

    const event = valid(door);
    for (const [path, value] of changes) set(event, path, value);
    const response = (await handler(event, lambdaContext({ requestId: 'bad-1' }))) as Json;
    expect(runs()).toBe(1);
    expect(response.statusCode).toBe(400);
    expect(response.isBase64Encoded ?? false).toBe(false);
    // No stack and nothing internal: only what was wrong with the input.
    expect(JSON.parse(response.body)).toEqual({ error });
    if (door === 'alb' || door === 'alb-multi') {
      expect(response.statusDescription).toBe('400 Bad Request');
      if (door === 'alb-multi')
        expect(response.multiValueHeaders['content-type']).toEqual(['application/json']);
      else expect(response.headers['content-type']).toBe('application/json');
    } else {
      expect(response.headers['content-type']).toBe('application/json');
    }
    const rejected = lines.filter((l) => l.requestId === 'bad-1');
    expect(rejected).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'rejected invalid request', function: 'web', error }),
    ]);
  });
});
