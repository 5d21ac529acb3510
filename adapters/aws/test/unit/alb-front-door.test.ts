/**
 * The ALB front door as a user meets it through `createLambda`: what a handler reads from an ALB
 * request (query, headers, client address, URL) and what ALB receives back. ALB passes the query
 * string undecoded, sends `multiValueHeaders`/`multiValueQueryStringParameters` when the target group
 * has multi-value headers on, and needs `statusDescription` ("Lambda functions as targets",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html).
 */
import { defineApp, type HttpRequest, http } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { ALB_RESPONSE_LIMIT_BYTES, createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';

type Json = Record<string, any>;

interface Seen {
  query: [string, string][];
  headers: [string, string][];
  ip: string | undefined;
  url: string;
  method: string;
  body: string;
}

/** One ALB-fronted function whose handler reports what it read, or answers what `respond` says. */
function albFunction(respond?: () => Json) {
  const logs: Json[] = [];
  let seen: Seen | undefined;
  const app = defineApp({
    name: 'alb-door',
    functions: {
      web: http('ANY /*', (req: HttpRequest) => {
        if (respond) return respond() as never;
        seen = {
          query: [...req.query],
          headers: [...req.headers],
          ip: req.ip,
          url: req.url,
          method: req.method,
          body: req.text(),
        };
        return { status: 204 };
      }),
    },
  });
  const lambda = createLambda(app, { logWriter: (line) => logs.push(JSON.parse(line)) });
  const call = async (fields: Json) => {
    seen = undefined;
    const event = {
      requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1' } },
      httpMethod: 'GET',
      path: '/orders',
      body: '',
      isBase64Encoded: false,
      ...fields,
    };
    const res = JSON.parse(
      JSON.stringify(await lambda.handler('web')(event, lambdaContext({ functionName: 'web' }))),
    ) as Json;
    // `seen` is set by the handler during the call; TypeScript cannot see that through the closure.
    return { res, seen: seen as Seen | undefined };
  };
  return { call, logs };
}

const errorOf = (res: Json) => JSON.parse(res.body).error as string;

describe('ALB query strings', () => {
  const { call } = albFunction();

  it('are decoded exactly once, `+` as a space, as the client sent them', async () => {
    const { seen } = await call({ queryStringParameters: { q: 'a%20b+c', 'x%26y': '1%2B1' } });
    expect(seen?.query).toEqual([
      ['q', 'a b c'],
      ['x&y', '1+1'],
    ]);
  });

  it('a key without a value reads as an empty value; null maps mean no query', async () => {
    expect((await call({ queryStringParameters: { flag: '', a: '1' } })).seen?.query).toEqual([
      ['flag', ''],
      ['a', '1'],
    ]);
    const none = await call({ queryStringParameters: null, multiValueQueryStringParameters: null });
    expect(none.res.statusCode).toBe(204);
    expect(none.seen?.query).toEqual([]);
    expect(none.seen?.url).toBe('https://localhost/orders');
  });

  it('multi-value mode keeps every value of a repeated key, in order', async () => {
    const { seen } = await call({
      queryStringParameters: { ignored: 'x' },
      multiValueQueryStringParameters: { tag: ['a', 'b%2Fc'], one: ['1'] },
    });
    expect(seen?.query).toEqual([
      ['tag', 'a'],
      ['tag', 'b/c'],
      ['one', '1'],
    ]);
  });

  it('a malformed query map is a 400 naming the field, not a crash', async () => {
    const cases: [Json, string][] = [
      [{ queryStringParameters: 'a=1' }, 'queryStringParameters: must be an object'],
      [{ queryStringParameters: { a: 1 } }, 'queryStringParameters.a: must be a string or a list of strings'],
      [
        { multiValueQueryStringParameters: { a: ['1', 2] } },
        'multiValueQueryStringParameters.a: must be a string or a list of strings',
      ],
      [
        { multiValueQueryStringParameters: { a: { b: '1' } } },
        'multiValueQueryStringParameters.a: must be a string or a list of strings',
      ],
    ];
    for (const [fields, error] of cases) {
      const { res, seen } = await call(fields);
      expect(res.statusCode).toBe(400);
      expect(res.statusDescription).toBe('400 Bad Request');
      expect(errorOf(res)).toBe(error);
      expect(seen).toBeUndefined();
    }
  });
});

describe('ALB method, path and headers', () => {
  const { call } = albFunction();

  it('a missing or malformed method or path is a 400 naming the ALB field', async () => {
    const bad: [Json, string][] = [
      [{ httpMethod: 'GE T' }, 'httpMethod: must be an HTTP method name'],
      [{ httpMethod: undefined }, 'httpMethod: must be an HTTP method name'],
      [{ path: 'orders' }, 'path: must be a path starting with "/"'],
    ];
    for (const [fields, error] of bad) {
      const { res } = await call(fields);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res)).toBe(error);
    }
  });

  it('reads `headers` normally and `multiValueHeaders` in multi-value mode, naming the field it rejects', async () => {
    const single = await call({ method: 'PUT', headers: { 'x-a': '1' } });
    expect(single.seen?.headers).toContainEqual(['x-a', '1']);
    const multi = await call({ headers: { 'x-a': 'single' }, multiValueHeaders: { 'x-a': ['1', '2'] } });
    expect(multi.seen?.headers.filter(([n]) => n === 'x-a')).toEqual([
      ['x-a', '1'],
      ['x-a', '2'],
    ]);

    const badSingle = await call({ headers: { 'x-a': 1 } });
    expect(errorOf(badSingle.res)).toBe('headers.x-a: must be a string or a list of strings');
    const badMulti = await call({ multiValueHeaders: { 'x-a': [1] } });
    expect(errorOf(badMulti.res)).toBe('multiValueHeaders.x-a[0]: must be a string');
  });
});

describe('ALB client address (X-Forwarded-For: ALB appends the peer it saw)', () => {
  const { call } = albFunction();
  const ipFor = async (xff: unknown, multi = false) =>
    (
      await call(
        multi ? { multiValueHeaders: { 'x-forwarded-for': xff } } : { headers: { 'x-forwarded-for': xff } },
      )
    ).seen?.ip;

  it('is the last entry, trimmed', async () => {
    expect(await ipFor('203.0.113.9, 198.51.100.7')).toBe('198.51.100.7');
    expect(await ipFor('  198.51.100.7  ')).toBe('198.51.100.7');
    expect(await ipFor(['203.0.113.9', '10.0.0.1,  198.51.100.7 '], true)).toBe('198.51.100.7');
  });

  it('is absent when the header is missing, empty or not text', async () => {
    expect(await ipFor('')).toBeUndefined();
    expect(await ipFor('203.0.113.9, ')).toBeUndefined();
    expect((await call({ headers: {} })).seen?.ip).toBeUndefined();
    expect((await call({ headers: null })).seen?.ip).toBeUndefined();
    expect(await ipFor([7], true)).toBeUndefined();
  });
});

describe('ALB request URL', () => {
  const { call } = albFunction();
  const urlFor = async (headers: Json) => (await call({ headers })).seen?.url;

  it('takes Host, X-Forwarded-Proto and X-Forwarded-Port as ALB sends them (trimmed, any case)', async () => {
    expect(
      await urlFor({ host: ' lb.example ', 'x-forwarded-proto': ' HTTP ', 'x-forwarded-port': ' 8080 ' }),
    ).toBe('http://lb.example:8080/orders');
    expect(
      (
        await call({
          multiValueHeaders: {
            host: ['first.example', 'lb.example'],
            'x-forwarded-proto': ['https', 'http'],
            'x-forwarded-port': ['443', '81'],
          },
        })
      ).seen?.url,
    ).toBe('http://lb.example:81/orders');
  });

  it('a port longer than five digits or with a suffix is not trusted', async () => {
    expect(
      await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '444444' }),
    ).toBe('https://lb.example/orders');
    expect(
      await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '8443x' }),
    ).toBe('https://lb.example/orders');
    expect(
      await urlFor({ host: 'lb.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': 'x8443' }),
    ).toBe('https://lb.example/orders');
  });

  it('a Host with a port keeps it; a Host merely ending in digits still gets the listener port', async () => {
    expect(
      await urlFor({ host: 'lb.example:9000', 'x-forwarded-proto': 'https', 'x-forwarded-port': '8443' }),
    ).toBe('https://lb.example:9000/orders');
    expect(await urlFor({ host: 'lb1', 'x-forwarded-proto': 'https', 'x-forwarded-port': '8443' })).toBe(
      'https://lb1:8443/orders',
    );
  });

  it('an IPv6 literal Host (colons, no port) still gets a non-default listener port', async () => {
    expect(
      await urlFor({ host: '[2001:db8::1]', 'x-forwarded-proto': 'http', 'x-forwarded-port': '8080' }),
    ).toBe('http://[2001:db8::1]:8080/orders');
  });

  it('without a Host the URL falls back to https://localhost rather than an empty authority', async () => {
    expect(await urlFor({ 'x-forwarded-proto': 'http', 'x-forwarded-port': '8080' })).toBe(
      'https://localhost/orders',
    );
  });
});

describe('ALB responses', () => {
  it('carry a status description ALB accepts, also for a status without a reason phrase', async () => {
    for (const [status, description] of [
      [201, '201 Created'],
      [418, "418 I'm a Teapot"],
      [299, '299'],
    ] as const) {
      const { call } = albFunction(() => ({ status, body: 'x' }));
      const { res } = await call({});
      expect(res.statusCode).toBe(status);
      expect(res.statusDescription).toBe(description);
    }
  });

  it('multi-value mode answers every header as a list and omits set-cookie when there are no cookies', async () => {
    const { call } = albFunction(() => ({ status: 200, headers: { 'x-a': '1' }, body: 'x' }));
    const { res } = await call({ multiValueHeaders: {} });
    expect(res.multiValueHeaders).toEqual({ 'x-a': ['1'], 'content-type': ['text/plain; charset=utf-8'] });
    expect(res.headers).toBeUndefined();
  });

  it('single-value mode spells each further Set-Cookie in a new letter case, so none overwrites another', async () => {
    const cookies = ['a=1', 'b=2', 'c=3', 'd=4', 'e=5'];
    const { call } = albFunction(() => ({ status: 200, cookies, body: 'x' }));
    const { res } = await call({ headers: {} });
    expect(res.multiValueHeaders).toBeUndefined();
    const setCookies = Object.entries(res.headers as Record<string, string>).filter(
      ([name]) => name.toLowerCase() === 'set-cookie',
    );
    expect(setCookies).toEqual([
      ['set-cookie', 'a=1'],
      ['Set-cookie', 'b=2'],
      ['sEt-cookie', 'c=3'],
      ['SEt-cookie', 'd=4'],
      ['seT-cookie', 'e=5'],
    ]);
  });

  it('single-value mode keeps a dozen cookies apart: the hyphen is no letter to vary', async () => {
    const cookies = Array.from({ length: 12 }, (_, i) => `c${i}=${i}`);
    const { call } = albFunction(() => ({ status: 200, cookies, body: 'x' }));
    const { res } = await call({ headers: {} });
    const names = Object.keys(res.headers).filter((name) => name.toLowerCase() === 'set-cookie');
    expect(names).toHaveLength(12);
    expect(names.map((name) => res.headers[name])).toEqual(cookies);
  });

  it("a response over ALB's 1 MB limit is a logged 500 in ALB's shape, not a 502 from the load balancer", async () => {
    const { call, logs } = albFunction(() => ({ status: 200, body: 'x'.repeat(ALB_RESPONSE_LIMIT_BYTES) }));
    const { res } = await call({});
    expect(res.statusCode).toBe(500);
    expect(res.statusDescription).toBe('500 Internal Server Error');
    const line = logs.find((l) => l.level === 'ERROR');
    expect(line?.message).toContain(`exceeds ALB's 1 MB limit on a Lambda target's response`);
  });
});
