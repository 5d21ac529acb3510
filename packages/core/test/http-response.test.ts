import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isBinaryBody, isHttpResult, toHttpResponse } from '../src/adapter.ts';

const text = (b: Uint8Array | string) => (typeof b === 'string' ? b : new TextDecoder().decode(b));

describe('toHttpResponse', () => {
  it('treats a plain object with only result keys and a numeric status as a result', async () => {
    const res = await toHttpResponse({
      status: 201,
      headers: { 'X-A': ['1', '2'], 'Set-Cookie': 'z=1' },
      cookies: ['a=1', 'b=2'],
      body: { ok: true },
    });
    expect(res).toEqual({
      status: 201,
      headers: { 'x-a': '1, 2', 'content-type': 'application/json' },
      cookies: ['a=1', 'b=2', 'z=1'],
      body: '{"ok":true}',
    });
    expect(text(res.body)).toBe('{"ok":true}');
  });

  it('treats other objects as JSON values, even with a status field', async () => {
    expect(isHttpResult({ status: 'ok' })).toBe(false);
    expect(isHttpResult({ status: 200, data: 1 })).toBe(false);
    const res = await toHttpResponse({ status: 200, data: 1 });
    expect(text(res.body)).toBe('{"status":200,"data":1}');
  });

  it('maps strings, bytes, null and arrays', async () => {
    expect((await toHttpResponse('hi')).headers['content-type']).toBe('text/plain; charset=utf-8');
    const bytes = await toHttpResponse(new Uint8Array([0, 255]));
    expect(bytes.headers['content-type']).toBe('application/octet-stream');
    expect(bytes.body).toEqual(new Uint8Array([0, 255]));
    expect((await toHttpResponse(null)).status).toBe(204);
    expect(text((await toHttpResponse([1, 'a'])).body)).toBe('[1,"a"]');
  });

  it('reads WHATWG Responses, keeping every Set-Cookie and dropping framing headers', async () => {
    const headers = new Headers([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['transfer-encoding', 'chunked'],
      ['x-k', 'v'],
    ]);
    const res = await toHttpResponse(new Response('body', { status: 202, headers }));
    expect(res.status).toBe(202);
    expect(res.cookies).toEqual(['a=1', 'b=2']);
    expect(res.headers).toEqual({ 'x-k': 'v', 'content-type': 'text/plain;charset=UTF-8' });
  });

  it('treats an object that only calls itself a Response as JSON', async () => {
    const lookalike = { [Symbol.toStringTag]: 'Response', status: 'ok', ok: true };
    const res = await toHttpResponse(lookalike);
    expect(res.status).toBe(200);
    expect(JSON.parse(text(res.body))).toEqual({ status: 'ok', ok: true });
  });

  it('reads a Response that fetch() answered', async () => {
    const server = createServer((_req, res) => res.writeHead(201, { 'x-from': 'server' }).end('made'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await toHttpResponse(await fetch(`http://127.0.0.1:${port}/`));
      expect(res.status).toBe(201);
      expect(res.headers['x-from']).toBe('server');
      expect(text(res.body)).toBe('made');
    } finally {
      server.close();
    }
  });

  it('drops transfer-encoding and content-length set by a handler (PEER-BUGS #7)', async () => {
    const res = await toHttpResponse({
      status: 200,
      headers: { 'Transfer-Encoding': 'chunked', 'Content-Length': '999', Connection: 'keep-alive' },
      body: 'x',
    });
    expect(Object.keys(res.headers)).toEqual(['content-type']);
  });

  it('rejects an invalid status', async () => {
    expect(() => toHttpResponse({ status: 1000 })).toThrow(/invalid HTTP status: 1000/);
  });
});

describe('isBinaryBody (PEER-BUGS #8)', () => {
  it('decides from content-type and content-encoding', () => {
    expect(isBinaryBody({ 'content-type': 'application/json' })).toBe(false);
    expect(isBinaryBody({ 'content-type': 'application/vnd.api+json' })).toBe(false);
    expect(isBinaryBody({ 'content-type': 'text/html; charset=utf-8' })).toBe(false);
    expect(isBinaryBody({ 'content-type': 'image/svg+xml' })).toBe(false);
    expect(isBinaryBody({ 'content-type': 'image/png' })).toBe(true);
    expect(isBinaryBody({ 'content-type': 'application/octet-stream' })).toBe(true);
    expect(isBinaryBody({ 'content-type': 'application/json', 'content-encoding': 'gzip' })).toBe(true);
    expect(isBinaryBody({})).toBe(false);
  });
});
