/**
 * The API Gateway REST (payload 1.0), HTTP API (payload 2.0) and Function URL front doors, rule by rule,
 * from AWS's documentation of each payload:
 * - REST proxy integration input: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 * - HTTP API payload format 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * - Function URL request/response payloads: https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html
 * What is not an HTTP request (WebSocket events, authorizer requests) is refused as unmatched.
 */
import { defineApp, type HttpRequest, http } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { requestHeaders } from '../../src/http/request-fields.ts';
import { createLambda } from '../../src/index.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { nativeHttpEvent } from '../support/native-http.ts';

type Json = Record<string, any>;

function setup(answer?: (req: HttpRequest) => unknown) {
  const lines: Json[] = [];
  const echo = (req: HttpRequest) =>
    answer
      ? answer(req)
      : {
          method: req.method,
          path: req.path,
          params: req.params,
          query: [...req.query],
          headers: [...req.headers],
          ip: req.ip ?? null,
          url: req.url,
          identity: req.identity ?? null,
          body: req.text(),
        };
  const app = defineApp({ functions: { web: http('ANY /*', echo as never) } });
  const lambda = createLambda(app, { logWriter: (line) => lines.push(JSON.parse(line)) });
  const raw = (event: unknown) => lambda.handler('web')(event, lambdaContext());
  const call = async (event: unknown) => JSON.parse(JSON.stringify(await raw(event))) as Json;
  const seen = async (event: unknown) => {
    const res = await call(event);
    expect(res.statusCode, JSON.stringify(res)).toBe(200);
    return JSON.parse(res.isBase64Encoded ? Buffer.from(res.body, 'base64').toString() : res.body) as Json;
  };
  return { call, raw, seen, lines };
}

function v1(path = '/todos/7', changes: Json = {}): Json {
  return Object.assign(nativeHttpEvent('apigw-v1', { method: 'GET', path }, 'r'), changes);
}
function v2(door: 'apigw-v2' | 'function-url' = 'apigw-v2', path = '/todos/7', changes: Json = {}): Json {
  return Object.assign(nativeHttpEvent(door, { method: 'GET', path }, 'r'), changes);
}

describe('REST (payload 1.0)', () => {
  it('the origin is https:// and the Host header (any case), else requestContext.domainName', async () => {
    const { seen } = setup();
    const withHost = v1('/a', { headers: { HOST: 'api.example.com' }, multiValueHeaders: null });
    expect((await seen(withHost)).url).toBe('https://api.example.com/a');
    const noHost = v1('/a', { headers: {}, multiValueHeaders: null });
    noHost.requestContext.domainName = 'abc.execute-api.us-east-1.amazonaws.com';
    expect((await seen(noHost)).url).toBe('https://abc.execute-api.us-east-1.amazonaws.com/a');
  });
  it('a Host header value that is not a string falls back to domainName', async () => {
    const { seen } = setup();
    const ev = v1('/a', { headers: { host: ['x.example.com'], Accept: 'a' }, multiValueHeaders: null });
    ev.requestContext.domainName = 'd.example.com';
    expect((await seen(ev)).url).toBe('https://d.example.com/a');
  });
  it('without multiValueHeaders the single-value `headers` are read', async () => {
    const { seen } = setup();
    const ev = v1('/a', { headers: { 'X-One': '1', Host: 'h.example.com' }, multiValueHeaders: undefined });
    expect((await seen(ev)).headers).toContainEqual(['x-one', '1']);
  });
  it('the client address is requestContext.identity.sourceIp', async () => {
    const { seen } = setup();
    expect((await seen(v1())).ip).toBe('203.0.113.7');
    const ev = v1();
    ev.requestContext.identity = 'none';
    expect((await seen(ev)).ip).toBe(null);
    const notText = v1();
    notText.requestContext.identity = { sourceIp: 203 };
    expect((await seen(notText)).ip).toBe(null);
    const empty = v1();
    empty.requestContext.identity = { sourceIp: '' };
    expect((await seen(empty)).ip).toBe(null);
  });
  it('REST hands over a decoded path: it is re-encoded so core decodes each segment once', async () => {
    const { seen } = setup();
    const ev = v1('/files/a%2Fb c', { resource: '/{proxy+}' });
    ev.path = '/files/a/b c';
    expect((await seen(ev)).path).toBe('/files/a/b c');
    const percent = v1('/p', { path: '/p/100%', resource: '/{proxy+}', pathParameters: { proxy: 'p/100%' } });
    expect((await seen(percent)).path).toBe('/p/100%');
    const lone = v1('/p', { path: '/%/x', resource: '/{proxy+}', pathParameters: { proxy: '%/x' } });
    expect((await seen(lone)).path).toBe('/%/x');
  });
  describe('base-path mappings: resource + pathParameters say what the API route is', () => {
    it('a greedy {proxy+} parameter', async () => {
      const { seen } = setup();
      const ev = v1('/x', {
        path: '/v1/files/a/b',
        resource: '/files/{proxy+}',
        pathParameters: { proxy: 'a/b' },
      });
      expect((await seen(ev)).path).toBe('/files/a/b');
    });
    it('several parameters', async () => {
      const { seen } = setup();
      const ev = v1('/x', {
        path: '/v2/users/u1/items/i9',
        resource: '/users/{user}/items/{item}',
        pathParameters: { user: 'u1', item: 'i9' },
      });
      expect((await seen(ev)).path).toBe('/users/u1/items/i9');
    });
    it('a missing path parameter keeps `path` as it is', async () => {
      const { seen } = setup();
      const ev = v1('/x', { path: '/v1/todos/7', resource: '/todos/{id}', pathParameters: null });
      expect((await seen(ev)).path).toBe('/v1/todos/7');
    });
    it('missing path parameters keep `path`, even where the rest of the resource would match', async () => {
      const { seen } = setup();
      const ev = v1('/x', { path: '/v1/items/', resource: '/items/{id}', pathParameters: null });
      expect((await seen(ev)).path).toBe('/v1/items/');
    });
    it('a resource that does not end the path keeps `path` as it is', async () => {
      const { seen } = setup();
      const ev = v1('/x', {
        path: '/v1/todos/7/extra',
        resource: '/todos/{id}',
        pathParameters: { id: '7' },
      });
      expect((await seen(ev)).path).toBe('/v1/todos/7/extra');
    });
    it('a resource that is not a path (or absent) keeps `path`', async () => {
      const { seen } = setup();
      expect((await seen(v1('/x', { path: '/v1/a', resource: 'a' }))).path).toBe('/v1/a');
      expect((await seen(v1('/x', { path: '/v1/a', resource: undefined }))).path).toBe('/v1/a');
    });
  });
  it('repeated query values from multiValueQueryStringParameters, else queryStringParameters', async () => {
    const { seen } = setup();
    const multi = v1('/q', {
      queryStringParameters: { a: '2' },
      multiValueQueryStringParameters: { a: ['1', '2'], b: ['x y'] },
    });
    expect((await seen(multi)).query).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', 'x y'],
    ]);
    const single = v1('/q', {
      queryStringParameters: { a: 'two', n: null },
      multiValueQueryStringParameters: null,
    });
    expect((await seen(single)).query).toEqual([['a', 'two']]);
    const none = v1('/q', { queryStringParameters: undefined, multiValueQueryStringParameters: undefined });
    expect((await seen(none)).query).toEqual([]);
  });
  it('query values of the wrong type are a 400 naming the field', async () => {
    const { call } = setup();
    const cases: [Json, string][] = [
      [{ multiValueQueryStringParameters: { a: 5 } }, 'multiValueQueryStringParameters.a'],
      [
        { multiValueQueryStringParameters: { a: ['1', 2] } },
        'multiValueQueryStringParameters.a[1]: must be a string',
      ],
      [
        { multiValueQueryStringParameters: null, queryStringParameters: 'a=1' },
        'queryStringParameters: must be an object',
      ],
    ];
    for (const [changes, field] of cases) {
      const res = await call(v1('/q', changes));
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(field);
    }
  });
  it('a Set-Cookie list goes out in multiValueHeaders; none, no multiValueHeaders', async () => {
    const { call } = setup((req) =>
      req.path === '/c' ? { status: 200, cookies: ['a=1'], body: 'x' } : 'plain',
    );
    expect((await call(v1('/c'))).multiValueHeaders).toEqual({ 'set-cookie': ['a=1'] });
    const plain = await call(v1('/p'));
    expect(plain).not.toHaveProperty('multiValueHeaders');
    expect(plain).toMatchObject({ statusCode: 200, body: 'plain', isBase64Encoded: false });
  });
  describe('events that share the REST shape but are not HTTP requests are unmatched', () => {
    const cases: [string, Json][] = [
      ['a WebSocket message (requestContext.connectionId)', { connectionId: 'c1' }],
      ['a WebSocket event (requestContext.eventType)', { eventType: 'MESSAGE' }],
    ];
    for (const [what, rc] of cases) {
      it(what, async () => {
        const { raw } = setup();
        const ev = v1();
        Object.assign(ev.requestContext, rc);
        await expect(raw(ev)).rejects.toThrow('(http trigger) accepts');
      });
    }
    it('a REQUEST authorizer event (methodArn)', async () => {
      const { raw } = setup();
      await expect(
        raw(v1('/x', { methodArn: 'arn:aws:execute-api:us-east-1:1:a/b/GET/x', type: 'REQUEST' })),
      ).rejects.toThrow('(http trigger) accepts');
    });
    it('an ALB event (requestContext.elb) is not read as REST', async () => {
      const { call } = setup();
      const ev = nativeHttpEvent('alb', { method: 'GET', path: '/a' }, 'r');
      const res = await call(ev);
      expect(res.statusDescription).toBe('200 OK');
    });
    it('a 2.0 event is never read as REST, even a malformed one carrying httpMethod', async () => {
      const { raw } = setup();
      const ev = v2('apigw-v2', '/a', { httpMethod: 'GET', path: '/a' });
      ev.requestContext.http = undefined;
      await expect(raw(ev)).rejects.toThrow('(http trigger) accepts');
    });
    it('a 2.0 event carrying httpMethod is read as 2.0', async () => {
      const { call } = setup();
      const res = await call(v2('apigw-v2', '/a', { httpMethod: 'GET' }));
      expect(res).not.toHaveProperty('multiValueHeaders');
      expect(JSON.parse(res.body).path).toBe('/a');
    });
  });
});

describe('HTTP API and Function URLs (payload 2.0)', () => {
  it('a named stage is cut from rawPath on the execute-api endpoint, and on local emulators', async () => {
    const { seen } = setup();
    const ev = v2('apigw-v2', '/x', { rawPath: '/dev/todos/7' });
    ev.requestContext.stage = 'dev';
    expect((await seen(ev)).path).toBe('/todos/7');
    ev.requestContext.domainName = 'localhost:3000';
    expect((await seen(ev)).path).toBe('/todos/7');
    ev.requestContext.domainName = '127.0.0.1';
    expect((await seen(ev)).path).toBe('/todos/7');
    ev.requestContext.domainName = undefined;
    expect((await seen(ev)).path).toBe('/todos/7');
  });
  it('the stage alone is the root path; a path that only starts with the stage name keeps it', async () => {
    const { seen } = setup();
    const root = v2('apigw-v2', '/x', { rawPath: '/dev' });
    root.requestContext.stage = 'dev';
    expect((await seen(root)).path).toBe('/');
    const devices = v2('apigw-v2', '/x', { rawPath: '/devices/1' });
    devices.requestContext.stage = 'dev';
    expect((await seen(devices)).path).toBe('/devices/1');
  });
  it('$default, an empty stage, a custom domain or localhost-like names keep rawPath', async () => {
    const { seen } = setup();
    for (const [stage, domain, rawPath] of [
      ['$default', 'abc.execute-api.us-east-1.amazonaws.com', '/$default/a'],
      ['', 'abc.execute-api.us-east-1.amazonaws.com', '//a'],
      [5, 'abc.execute-api.us-east-1.amazonaws.com', '/5/a'],
      ['dev', 'api.example.com', '/dev/a'],
      ['dev', 'mylocalhost.example.com', '/dev/a'],
      ['dev', 'localhost.example.com', '/dev/a'],
      ['dev', 'api.mylocalhost', '/dev/a'],
    ] as const) {
      const ev = v2('apigw-v2', '/x', { rawPath });
      ev.requestContext.stage = stage;
      ev.requestContext.domainName = domain;
      expect((await seen(ev)).path, `${stage} ${domain}`).toBe(rawPath);
    }
  });
  it('Function URLs have no stages: rawPath is the path', async () => {
    const { seen } = setup();
    const ev = v2('function-url', '/x', { rawPath: '/live/a' });
    ev.requestContext.stage = 'live';
    expect((await seen(ev)).path).toBe('/live/a');
  });
  it('without rawPath, requestContext.http.path is the path', async () => {
    const { seen } = setup();
    const ev = v2('function-url', '/x', { rawPath: undefined });
    ev.requestContext.http.path = '/from-http';
    expect((await seen(ev)).path).toBe('/from-http');
  });
  it('rawQueryString is the query; null is none; anything else is a 400', async () => {
    const { seen, call } = setup();
    expect((await seen(v2('apigw-v2', '/q', { rawQueryString: 'a=1&a=2&b=x%20y' }))).query).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', 'x y'],
    ]);
    expect((await seen(v2('apigw-v2', '/q', { rawQueryString: null }))).query).toEqual([]);
    const res = await call(v2('apigw-v2', '/q', { rawQueryString: { a: 1 } }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('rawQueryString: must be a string');
  });
  it('the origin is https:// and requestContext.domainName; the client address is http.sourceIp', async () => {
    const { seen } = setup();
    const out = await seen(v2('function-url', '/a'));
    expect(out.url).toBe('https://abc123.lambda-url.us-east-1.on.aws/a');
    expect(out.ip).toBe('203.0.113.7');
    const ev = v2('apigw-v2', '/a');
    ev.requestContext.domainName = '';
    ev.headers.host = 'other.example.com';
    expect((await seen(ev)).url).toBe('https://other.example.com/a');
  });
  it('`cookies` become one Cookie header; with a Cookie header already present they are not added twice', async () => {
    const { seen } = setup();
    const ev = v2('apigw-v2', '/a', { cookies: ['a=1', 'b=2'] });
    expect((await seen(ev)).headers).toContainEqual(['cookie', 'a=1; b=2']);
    const both = v2('function-url', '/a', { cookies: ['a=1'] });
    both.headers.cookie = 'a=1';
    const cookieHeaders = ((await seen(both)).headers as [string, string][]).filter(([k]) => k === 'cookie');
    expect(cookieHeaders).toEqual([['cookie', 'a=1']]);
    const empty = v2('apigw-v2', '/a', { cookies: [] });
    expect(((await seen(empty)).headers as [string, string][]).some(([k]) => k === 'cookie')).toBe(false);
  });
  it('an event without rawQueryString has no query', async () => {
    const { seen } = setup();
    expect((await seen(v2('function-url', '/q', { rawQueryString: undefined }))).query).toEqual([]);
  });
  it('`cookies: null` is no cookies', async () => {
    const { seen } = setup();
    const ev = v2('apigw-v2', '/a', { cookies: null });
    expect(((await seen(ev)).headers as [string, string][]).some(([k]) => k === 'cookie')).toBe(false);
  });
  it('an event with requestContext.http but no version "2.0" is no payload this adapter knows', async () => {
    const { raw } = setup();
    await expect(raw(v2('apigw-v2', '/a', { version: undefined }))).rejects.toThrow('(http trigger) accepts');
  });
  it('`cookies` without any headers are still read', async () => {
    const { seen } = setup();
    const ev = v2('apigw-v2', '/a', { cookies: ['s=1'], headers: undefined });
    expect((await seen(ev)).headers).toEqual([['cookie', 's=1']]);
  });
  it('an authorizer request (routeArn) is not an HTTP request', async () => {
    const { raw } = setup();
    await expect(
      raw(v2('apigw-v2', '/a', { routeArn: 'arn:aws:execute-api:us-east-1:1:a/b/GET/a', type: 'REQUEST' })),
    ).rejects.toThrow('(http trigger) accepts');
  });
  it('a 2.0 event without requestContext.http is not an HTTP request', async () => {
    const { raw } = setup();
    const ev = v2('apigw-v2', '/a');
    ev.requestContext.http = undefined;
    await expect(raw(ev)).rejects.toThrow('(http trigger) accepts');
  });
  describe('responses', () => {
    it('text goes out as text; cookies in `cookies`; without cookies, no `cookies` key', async () => {
      const { call } = setup((req) =>
        req.path === '/c'
          ? { status: 201, cookies: ['a=1', 'b=2'], body: 'made' }
          : { status: 202, body: 'ok' },
      );
      for (const door of ['apigw-v2', 'function-url'] as const) {
        expect(await call(v2(door, '/c'))).toMatchObject({
          statusCode: 201,
          cookies: ['a=1', 'b=2'],
          body: 'made',
          isBase64Encoded: false,
        });
        const plain = await call(v2(door, '/p'));
        expect(plain).toMatchObject({ statusCode: 202, body: 'ok', isBase64Encoded: false });
        expect(plain).not.toHaveProperty('cookies');
      }
    });
    it('bytes and binary types go out base64-encoded, with or without cookies', async () => {
      const bytes = new Uint8Array([0, 1, 255]);
      const { call } = setup((req) => ({
        status: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: req.path === '/text' ? 'hi' : bytes,
        ...(req.path === '/c' ? { cookies: ['k=v'] } : {}),
      }));
      for (const door of ['apigw-v2', 'function-url'] as const) {
        const plain = await call(v2(door, '/b'));
        expect(plain).toMatchObject({ isBase64Encoded: true, body: 'AAH/' });
        expect(plain).not.toHaveProperty('cookies');
        expect(await call(v2(door, '/c'))).toMatchObject({
          isBase64Encoded: true,
          body: 'AAH/',
          cookies: ['k=v'],
        });
        expect(await call(v2(door, '/text'))).toMatchObject({ isBase64Encoded: true, body: 'aGk=' });
      }
    });
  });
});

describe('shared request fields', () => {
  it('method names: any RFC 9110 token is passed on; anything else is a 400', async () => {
    const { seen, call } = setup();
    for (const method of ['PATCH', 'PROPFIND', 'M-SEARCH']) {
      const ev = v2('apigw-v2', '/a');
      ev.requestContext.http.method = method;
      expect((await seen(ev)).method).toBe(method);
    }
    for (const method of ['GET /', '', 7]) {
      const ev = v2('apigw-v2', '/a');
      ev.requestContext.http.method = method;
      const res = await call(ev);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('requestContext.http.method: must be an HTTP method name');
    }
    const rest = await call(v1('/a', { httpMethod: 'BAD METHOD' }));
    expect(rest.statusCode).toBe(400);
    expect(rest.body).toContain('httpMethod: must be an HTTP method name');
  });
  it('a path that does not start with "/" is a 400 naming the field', async () => {
    const { call } = setup();
    const res = await call(v2('apigw-v2', '/a', { rawPath: 'a/b' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('rawPath: must be a path starting with');
    const rest = await call(v1('/a', { path: 'a' }));
    expect(rest.body).toContain('path: must be a path starting with');
    const missing = await call(v1('/a', { path: undefined }));
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('path: must be a path starting with');
  });
  it('bodies: text as is, base64 decoded when isBase64Encoded is true, a 400 when it is not base64', async () => {
    const { seen, call } = setup();
    expect((await seen(v2('apigw-v2', '/a', { body: 'aGk=', isBase64Encoded: false }))).body).toBe('aGk=');
    expect((await seen(v2('apigw-v2', '/a', { body: 'aGk=', isBase64Encoded: true }))).body).toBe('hi');
    expect((await seen(v1('/a', { body: 'aGk=', isBase64Encoded: 'true' }))).body).toBe('aGk=');
    expect((await seen(v2('apigw-v2', '/a', { body: '', isBase64Encoded: true }))).body).toBe('');
    const bad = await call(v2('apigw-v2', '/a', { body: '%%%', isBase64Encoded: true }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('isBase64Encoded is true but the body is not valid base64');
    const notText = await call(v1('/a', { body: { a: 1 } }));
    expect(notText.statusCode).toBe(400);
    expect(notText.body).toContain('body: must be a string');
  });
  it('undefined header and query values (a hand-built event) are skipped like null ones', async () => {
    const { seen } = setup();
    const out = await seen(
      v1('/a', {
        headers: { 'X-U': undefined, Host: 'h.example.com' },
        multiValueHeaders: undefined,
        queryStringParameters: { u: undefined, k: 'v' },
        multiValueQueryStringParameters: undefined,
      }),
    );
    expect((out.headers as [string, string][]).some(([k]) => k === 'x-u')).toBe(false);
    expect(out.query).toEqual([['k', 'v']]);
  });
  it('null header values are skipped; repeated REST headers keep every value in order', async () => {
    const { seen } = setup();
    const ev = v1('/a', {
      multiValueHeaders: { 'X-Rep': ['1', '2'], 'X-Null': null, Host: ['h.example.com'] },
    });
    const headers = (await seen(ev)).headers as [string, string][];
    expect(headers.filter(([k]) => k === 'x-rep')).toEqual([
      ['x-rep', '1'],
      ['x-rep', '2'],
    ]);
    expect(headers.some(([k]) => k === 'x-null')).toBe(false);
  });
});

describe('request headers as an iterable', () => {
  it('iterating the header source yields what the handler reads: every value, null skipped, cookies last', () => {
    const init = requestHeaders({ A: 'one', B: ['2', '3'], C: null }, 'headers', ['x=1', 'y=2']) as Iterable<
      readonly [string, string]
    >;
    expect([...init]).toEqual([
      ['A', 'one'],
      ['B', '2'],
      ['B', '3'],
      ['cookie', 'x=1; y=2'],
    ]);
    expect([...(requestHeaders({ A: 'one' }, 'headers') as Iterable<readonly [string, string]>)]).toEqual([
      ['A', 'one'],
    ]);
  });
});
