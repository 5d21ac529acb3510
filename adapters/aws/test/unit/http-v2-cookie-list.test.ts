/**
 * Payload 2.0 (HTTP API, Function URL) moves the Cookie header into `cookies`, one entry per pair
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 * `req.cookies` parses that list as it stands, without building the headers; the Cookie header a
 * handler can read holds the same pairs joined with "; ". Both readings must agree, whatever the pairs.
 */
import { defineApp, type HttpRequest, http } from '@polycloud/core';
import { parseCookies } from '@polycloud/core/adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { nativeHttpEvent } from '../support/native-http.ts';

type Json = Record<string, any>;

/** What a handler sees: cookies read first (the list path), then the Cookie header and its parse. */
async function read(changes: Json, door: 'apigw-v2' | 'function-url' = 'apigw-v2') {
  let seen:
    | { cookies: [string, string][]; header: string | undefined; fromHeader: [string, string][] }
    | undefined;
  const app = defineApp({
    functions: {
      web: http('ANY /*', (req: HttpRequest) => {
        const cookies = Object.entries(req.cookies);
        const header = req.headers.get('cookie');
        seen = { cookies, header, fromHeader: Object.entries(parseCookies(req.headers.getAll('cookie'))) };
        return 'ok';
      }),
    },
  });
  const event = Object.assign(nativeHttpEvent(door, { method: 'GET', path: '/c' }, 'r'), changes);
  const res = (await createLambda(app, { logWriter: () => undefined }).handler('web')(
    event,
    lambdaContext(),
  )) as Json;
  expect(res.statusCode).toBe(200);
  return seen!;
}

describe('payload 2.0 cookies read from the `cookies` list', () => {
  it('decodes percent-escapes, unquotes, keeps the first of a repeated name and skips pairs without "="', async () => {
    const seen = await read({
      cookies: ['session=s%3A9f', 'theme="dark"', 'session=second', 'noeq', 'bad=%E0%A4%A', ' sp = 1 '],
    });
    expect(seen.cookies).toEqual([
      ['session', 's:9f'],
      ['theme', 'dark'],
      ['bad', '%E0%A4%A'],
      ['sp', '1'],
    ]);
    expect(seen.header).toBe('session=s%3A9f; theme="dark"; session=second; noeq; bad=%E0%A4%A;  sp = 1 ');
    expect(seen.cookies).toEqual(seen.fromHeader);
  });

  it('a Cookie header already in `headers` is what both read (the list is not added twice)', async () => {
    const event = { cookies: ['a=from-list'] };
    const door = 'function-url';
    const seen = await read(
      { ...event, headers: { host: 'x.lambda-url.us-east-1.on.aws', cookie: 'a=from-header; b=2' } },
      door,
    );
    expect(seen.cookies).toEqual([
      ['a', 'from-header'],
      ['b', '2'],
    ]);
    expect(seen.cookies).toEqual(seen.fromHeader);
  });

  it('no cookies, null cookies and an empty list read as no cookies', async () => {
    for (const cookies of [undefined, null, []]) {
      const seen = await read({ cookies });
      expect(seen).toEqual({ cookies: [], header: undefined, fromHeader: [] });
    }
  });

  it('any list of pairs: the list reading equals the joined header reading', async () => {
    const piece = fc.constantFrom(
      ';',
      '=',
      ' ',
      '"',
      '%',
      '%41',
      '%E0%A4%A',
      'a',
      'b',
      '__proto__',
      'constructor',
      'é',
    );
    const pair = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(pair, { minLength: 1, maxLength: 4 }), async (cookies) => {
        const seen = await read({ cookies });
        expect(seen.cookies).toEqual(seen.fromHeader);
        expect(seen.header).toBe(cookies.join('; '));
      }),
      { numRuns: 200 },
    );
  });
});
