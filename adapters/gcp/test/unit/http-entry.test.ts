import type { Request } from '@google-cloud/functions-framework';
import { defineApp, http } from '@polycloud/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toHttpRequest } from '../../src/http/request.ts';
import { handle, IAP_ISSUER, IAP_JWKS_URL } from '../../src/index.ts';
import { frameworkRequest, frameworkResponse, streamingRequest } from '../support/framework-request.ts';
import { iapKeys, signAssertion } from '../support/iap-token.ts';

const AUD = '/projects/1/apps/http-entry';
const keys = iapKeys();
const echo = http('ANY /*', (req) => ({
  size: req.body.length,
  text: Buffer.from(req.body).toString(),
  subject: req.identity?.subject ?? null,
}));
const open = handle(defineApp({ name: 'open', functions: { openEcho: echo } }));
const guarded = handle(defineApp({ name: 'guarded', functions: { guardedEcho: echo } }), {
  iap: { audience: AUD, jwks: keys.jwks },
});
const required = handle(defineApp({ name: 'required', functions: { requiredEcho: echo } }), {
  iap: { audience: AUD, jwks: keys.jwks, required: true },
});
const badHeader = handle(
  defineApp({
    name: 'bad-header',
    functions: {
      badHeader: http('GET /x', () => ({ status: 200, headers: { 'x-bad': 'a\nb' }, body: 'x' })),
    },
  }),
);

afterEach(() => {
  vi.restoreAllMocks();
});

async function call(handler: (req: Request, res: never) => unknown, req: Request) {
  const { res, sent } = frameworkResponse();
  await handler(req, res as never);
  const body = sent();
  return {
    status: res.statusCode,
    text: body === undefined ? '' : Buffer.from(body as Uint8Array).toString(),
  };
}

const now = Math.floor(Date.now() / 1000);
const assertion = () =>
  signAssertion(keys.privateKey, keys.kid, {
    iss: IAP_ISSUER,
    aud: AUD,
    sub: 'accounts.google.com:7',
    iat: now,
    exp: now + 600,
  });

describe('IAP', () => {
  it('the issuer and key set IAP documents (https://cloud.google.com/iap/docs/signed-headers-howto)', () => {
    expect(IAP_ISSUER).toBe('https://cloud.google.com/iap');
    expect(IAP_JWKS_URL).toBe('https://www.gstatic.com/iap/verify/public_key-jwk');
  });

  it('without IAP configured an assertion header is ignored: anonymous, answered as usual', async () => {
    const req = frameworkRequest('GET', '/', undefined, { 'x-goog-iap-jwt-assertion': assertion() });
    expect(await call(open.handlers.openEcho!, req)).toEqual({
      status: 200,
      text: '{"size":0,"text":"","subject":null}',
    });
  });

  it('a valid assertion gives the identity', async () => {
    const req = frameworkRequest('GET', '/', undefined, { 'x-goog-iap-jwt-assertion': assertion() });
    expect((await call(guarded.handlers.guardedEcho!, req)).text).toContain(
      '"subject":"accounts.google.com:7"',
    );
  });

  it('a refused assertion is a bare 401, the reason only in the log with the function', async () => {
    const warn = vi.spyOn(guarded.runtime.log, 'warn').mockImplementation(() => undefined);
    const req = frameworkRequest('GET', '/', undefined, { 'x-goog-iap-jwt-assertion': 'not.a.jwt' });
    expect(await call(guarded.handlers.guardedEcho!, req)).toEqual({
      status: 401,
      text: '{"error":"Unauthorized"}',
    });
    expect(warn).toHaveBeenCalledWith('rejected IAP assertion', {
      function: 'guardedEcho',
      reason: expect.stringMatching(/./),
    });
  });

  it('required: no assertion is a 401 with the same bare body', async () => {
    expect(await call(required.handlers.requiredEcho!, frameworkRequest('GET', '/', undefined))).toEqual({
      status: 401,
      text: '{"error":"Unauthorized"}',
    });
  });
});

describe('what is logged', () => {
  it('a response Node refuses is a JSON 500, logged with the error', async () => {
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const runtime = badHeader.runtime;
    const child = runtime.log.child.bind(runtime.log);
    vi.spyOn(runtime.log, 'child').mockImplementation((fields) => {
      const log = child(fields);
      vi.spyOn(log, 'error').mockImplementation((message, f) => {
        lines.push([message, f]);
      });
      return log;
    });
    const r = await call(badHeader.handlers.badHeader!, frameworkRequest('GET', '/x', undefined));
    expect(r).toEqual({ status: 500, text: '{"error":"Internal Server Error"}' });
    expect(lines).toHaveLength(1);
    expect(lines[0]![0]).toBe('could not write the response');
    expect(lines[0]![1]!.error).toBeInstanceOf(Error);
  });
});

describe('a body still in the stream (no raw-body hook: a framework server created before registering)', () => {
  const streaming = (body: Buffer | Error, headers: Record<string, string>) =>
    streamingRequest(body, headers, '/upload');

  it('is read, then handled', async () => {
    const r = await call(open.handlers.openEcho!, streaming(Buffer.from('hello'), { 'content-length': '5' }));
    expect(r).toEqual({ status: 200, text: '{"size":5,"text":"hello","subject":null}' });
  });

  it('one declaring more than Cloud Run’s 32 MiB is a 413, unread', async () => {
    const r = await call(
      open.handlers.openEcho!,
      streaming(Buffer.from('x'), { 'content-length': String(33 * 1024 * 1024) }),
    );
    expect(r.status).toBe(413);
  });

  it('a broken upload is a JSON 500 logged under the function’s name', async () => {
    const lines: string[] = [];
    const make = open.runtime.log.child.bind(open.runtime.log);
    const child = vi.spyOn(open.runtime.log, 'child').mockImplementation((fields) => {
      const log = make(fields);
      vi.spyOn(log, 'error').mockImplementation((message) => {
        lines.push(message);
      });
      return log;
    });
    const r = await call(
      open.handlers.openEcho!,
      streaming(new Error('socket hang up'), { 'transfer-encoding': 'chunked' }),
    );
    expect(r).toEqual({ status: 500, text: '{"error":"Internal Server Error"}' });
    expect(child).toHaveBeenCalledWith({ function: 'openEcho' });
    expect(lines).toEqual(['could not read the request']);
  });
});

describe('toHttpRequest (path, query and url from the raw URL)', () => {
  const express = (fields: Record<string, unknown>) =>
    ({
      method: 'GET',
      headers: {},
      rawHeaders: [],
      socket: {},
      protocol: 'http',
      ...fields,
    }) as unknown as Request;
  const body = new Uint8Array(0);

  it('originalUrl wins over url (Express rewrites url inside a mounted router), then url, then /', () => {
    expect(
      toHttpRequest(express({ originalUrl: '/orders/1?x=1', url: '/?x=1' }), body, 1, undefined).path,
    ).toBe('/orders/1');
    expect(toHttpRequest(express({ url: '/only-url' }), body, 1, undefined).path).toBe('/only-url');
    expect(toHttpRequest(express({}), body, 1, undefined).path).toBe('/');
  });

  it('no ? is no query; everything after the first ? is the query', () => {
    expect([...toHttpRequest(express({ originalUrl: '/orders' }), body, 1, undefined).query]).toEqual([]);
    expect([...toHttpRequest(express({ originalUrl: '/?a=1' }), body, 1, undefined).query]).toEqual([
      ['a', '1'],
    ]);
    expect([...toHttpRequest(express({ originalUrl: '/p?a=1?b=2' }), body, 1, undefined).query]).toEqual([
      ['a', '1?b=2'],
    ]);
  });

  it('url: Express’s protocol and the Host header, else localhost', () => {
    const withHost = express({ originalUrl: '/p?a=1', headers: { host: 'shop.example' }, protocol: 'http' });
    expect(toHttpRequest(withHost, body, 1, undefined).url).toBe('http://shop.example/p?a=1');
    expect(toHttpRequest(express({ originalUrl: '/p', protocol: 'http' }), body, 1, undefined).url).toBe(
      'http://localhost/p',
    );
  });
});
