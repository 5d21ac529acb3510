/** GCP specifics of the http entry, through the framework's own server. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { defineApp, http } from '@polycloud/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handle, IAP_ISSUER } from '../../src/index.ts';
import { frameworkRequest, frameworkResponse } from '../support/framework-request.ts';
import { serveAll } from '../support/framework-server.ts';
import { assertionWith, hmacAssertion, iapKeys, signAssertion } from '../support/iap-token.ts';
import { send, text } from '../support/wire.ts';

const AUD = '/projects/123/global/backendServices/456';
const keys = iapKeys();
const rotated = iapKeys('rotated-kid');
const fresh = iapKeys('fresh-kid');

function seen(req: import('@polycloud/core').HttpRequest, ctx: import('@polycloud/core').Context) {
  const raw = ctx.raw as import('../../src/index.ts').GcpHttpRaw;
  return {
    path: req.path,
    query: [...req.query],
    headers: [...req.headers],
    ip: req.ip,
    identity: req.identity ?? null,
    body: Buffer.from(req.body).toString('base64'),
    requestId: ctx.requestId,
    deadlineIn: ctx.deadline - Date.now(),
    rawIsExpress:
      raw.provider === 'gcp' && typeof raw.req.get === 'function' && typeof raw.res.status === 'function',
  };
}

const app = defineApp({
  name: 'http-gcp',
  functions: {
    httpSeen: http('ANY /*', { timeoutMs: 5000 }, seen),
    httpDefaultTimeout: http('ANY /*', seen),
  },
});
const routedApp = defineApp({
  name: 'routed',
  functions: {
    getOrder: http('GET /orders/:id', (req) => ({ id: req.params.id })),
    parseJson: http('POST /p', (req) => req.json() as object),
  },
});
const iapApp = defineApp({ name: 'iap', functions: { iapSeen: http('ANY /*', seen) } });
const iapUrlApp = defineApp({ name: 'iap-url', functions: { iapUrlSeen: http('ANY /*', seen) } });
const iapRequiredApp = defineApp({ name: 'iap-required', functions: { iapRequired: http('ANY /*', seen) } });

let jwksServer: Server;
let jwksHits = 0;
let served: Awaited<ReturnType<typeof serveAll>>;
beforeAll(async () => {
  jwksServer = createServer((_req, res) => {
    jwksHits++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [...keys.jwks.keys, ...rotated.jwks.keys] }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', () => r()));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/keys`;
  handle(app);
  handle(routedApp);
  handle(iapApp, { iap: { audience: AUD, jwks: keys.jwks } });
  handle(iapUrlApp, { iap: { audience: AUD, jwksUrl } });
  handle(iapRequiredApp, { iap: { audience: AUD, jwks: keys.jwks, required: true } });
  served = await serveAll([
    'httpSeen',
    'httpDefaultTimeout',
    'getOrder',
    'parseJson',
    'iapSeen',
    'iapUrlSeen',
    'iapRequired',
  ]);
});
afterAll(async () => {
  await served.close();
  await new Promise((r) => jwksServer.close(r));
});

const get = async (fn: string, path: string, init: Parameters<typeof send>[1] = {}) => {
  const res = await send(served.urls[fn]! + path, init);
  return { status: res.status, body: res.status === 200 ? JSON.parse(text(res.body)) : text(res.body) };
};

describe('request translation', () => {
  it('query comes from the raw URL: bracket keys and repeats stay as sent (Express would build objects)', async () => {
    const { body } = await get('httpSeen', '/q?a[b]=1&a[b]=2&c=%2B+x');
    expect(body.query).toEqual([
      ['a[b]', '1'],
      ['a[b]', '2'],
      ['c', '+ x'],
    ]);
  });

  it('headers come from rawHeaders: repeated lines stay separate and in order', async () => {
    const { body } = await get('httpSeen', '/h', {
      headers: [
        ['X-Multi', 'one'],
        ['x-multi', 'two, three'],
      ],
    });
    expect(body.headers.filter(([k]: [string]) => k === 'x-multi')).toEqual([
      ['x-multi', 'one'],
      ['x-multi', 'two, three'],
    ]);
  });

  it('a gzip body arrives as sent, Content-Encoding and Content-Length kept (body-parser does not inflate it first)', async () => {
    const gzipped = gzipSync('hello gzip');
    const { body } = await get('httpSeen', '/z', {
      method: 'POST',
      headers: [
        ['content-type', 'text/plain'],
        ['content-encoding', 'gzip'],
      ],
      body: gzipped,
    });
    expect(Buffer.from(body.body, 'base64').equals(gzipped)).toBe(true);
    expect(body.headers).toContainEqual(['content-encoding', 'gzip']);
    expect(body.headers).toContainEqual(['content-length', String(gzipped.length)]);
  });

  it('a malformed JSON body reaches the function: polycloud answers its JSON 400, not Express’s HTML page', async () => {
    const res = await send(`${served.urls.parseJson}/p`, {
      method: 'POST',
      headers: [['content-type', 'application/json']],
      body: new TextEncoder().encode('{"title":'),
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(text(res.body))).toEqual({
      error: 'body: malformed JSON (Unexpected end of JSON input)',
    });
  });

  it('a function answers only its own route: 405 with Allow on its path, 404 elsewhere (as the node router does)', async () => {
    const wrongMethod = await send(`${served.urls.getOrder}/orders/42`, { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
    expect(JSON.parse(text(wrongMethod.body))).toEqual({ error: 'Method Not Allowed' });
    const elsewhere = await send(`${served.urls.getOrder}/`, {});
    expect(elsewhere.status).toBe(404);
    expect(JSON.parse(text(elsewhere.body))).toEqual({ error: 'Not Found' });
    const head = await send(`${served.urls.getOrder}/orders/42`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('ip is the entry Google’s front end appended, not the client-chosen leftmost one', async () => {
    const { body } = await get('httpSeen', '/ip', { headers: [['x-forwarded-for', '6.6.6.6, 203.0.113.9']] });
    expect(body.ip).toBe('203.0.113.9');
    const direct = await get('httpSeen', '/ip');
    expect(direct.body.ip).toBe('127.0.0.1');
  });

  it('execution id from function-execution-id; deadline from the function timeout, else the 60 s default; raw is the Express pair', async () => {
    const { body } = await get('httpSeen', '/ctx', { headers: [['function-execution-id', 'exec-42']] });
    expect(body.requestId).toBe('exec-42');
    expect(body.deadlineIn).toBeGreaterThan(4000);
    expect(body.deadlineIn).toBeLessThanOrEqual(5000);
    expect(body.rawIsExpress).toBe(true);
    const dflt = await get('httpDefaultTimeout', '/ctx');
    expect(dflt.body.deadlineIn).toBeGreaterThan(59_000);
    expect(dflt.body.deadlineIn).toBeLessThanOrEqual(60_000);
    expect(typeof dflt.body.requestId).toBe('string');
  });
});

describe('identity from IAP only', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: IAP_ISSUER,
    aud: AUD,
    sub: 'accounts.google.com:1234',
    email: 'ada@example.com',
    iat: now(),
    exp: now() + 600,
    ...extra,
  });
  const withAssertion = (fn: string, token: string) =>
    get(fn, '/me', { headers: [['x-goog-iap-jwt-assertion', token]] });

  it('a valid signed assertion gives the identity', async () => {
    const { status, body } = await withAssertion(
      'iapSeen',
      signAssertion(keys.privateKey, keys.kid, claims()),
    );
    expect(status).toBe(200);
    expect(body.identity).toMatchObject({
      source: 'gcp:iap',
      subject: 'accounts.google.com:1234',
      claims: { email: 'ada@example.com', aud: AUD },
    });
  });

  it.each([
    ['a forged signature', () => signAssertion(rotated.privateKey, keys.kid, claims())],
    [
      'another audience',
      () => signAssertion(keys.privateKey, keys.kid, claims({ aud: '/projects/9/apps/other' })),
    ],
    ['an expired assertion', () => signAssertion(keys.privateKey, keys.kid, claims({ exp: now() - 3600 }))],
    [
      'another issuer',
      () => signAssertion(keys.privateKey, keys.kid, claims({ iss: 'https://evil.example' })),
    ],
    ['an unknown key id', () => signAssertion(keys.privateKey, 'nope', claims())],
    ['garbage', () => 'not.a.jwt'],
    [
      'a fresh ES256 key that is not in the JWKS, under its own kid',
      () => signAssertion(fresh.privateKey, fresh.kid, claims()),
    ],
    [
      'a fresh ES256 key that is not in the JWKS, without a kid',
      () => {
        const signed = signAssertion(fresh.privateKey, fresh.kid, claims()).split('.');
        return `${assertionWith({ alg: 'ES256', typ: 'JWT' }, claims()).slice(0, -1)}.${signed[2]}`;
      },
    ],
    ['alg none, unsigned', () => assertionWith({ alg: 'none', kid: keys.kid, typ: 'JWT' }, claims())],
    [
      'alg none with the signature of a real assertion',
      () =>
        `${assertionWith({ alg: 'none', kid: keys.kid }, claims()).slice(0, -1)}.${
          signAssertion(keys.privateKey, keys.kid, claims()).split('.')[2]
        }`,
    ],
    [
      'HS256 keyed with the published public key',
      () => hmacAssertion(JSON.stringify(keys.jwks.keys[0]), keys.kid, claims()),
    ],
    ['HS256 keyed with a secret', () => hmacAssertion('secret', keys.kid, claims())],
    [
      'an assertion issued in the future',
      () => signAssertion(keys.privateKey, keys.kid, claims({ iat: now() + 3600, exp: now() + 4200 })),
    ],
    ['an assertion without exp', () => signAssertion(keys.privateKey, keys.kid, claims({ exp: undefined }))],
  ])('%s is a 401 with no detail', async (_what, token) => {
    const { status, body } = await withAssertion('iapSeen', token());
    expect(status).toBe(401);
    expect(JSON.parse(body)).toEqual({ error: 'Unauthorized' });
  });

  it('plain identity headers are never trusted, with or without IAP configured', async () => {
    const spoof: [string, string][] = [
      ['x-goog-authenticated-user-email', 'accounts.google.com:admin@example.com'],
      ['x-goog-authenticated-user-id', 'accounts.google.com:1'],
    ];
    expect((await get('httpSeen', '/me', { headers: spoof })).body.identity).toBeNull();
    expect((await get('iapSeen', '/me', { headers: spoof })).body.identity).toBeNull();
  });

  it('without the header: anonymous, or 401 when IAP is required', async () => {
    expect((await get('iapSeen', '/me')).body.identity).toBeNull();
    expect((await get('iapRequired', '/me')).status).toBe(401);
  });

  it('keys fetched once from a JWKS URL and cached; every published key id verifies', async () => {
    const first = await withAssertion('iapUrlSeen', signAssertion(keys.privateKey, keys.kid, claims()));
    expect(first.body.identity.source).toBe('gcp:iap');
    const again = await withAssertion('iapUrlSeen', signAssertion(keys.privateKey, keys.kid, claims()));
    expect(again.status).toBe(200);
    expect(jwksHits).toBe(1);
    const rotatedOk = await withAssertion(
      'iapUrlSeen',
      signAssertion(rotated.privateKey, rotated.kid, claims()),
    );
    expect(rotatedOk.status).toBe(200);
    expect(jwksHits).toBe(1);
  });
});

describe('answers: synchronous, asynchronous, failing', () => {
  const answerApp = defineApp({
    name: 'answers',
    functions: {
      ansSync: http('ANY /*', (req, ctx) => {
        if (req.path === '/log') ctx.log.info('handled', { n: 1 });
        if (req.path === '/throw') throw new Error('secret at /srv/app.js:1');
        if (req.path === '/bad-header')
          return { status: 200, headers: { 'x-ok': '1', 'x-bad': 'a\nb' }, body: 'x' };
        if (req.path === '/raw') {
          const raw = ctx.raw as import('../../src/index.ts').GcpHttpRaw;
          return { same: ctx.raw === raw && raw.req.path === '/raw', aborted: ctx.signal.aborted };
        }
        return { url: req.url, ip: req.ip };
      }),
      ansAsync: http('ANY /*', async (req) => {
        await new Promise((r) => setTimeout(r, 1));
        if (req.path === '/throw') throw new Error('secret');
        return { async: true };
      }),
      ansMiddleware: http(
        'ANY /*',
        {
          middleware: [
            async (ctx, next) => {
              const out = await next();
              ctx.log.info('after');
              return out;
            },
          ],
        },
        (req) => ({ via: req.path }),
      ),
    },
  });
  let answers: Awaited<ReturnType<typeof serveAll>>;
  beforeAll(async () => {
    handle(answerApp, { project: 'answers-project' });
    answers = await serveAll(['ansSync', 'ansAsync', 'ansMiddleware']);
  });
  afterAll(() => answers.close());
  afterEach(() => vi.restoreAllMocks());
  const logged = () => {
    const lines: Record<string, unknown>[] = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const s = String(chunk);
      if (s.startsWith('{')) lines.push(JSON.parse(s) as Record<string, unknown>);
      else write(chunk);
      return true;
    });
    return lines;
  };

  it('a synchronous handler answers; url from the forwarded scheme and host, ip from the forwarded hop', async () => {
    const res = await send(`${answers.urls.ansSync}/items?a=1`, {
      headers: [
        ['x-forwarded-proto', 'https'],
        ['x-forwarded-for', '203.0.113.9'],
      ],
    });
    expect(res.status).toBe(200);
    const host = new URL(answers.urls.ansSync!).host;
    expect(JSON.parse(text(res.body))).toEqual({ url: `https://${host}/items?a=1`, ip: '203.0.113.9' });
  });

  it('raw is one object per invocation; the signal is live', async () => {
    const res = await send(`${answers.urls.ansSync}/raw`);
    expect(JSON.parse(text(res.body))).toEqual({ same: true, aborted: false });
  });

  it('an asynchronous handler and one behind middleware answer too', async () => {
    expect(JSON.parse(text((await send(answers.urls.ansAsync!)).body))).toEqual({ async: true });
    const lines = logged();
    const res = await send(`${answers.urls.ansMiddleware}/mw`);
    expect(JSON.parse(text(res.body))).toEqual({ via: '/mw' });
    expect(lines.map((l) => l.message)).toEqual(['after']);
  });

  it('handler logs carry the function, the execution id and the trace of the request', async () => {
    const lines = logged();
    await send(`${answers.urls.ansSync}/log`, {
      headers: [
        ['function-execution-id', 'exec-7'],
        ['x-cloud-trace-context', '105445aa7843bc8bf206b12000100000/1;o=1'],
      ],
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      message: 'handled',
      n: 1,
      function: 'ansSync',
      requestId: 'exec-7',
      'logging.googleapis.com/trace': 'projects/answers-project/traces/105445aa7843bc8bf206b12000100000',
      'logging.googleapis.com/spanId': '0000000000000001',
      'logging.googleapis.com/trace_sampled': true,
    });
  });

  it.each([
    ['ansSync', 'a synchronous throw'],
    ['ansAsync', 'a rejection'],
  ])('%s: %s is a clean JSON 500, logged with the execution id', async (fn) => {
    const lines = logged();
    const res = await send(`${answers.urls[fn]}/throw`, { headers: [['function-execution-id', 'exec-9']] });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/json');
    expect(text(res.body)).toBe('{"error":"Internal Server Error"}');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ severity: 'ERROR', function: fn, requestId: 'exec-9' });
  });

  it('a response Node refuses (a newline in a header) is a clean JSON 500 without the other headers, logged', async () => {
    const lines = logged();
    const res = await send(`${answers.urls.ansSync}/bad-header`, {
      headers: [['function-execution-id', 'exec-3']],
    });
    expect(res.status).toBe(500);
    expect(res.headers['x-ok']).toBeUndefined();
    expect(text(res.body)).toBe('{"error":"Internal Server Error"}');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      severity: 'ERROR',
      message: 'could not write the response',
      function: 'ansSync',
      requestId: 'exec-3',
    });
  });
});

describe('no promise unless the answer needs one', () => {
  const direct = handle(
    defineApp({
      name: 'direct',
      functions: {
        directSync: http('ANY /items/:id', (req) => ({ id: req.params.id, size: req.body.length })),
        directAsync: http('ANY /items/:id', async (req) => ({ id: req.params.id })),
      },
    }),
  ).handlers;
  const request = (method: string, rawBody?: Buffer) => frameworkRequest(method, '/items/7', rawBody);
  const response = frameworkResponse;

  it.each([
    ['GET', undefined, '{"id":"7","size":0}'],
    ['POST', Buffer.from('abc'), '{"id":"7","size":3}'],
  ])(
    'a synchronous %s handler is answered before the entry returns, which returns nothing',
    (method, body, expected) => {
      const { res, sent } = response();
      expect(direct.directSync!(request(method, body), res)).toBeUndefined();
      expect(res.statusCode).toBe(200);
      expect(String(sent())).toBe(expected);
    },
  );

  it('behind IAP: a missing assertion is refused without a promise; one is verified (jose is asynchronous)', async () => {
    const iapDirect = handle(
      defineApp({
        name: 'direct-iap',
        functions: { directIap: http('GET /*', (req) => req.identity?.subject) },
      }),
      { iap: { audience: AUD, jwks: keys.jwks, required: true } },
    ).handlers.directIap!;
    const now = Math.floor(Date.now() / 1000);
    const token = signAssertion(keys.privateKey, keys.kid, {
      iss: IAP_ISSUER,
      aud: AUD,
      sub: 'accounts.google.com:7',
      iat: now,
      exp: now + 600,
    });
    const ok = response();
    const req = request('GET');
    req.headers['x-goog-iap-jwt-assertion'] = token;
    await iapDirect(req, ok.res);
    expect(String(ok.sent())).toBe('accounts.google.com:7');
    const missing = response();
    expect(iapDirect(request('GET'), missing.res)).toBeUndefined();
    expect(missing.res.statusCode).toBe(401);
    for (const assertion of ['not.a.jwt', `${token}x`]) {
      const refused = response();
      const bad = request('GET');
      bad.headers['x-goog-iap-jwt-assertion'] = assertion;
      await iapDirect(bad, refused.res);
      expect(refused.res.statusCode).toBe(401);
      expect(String(refused.sent())).toBe('{"error":"Unauthorized"}');
    }
  });

  it('an asynchronous handler: a promise that resolves once the answer is written', async () => {
    const { res, sent } = response();
    const ret = direct.directAsync!(request('GET'), res);
    expect(ret).toBeInstanceOf(Promise);
    await ret;
    expect(String(sent())).toBe('{"id":"7"}');
  });
});
