import { defineApp, HttpError, http } from '@polycloud/core';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { handle, type NodeServer } from '../../src/index.ts';
import { rawRequest } from '../support/raw-http.ts';

const app = defineApp({
  name: 'http-test',
  functions: {
    getTodo: http('GET /todos/:id', (req) => ({ id: req.params.id, path: req.path })),
    putTodo: http('PUT /todos/:id', () => ({ status: 204 })),
    files: http('ANY /files/*', (req) => ({ rest: req.params['*'] })),
    inspect: http('POST /inspect', (req) => ({
      tags: req.query.getAll('tag'),
      via: req.headers.getAll('x-via'),
      viaJoined: req.headers.get('x-via'),
      cookies: req.cookies,
    })),
    cookies: http('GET /cookies', () => ({
      status: 200,
      cookies: ['a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2; HttpOnly'],
      body: 'ok',
    })),
    binary: http('POST /binary', (req) => req.body),
    parse: http('POST /parse', (req) => {
      const value = req.json<Record<string, unknown>>();
      return { keys: Object.keys(value), polluted: ({} as Record<string, unknown>).polluted ?? null };
    }),
    zod: http('POST /zod', { body: z.object({ title: z.string().min(1), done: z.boolean() }) }, (req) => ({
      got: req.data,
    })),
    valibot: http('POST /valibot', { body: v.object({ n: v.pipe(v.number(), v.minValue(1)) }) }, (req) => ({
      got: req.data,
    })),
    teapot: http('GET /teapot', () => {
      throw new HttpError(418, 'short and stout');
    }),
    boom: http('GET /boom', () => {
      throw new Error('secret database password in message');
    }),
    fetchResponse: http(
      'GET /response',
      () => new Response('made by fetch', { status: 201, headers: { 'x-a': '1', 'set-cookie': 'c=3' } }),
    ),
    text: http('GET /text', () => 'plain'),
    nothing: http('DELETE /nothing', () => undefined),
    fetchApi: http('POST /fetch-api', async (req) => {
      const r = req.toRequest();
      return { url: r.url, method: r.method, body: await r.text() };
    }),
  },
});

let server: NodeServer;
beforeAll(async () => {
  server = await handle(app, {
    port: 0,
    schedules: false,
    handleSignals: false,
    bodyLimitBytes: 1024 * 1024,
  });
});
afterAll(() => server.close());

describe('serve(): http over real HTTP', () => {
  it('routes with params, decoding percent-encoded segments once', async () => {
    const res = await fetch(`${server.url}/todos/a%2520b`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'a%20b', path: '/todos/a%20b' });
  });

  it('captures a trailing wildcard', async () => {
    const res = await fetch(`${server.url}/files/x/y/%C3%A9.txt`, { method: 'PATCH' });
    expect(await res.json()).toEqual({ rest: 'x/y/é.txt' });
  });

  it('answers 404 for unknown paths and 405 with Allow for known paths', async () => {
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const res = await fetch(`${server.url}/todos/1`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT');
  });

  it('keeps repeated query keys and repeated headers in order, and parses cookies', async () => {
    const res = await rawRequest(`${server.url}/inspect?tag=b&tag=a&tag=%C3%BC`, 'POST', [
      ['X-Via', 'one'],
      ['x-via', 'two'],
      ['Cookie', 'session=abc%20def; theme=dark'],
      ['Cookie', 'session=ignored; extra=1'],
    ]);
    expect(JSON.parse(res.body.toString())).toEqual({
      tags: ['b', 'a', 'ü'],
      via: ['one', 'two'],
      viaJoined: 'one, two',
      cookies: { session: 'abc def', theme: 'dark', extra: '1' },
    });
  });

  it('sends several Set-Cookie headers separately', async () => {
    const res = await rawRequest(`${server.url}/cookies`, 'GET');
    expect(res.headers['set-cookie']).toEqual([
      'a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
      'b=2; HttpOnly',
    ]);
  });

  it('round-trips every byte value', async () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const res = await fetch(`${server.url}/binary`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it('answers 400 with a clear message for malformed JSON', async () => {
    const res = await fetch(`${server.url}/parse`, { method: 'POST', body: '{"a":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^body: malformed JSON/);
  });

  it('drops __proto__ and constructor keys so JSON cannot pollute prototypes', async () => {
    const res = await fetch(`${server.url}/parse`, {
      method: 'POST',
      body: '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"ok":1}',
    });
    expect(await res.json()).toEqual({ keys: ['ok'], polluted: null });
  });

  it('validates bodies with zod through Standard Schema, naming each failing path', async () => {
    const ok = await fetch(`${server.url}/zod`, { method: 'POST', body: '{"title":"x","done":false}' });
    expect(await ok.json()).toEqual({ got: { title: 'x', done: false } });
    const bad = await fetch(`${server.url}/zod`, { method: 'POST', body: '{"title":"","done":"no"}' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual(['body.done', 'body.title']);
  });

  it('validates bodies with valibot through Standard Schema', async () => {
    const bad = await fetch(`${server.url}/valibot`, { method: 'POST', body: '{"n":0}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('body.n');
    const ok = await fetch(`${server.url}/valibot`, { method: 'POST', body: '{"n":2}' });
    expect(await ok.json()).toEqual({ got: { n: 2 } });
  });

  it('maps HttpError to its status and message', async () => {
    const res = await fetch(`${server.url}/teapot`);
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({ error: 'short and stout' });
  });

  it('turns a thrown error into a generic 500 without message or stack, and logs it in full', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    const res = await fetch(`${server.url}/boom`);
    spy.mockRestore();
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).toBe('{"error":"Internal Server Error"}');
    const logged = writes.map((w) => JSON.parse(w)).find((l) => l.message === 'handler failed');
    expect(logged.error.message).toBe('secret database password in message');
    expect(logged.error.stack).toMatch(/at /);
    expect(logged.function).toBe('boom');
  });

  it('passes WHATWG Response objects through, cookies included', async () => {
    const res = await rawRequest(`${server.url}/response`, 'GET');
    expect(res.status).toBe(201);
    expect(res.headers['x-a']).toBe('1');
    expect(res.headers['set-cookie']).toEqual(['c=3']);
    expect(res.body.toString()).toBe('made by fetch');
  });

  it('answers strings as text and undefined as 204', async () => {
    const text = await fetch(`${server.url}/text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain');
    expect((await fetch(`${server.url}/nothing`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers HEAD like GET without a body', async () => {
    const res = await rawRequest(`${server.url}/todos/7`, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
  });

  it('gives Fetch-API code a WHATWG Request', async () => {
    const res = await fetch(`${server.url}/fetch-api?x=1`, { method: 'POST', body: 'hello' });
    const body = (await res.json()) as { url: string; method: string; body: string };
    expect(body).toEqual({ url: `${server.url}/fetch-api?x=1`, method: 'POST', body: 'hello' });
  });

  it('rejects a body over the limit with 413', async () => {
    const res = await rawRequest(`${server.url}/binary`, 'POST', [], new Uint8Array(1024 * 1024 + 1));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString()).error).toMatch(/exceeds the 1048576-byte limit/);
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
