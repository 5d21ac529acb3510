import '../support/host/functions-core.ts';
import { defineApp, HttpError, http } from '@polycloud/core';
import { describe, expect, test } from 'vitest';
import { handle } from '../../src/index.ts';
import { registered } from '../support/host/functions-core.ts';
import { hostHttpResponse, invokeHost, rpcHttp, userLogs } from '../support/host/host.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const principal = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

const app = defineApp({
  name: 'httpapp',
  functions: {
    httpWhoami: http('GET /whoami', (req) => ({ identity: req.identity ?? null, ip: req.ip ?? null })),
    httpTodo: http('GET,PUT /todos/:id', (req, ctx) => ({
      id: req.params.id,
      requestId: ctx.requestId,
      remaining: ctx.remainingMs(),
    })),
    httpCookies: http('POST /cookies', () => ({
      status: 201,
      headers: { 'x-a': 'b', 'transfer-encoding': 'chunked', 'Content-Type': 'text/plain' },
      cookies: [
        'session=abc; Path=/; HttpOnly; Secure; SameSite=Lax',
        'theme=dark; Max-Age=3600; Domain=example.com',
        'expires=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
        'p=1; Partitioned',
      ],
      body: 'made',
    })),
    httpBinary: http('GET /png', () => ({
      status: 200,
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 128]),
    })),
    httpTeapot: http('GET /teapot', () => {
      throw new HttpError(418, 'short and stout');
    }),
  },
});

function setup(azure: Record<string, unknown> = {}) {
  const reg = handle(app, { config: { provider: 'azure', providers: { azure } }, env: {} });
  const call = async (fn: string, req: Parameters<typeof rpcHttp>[0]) => {
    const plan = reg.plans[fn]!;
    const out = await invokeHost(fn, {
      data: rpcHttp(req, plan.method === 'http' ? plan.options.route : undefined),
    });
    expect(out.ok, out.error).toBe(true);
    return { res: hostHttpResponse(out.response), logs: userLogs(out) };
  };
  return { reg, call };
}

describe('http registration', () => {
  test('routes, methods and auth level are registered through app.http', () => {
    setup({ authLevel: 'anonymous' });
    const trigger = Object.values(registered('httpTodo').metadata.bindings).find(
      (b) => b.type === 'httpTrigger',
    )!;
    expect(trigger).toMatchObject({
      route: 'todos/{id}',
      methods: ['GET', 'PUT', 'HEAD'],
      authLevel: 'anonymous',
    });
    setup();
    const byDefault = Object.values(registered('httpTodo').metadata.bindings).find(
      (b) => b.type === 'httpTrigger',
    )!;
    expect(byDefault.authLevel).toBe('function');
  });
});

describe('http translation', () => {
  test('route params, invocation id and a deadline within the 230 s front-end limit', async () => {
    const { call } = setup({ functionTimeout: '00:10:00' });
    const { res } = await call('httpTodo', { method: 'GET', path: '/todos/a%2Fb' });
    const body = JSON.parse(text(res.body));
    expect(body.id).toBe('a/b');
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.remaining).toBeGreaterThan(200_000);
    expect(body.remaining).toBeLessThanOrEqual(230_000);
  });

  test('a custom route prefix is stripped; no prefix works too', async () => {
    const custom = setup({ routePrefix: 'v1' });
    const a = await custom.call('httpTodo', { method: 'GET', path: '/todos/7', routePrefix: 'v1' });
    expect(JSON.parse(text(a.res.body)).id).toBe('7');
    const none = setup({ routePrefix: '' });
    const b = await none.call('httpTodo', { method: 'PUT', path: '/todos/8', routePrefix: '' });
    expect(JSON.parse(text(b.res.body)).id).toBe('8');
  });

  test('several Set-Cookie values stay separate cookies; framing headers are dropped (PEER-BUGS #1, #7)', async () => {
    const { call } = setup();
    const { res, logs } = await call('httpCookies', { method: 'POST', path: '/cookies' });
    expect(res.status).toBe(201);
    expect(text(res.body)).toBe('made');
    expect(res.headers['x-a']).toBe('b');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.cookies).toEqual([
      'session=abc; path=/; secure; samesite=lax; httponly',
      'theme=dark; max-age=3600; domain=example.com',
      'expires=1; expires=Wed, 21 Oct 2026 07:28:00 GMT',
      'p=1',
    ]);
    expect(logs.some((l) => l.level === 'warning' && l.message.includes('Partitioned'))).toBe(true);
  });

  test('binary bodies are byte-exact both ways (PEER-BUGS #8)', async () => {
    const { call } = setup();
    const { res } = await call('httpBinary', { method: 'GET', path: '/png' });
    expect([...res.body]).toEqual([0x89, 0x50, 0x4e, 0x47, 0, 255, 128]);
    expect(res.headers['content-type']).toBe('image/png');
  });

  test('HttpError keeps its status and message', async () => {
    const { call } = setup();
    const { res } = await call('httpTeapot', { method: 'GET', path: '/teapot' });
    expect(res.status).toBe(418);
    expect(JSON.parse(text(res.body))).toEqual({ error: 'short and stout' });
  });

  test('client ip is the entry the front end added, without its port', async () => {
    const { call } = setup();
    const { res } = await call('httpWhoami', {
      method: 'GET',
      path: '/whoami',
      headers: [['x-forwarded-for', '6.6.6.6, 203.0.113.7:51234']],
    });
    expect(JSON.parse(text(res.body)).ip).toBe('203.0.113.7');
  });
});

describe('identity only from App Service authentication', () => {
  const easyAuth = principal({
    auth_typ: 'aad',
    claims: [
      { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', val: 'user-1' },
      { typ: 'roles', val: 'admin' },
      { typ: 'roles', val: 'reader' },
    ],
    name_typ: 'name',
    role_typ: 'roles',
  });

  test('ignored when authentication is not declared: a plain client header proves nothing', async () => {
    const { call } = setup();
    const { res } = await call('httpWhoami', {
      method: 'GET',
      path: '/whoami',
      headers: [['x-ms-client-principal', easyAuth]],
    });
    expect(JSON.parse(text(res.body)).identity).toBeNull();
  });

  test('read from x-ms-client-principal when declared', async () => {
    const { call } = setup({ appServiceAuth: true });
    const { res } = await call('httpWhoami', {
      method: 'GET',
      path: '/whoami',
      headers: [
        ['x-ms-client-principal', easyAuth],
        ['x-ms-client-principal-id', 'oid-1'],
        ['x-ms-client-principal-name', 'u@example.com'],
        ['x-ms-client-principal-idp', 'aad'],
      ],
    });
    const { identity } = JSON.parse(text(res.body));
    expect(identity.source).toBe('azure:appservice');
    expect(identity.subject).toBe('oid-1');
    expect(identity.claims.roles).toEqual(['admin', 'reader']);
    expect(identity.claims.auth_typ).toBe('aad');
  });

  test('Static Web Apps principals are recognised', async () => {
    const { call } = setup({ appServiceAuth: true });
    const { res } = await call('httpWhoami', {
      method: 'GET',
      path: '/whoami',
      headers: [
        [
          'x-ms-client-principal',
          principal({ identityProvider: 'github', userId: 'u9', userRoles: ['anonymous'] }),
        ],
      ],
    });
    expect(JSON.parse(text(res.body)).identity).toMatchObject({
      source: 'azure:staticwebapps',
      subject: 'u9',
    });
  });

  test('a malformed principal is a 400 naming the header, not a crash', async () => {
    const { call } = setup({ appServiceAuth: true });
    const { res } = await call('httpWhoami', {
      method: 'GET',
      path: '/whoami',
      headers: [['x-ms-client-principal', principal([1, 2])]],
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(text(res.body)).error).toContain('headers.x-ms-client-principal');
  });
});
