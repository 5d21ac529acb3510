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

/** Each case: a front door, how its event is broken, and the path the 400 names. */
const CASES: { door: HttpFrontDoor; what: string; corrupt: (e: Json) => void; error: string }[] = [
  {
    door: 'apigw-v2',
    what: 'a header value that is a number',
    corrupt: (e) => {
      e.headers.accept = 42;
    },
    error: 'headers.accept: must be a string or a list of strings',
  },
  {
    door: 'apigw-v2',
    what: '`headers` that is not an object',
    corrupt: (e) => {
      e.headers = 'accept: text/plain';
    },
    error: 'headers: must be an object of header values',
  },
  {
    door: 'apigw-v2',
    what: '`cookies` with a non-string entry',
    corrupt: (e) => {
      e.cookies = ['a=1', { b: 2 }];
    },
    error: 'cookies: must be a list of strings',
  },
  {
    door: 'function-url',
    what: 'a header list with a non-string entry',
    corrupt: (e) => {
      e.headers.accept = ['text/plain', null];
    },
    error: 'headers.accept[1]: must be a string',
  },
  {
    door: 'apigw-v1',
    what: 'a `multiValueHeaders` value that is not a list',
    corrupt: (e) => {
      e.multiValueHeaders.accept = 'text/plain';
    },
    error: 'multiValueHeaders.accept: must be a list of strings',
  },
  {
    door: 'apigw-v1',
    what: 'a header value that is an object (no multiValueHeaders)',
    corrupt: (e) => {
      e.multiValueHeaders = null;
      e.headers.accept = { type: 'text/plain' };
    },
    error: 'headers.accept: must be a string or a list of strings',
  },
  {
    door: 'apigw-v1',
    what: 'a query value that is a number',
    corrupt: (e) => {
      e.multiValueQueryStringParameters = null;
      e.queryStringParameters = { page: 2 };
    },
    error: 'queryStringParameters.page: must be a string or a list of strings',
  },
  {
    door: 'alb',
    what: 'a header value that is a boolean',
    corrupt: (e) => {
      e.headers.accept = true;
    },
    error: 'headers.accept: must be a string or a list of strings',
  },
  {
    door: 'alb-multi',
    what: 'a `multiValueHeaders` value that is not a list',
    corrupt: (e) => {
      e.multiValueHeaders.accept = 'text/plain';
    },
    error: 'multiValueHeaders.accept: must be a list of strings',
  },
  {
    door: 'alb',
    what: 'a query value that is a number',
    corrupt: (e) => {
      e.queryStringParameters = { page: 2 };
    },
    error: 'queryStringParameters.page: must be a string or a list of strings',
  },
];

describe('malformed http input is a 400 at the door', () => {
  it.each(CASES)('$door: $what', async ({ door, corrupt, error }) => {
    const { handler, lines, runs } = harness();
    // The same event, intact, reaches the handler: the 400 below is the corruption's alone.
    const intact = (await handler(valid(door), lambdaContext())) as Json;
    expect(intact.statusCode).toBe(200);
    expect(runs()).toBe(1);

    const event = valid(door);
    corrupt(event);
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
