/**
 * Azure's HttpRequest (the @azure/functions 4.x class itself) → the neutral request, and the neutral
 * response → HttpResponseInit, rule by rule:
 * - the route prefix (`extensions.http.routePrefix`, default `api`) is not part of the app's routes
 *   (https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger#customize-the-http-endpoint);
 * - the client address is the last X-Forwarded-For entry, which carries a port on Azure
 *   (https://learn.microsoft.com/azure/app-service/overview-inbound-outbound-ips);
 * - App Service authentication's `x-ms-client-principal` is read only when the app declares it on
 *   (https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities);
 * - Set-Cookie values travel as Cookie objects (the `Cookie` type of @azure/functions: name, value,
 *   domain, path, expires, maxAge, secure, httpOnly, sameSite), other attributes dropped with a warning.
 */
import azureFunctions from '@azure/functions';
import type { HttpResponse, Logger } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import {
  clientIp,
  readRequestBody,
  splitUrl,
  stripPrefix,
  toNeutralRequest,
} from '../../src/http/request.ts';
import { parseSetCookie, toAzureResponse } from '../../src/http/response.ts';
import { resolveSettings } from '../../src/options.ts';

const { HttpRequest: AzureHttpRequest } = azureFunctions;

function settings(azure: Record<string, unknown> = {}) {
  return resolveSettings({ provider: 'azure', providers: { azure } } as never, 'app', {});
}

async function neutral(
  init: ConstructorParameters<typeof AzureHttpRequest>[0],
  azure: Record<string, unknown> = {},
) {
  const request = new AzureHttpRequest(init);
  return toNeutralRequest(request, await readRequestBody(request), settings(azure));
}

describe('request', () => {
  it('the route prefix is cut (any case); the rest of the URL is path, query and origin', async () => {
    const req = await neutral({ method: 'GET', url: 'https://app.azurewebsites.net/API/todos/7?a=1&a=2' });
    expect(req.path).toBe('/todos/7');
    expect([...req.query]).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
    expect(req.url).toBe('https://app.azurewebsites.net/todos/7?a=1&a=2');
  });
  it('no query: an empty query, not an empty key', async () => {
    const req = await neutral({ method: 'GET', url: 'http://localhost:7071/api/x' });
    expect([...req.query]).toEqual([]);
    expect(req.url).toBe('http://localhost:7071/x');
  });
  it('the body is the request bytes; no body, no bytes', async () => {
    const post = await neutral({ method: 'POST', url: 'http://h/api/x', body: { string: 'héllo' } });
    expect(post.text()).toBe('héllo');
    const get = await neutral({ method: 'GET', url: 'http://h/api/x' });
    expect(get.body.length).toBe(0);
  });
  it('GET and HEAD: no body, and the request body is not asked for (the library gives them none)', async () => {
    for (const method of ['GET', 'HEAD']) {
      const request = {
        method,
        get body(): never {
          throw new Error('body read');
        },
      };
      expect(await readRequestBody(request as never)).toHaveLength(0);
    }
    const post = { method: 'POST', body: null };
    expect(await readRequestBody(post as never)).toHaveLength(0);
  });
  it('folded Cookie headers are unfolded; other headers pass as they are', async () => {
    const req = await neutral({
      method: 'GET',
      url: 'http://h/api/x',
      headers: { cookie: 'a=1, b=2; c=3', 'x-list': 'p, q' },
    });
    expect(req.cookies).toEqual({ a: '1', b: '2', c: '3' });
    expect(req.headers.get('x-list')).toBe('p, q');
  });
  it('the client address is the last X-Forwarded-For entry without its port', async () => {
    const req = await neutral({
      method: 'GET',
      url: 'http://h/api/x',
      headers: { 'x-forwarded-for': '10.0.0.1:1, 203.0.113.9:51234' },
    });
    expect(req.ip).toBe('203.0.113.9');
    expect((await neutral({ method: 'GET', url: 'http://h/api/x' })).ip).toBeUndefined();
  });
  it('x-ms-client-principal is an identity only when App Service authentication is declared on', async () => {
    const principal = Buffer.from(
      JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'sub', val: 'user-1' }] }),
    ).toString('base64');
    const headers = { 'x-ms-client-principal': principal, 'x-ms-client-principal-id': 'pid-9' };
    const on = await neutral({ method: 'GET', url: 'http://h/api/x', headers }, { appServiceAuth: true });
    expect(on.identity).toMatchObject({ source: 'azure:appservice', subject: 'pid-9' });
    const withoutId = await neutral(
      { method: 'GET', url: 'http://h/api/x', headers: { 'x-ms-client-principal': principal } },
      { appServiceAuth: true },
    );
    expect(withoutId.identity?.subject).toBe('user-1');
    const off = await neutral({ method: 'GET', url: 'http://h/api/x', headers });
    expect(off.identity).toBeUndefined();
    const none = await neutral({ method: 'GET', url: 'http://h/api/x' }, { appServiceAuth: true });
    expect(none.identity).toBeUndefined();
  });
});

describe('splitUrl', () => {
  it('origin, path and query of absolute URLs', () => {
    expect(splitUrl('https://h.example:8443/api/a/b?x=1&y=2')).toEqual({
      origin: 'https://h.example:8443',
      path: '/api/a/b',
      query: 'x=1&y=2',
    });
  });
  it('no path is "/"; a query right after the host is still the query', () => {
    expect(splitUrl('https://h')).toEqual({ origin: 'https://h', path: '/', query: '' });
    expect(splitUrl('https://h?x=1')).toEqual({ origin: 'https://h', path: '/', query: 'x=1' });
  });
  it('a fragment is neither path nor query', () => {
    expect(splitUrl('https://h/a?x=1#frag')).toEqual({ origin: 'https://h', path: '/a', query: 'x=1' });
    expect(splitUrl('https://h/a#f?x=1')).toEqual({ origin: 'https://h', path: '/a', query: '' });
  });
  it('an empty query after "?" is empty', () => {
    expect(splitUrl('https://h/a?')).toEqual({ origin: 'https://h', path: '/a', query: '' });
  });
  it('without a scheme, the host runs to the first "/"', () => {
    expect(splitUrl('h:80/a?b')).toEqual({ origin: 'h:80', path: '/a', query: 'b' });
    expect(splitUrl('/a/b')).toEqual({ origin: '', path: '/a/b', query: '' });
  });
  it('a "/" or "?" inside the scheme part does not end the host early', () => {
    expect(splitUrl('http://h/a/b?c=/d')).toEqual({ origin: 'http://h', path: '/a/b', query: 'c=/d' });
  });
});

describe('stripPrefix', () => {
  it('cuts the prefix only at a segment boundary', () => {
    expect(stripPrefix('/api/x', 'api')).toBe('/x');
    expect(stripPrefix('/api', 'api')).toBe('/');
    expect(stripPrefix('/apix/y', 'api')).toBe('/apix/y');
    expect(stripPrefix('/ap', 'api')).toBe('/ap');
    expect(stripPrefix('/other/api/x', 'api')).toBe('/other/api/x');
  });
  it('an empty prefix (routePrefix "") keeps the path', () => {
    expect(stripPrefix('/api/x', '')).toBe('/api/x');
  });
  it('a nested prefix', () => {
    expect(stripPrefix('/v1/api/x', 'v1/api')).toBe('/x');
  });
});

describe('clientIp', () => {
  it('IPv4 with a port, IPv4 alone, bracketed IPv6 with a port, bare IPv6', () => {
    expect(clientIp('203.0.113.9:51234')).toBe('203.0.113.9');
    expect(clientIp('203.0.113.9')).toBe('203.0.113.9');
    expect(clientIp('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(clientIp('2001:db8::1')).toBe('2001:db8::1');
  });
  it('the last entry, trimmed; an empty last entry or header is no address', () => {
    expect(clientIp('1.1.1.1, 2.2.2.2:9 ')).toBe('2.2.2.2');
    expect(clientIp('1.1.1.1, ')).toBeUndefined();
    expect(clientIp('')).toBeUndefined();
    expect(clientIp(null)).toBeUndefined();
  });
});

describe('response', () => {
  const response = (r: Partial<HttpResponse>): HttpResponse => ({
    status: 200,
    headers: {},
    cookies: [],
    body: new Uint8Array(0),
    ...r,
  });
  function logger() {
    const warnings: [string, unknown][] = [];
    const log = { warn: (msg: string, data?: unknown) => warnings.push([msg, data]) } as unknown as Logger;
    return { log, warnings };
  }
  it('status, headers and the body bytes; an empty body is no body', () => {
    const res = response({ status: 201, headers: { 'x-a': 'b' }, body: new Uint8Array([1, 2]) });
    const init = toAzureResponse(res);
    expect(init.status).toBe(201);
    expect(init.body).toEqual(new Uint8Array([1, 2]));
    expect(init.headers).toBe(res.headers);
    expect(init).not.toHaveProperty('cookies');
    expect(toAzureResponse(response({ status: 204 }))).not.toHaveProperty('body');
  });
  it('Set-Cookie values become Cookie objects; a cookie without name=value is dropped with a warning', () => {
    const { log, warnings } = logger();
    const res = response({ cookies: ['a=1; Path=/; HttpOnly', 'broken', '=v'] });
    const init = toAzureResponse(res, log);
    expect(init.cookies).toEqual([{ name: 'a', value: '1', path: '/', httpOnly: true }]);
    expect(warnings).toEqual([
      ['dropped a Set-Cookie without name=value', { setCookie: 'broken' }],
      ['dropped a Set-Cookie without name=value', { setCookie: '=v' }],
    ]);
  });
  it('attributes the Cookie type cannot carry are dropped with a warning naming them', () => {
    const { log, warnings } = logger();
    toAzureResponse(response({ cookies: ['s=1; Partitioned; Priority=High'] }), log);
    expect(warnings).toEqual([
      [
        'Set-Cookie attributes Azure cannot carry were dropped',
        { cookie: 's', dropped: ['Partitioned', 'Priority=High'] },
      ],
    ]);
  });
  it('every documented attribute, in any case and spacing', () => {
    expect(
      parseSetCookie(
        ' id = a3fWa ; Domain=example.com; path=/docs; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Max-Age=0; SECURE; httponly; SameSite=Strict;',
      ),
    ).toEqual({
      cookie: {
        name: 'id',
        value: 'a3fWa',
        domain: 'example.com',
        path: '/docs',
        expires: new Date('2037-10-21T07:28:00.000Z'),
        maxAge: 0,
        secure: true,
        httpOnly: true,
        sameSite: 'Strict',
      },
      dropped: [],
    });
  });
  it('a value may contain "="', () => {
    expect(parseSetCookie('t=a=b==')?.cookie).toEqual({ name: 't', value: 'a=b==' });
  });
  it('SameSite Lax and None; an unknown SameSite, a bad Expires or Max-Age is dropped, not guessed', () => {
    expect(parseSetCookie('a=1; SameSite=lax')?.cookie.sameSite).toBe('Lax');
    expect(parseSetCookie('a=1; SameSite=None')?.cookie.sameSite).toBe('None');
    expect(parseSetCookie('a=1; SameSite=Whatever; Expires=soon; Max-Age=1.5; Max-Age=; Max-Age')).toEqual({
      cookie: { name: 'a', value: '1' },
      dropped: ['SameSite=Whatever', 'Expires=soon', 'Max-Age=1.5', 'Max-Age=', 'Max-Age'],
    });
    expect(parseSetCookie('a=1; Max-Age=-5')?.cookie.maxAge).toBe(-5);
  });
});
