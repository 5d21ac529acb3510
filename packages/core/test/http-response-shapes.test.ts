/**
 * What an http handler's return value becomes on every adapter (core's `toHttpResponse`): status,
 * headers, cookies and body for each kind of result, the invalid statuses refused even on the fast
 * path, and which content types travel as text through JSON envelopes.
 */
import { describe, expect, it } from 'vitest';
import {
  errorResponse,
  isBinaryBody,
  isHttpResult,
  responseByteLength,
  responseBytes,
  responseText,
  toHttpResponse,
} from '../src/adapter.ts';
import type { HttpResponse } from '../src/index.ts';

const sync = (result: unknown) => toHttpResponse(result) as HttpResponse;

describe('results a handler returns', () => {
  it('undefined and null are an empty 204', () => {
    for (const result of [undefined, null]) {
      const res = sync(result);
      expect(res).toEqual({ status: 204, headers: {}, cookies: [], body: new Uint8Array() });
    }
  });

  it('a JSON value is a 200 application/json, also an object with a non-numeric status', () => {
    expect(sync({ a: 1 })).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: '{"a":1}',
    });
    expect(sync({ status: '201' }).status).toBe(200);
    expect(isHttpResult([200])).toBe(false);
    expect(isHttpResult(null)).toBe(false);
    expect(isHttpResult('x')).toBe(false);
    expect(isHttpResult({ status: 200, body: 1, headers: {}, cookies: [] })).toBe(true);
  });

  it('bytes of an ArrayBuffer go out as octet-stream bytes', () => {
    const res = sync(new Uint8Array([1, 2, 3]).buffer);
    expect(res.headers).toEqual({ 'content-type': 'application/octet-stream' });
    expect(responseBytes(res)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('a number or boolean returned bare is JSON text', () => {
    expect(sync(42)).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: '42',
    });
    expect(sync(false).body).toBe('false');
  });
});

describe('explicit results ({ status, headers, cookies, body })', () => {
  it('{ status, body: json } is JSON with that status', () => {
    expect(sync({ status: 201, body: { id: 7 } })).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: '{"id":7}',
    });
    expect(sync({ status: 202, body: [1] }).body).toBe('[1]');
  });

  it('an invalid status is refused whatever the body, at both ends of the range', () => {
    for (const status of [99, 600, 200.5, -1, Number.NaN])
      for (const body of [{ a: 1 }, 'text', undefined, new Uint8Array([1])])
        expect(() => toHttpResponse({ status, body })).toThrow(
          `handler returned an invalid HTTP status: ${status}`,
        );
    expect(sync({ status: 100, body: { a: 1 } }).status).toBe(100);
    expect(sync({ status: 599, body: { a: 1 } }).status).toBe(599);
    expect(sync({ status: 100 }).status).toBe(100);
    expect(sync({ status: 599 }).status).toBe(599);
  });

  it('no body is an empty body without a content type', () => {
    expect(sync({ status: 204 })).toEqual({ status: 204, headers: {}, cookies: [], body: new Uint8Array() });
    expect(sync({ status: 200, headers: { 'x-a': '1' }, body: null })).toEqual({
      status: 200,
      headers: { 'x-a': '1' },
      cookies: [],
      body: new Uint8Array(),
    });
  });

  it('keeps the content type the handler set, for text, bytes and JSON bodies', () => {
    expect(sync({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<p>' })).toEqual({
      status: 200,
      headers: { 'content-type': 'text/html' },
      cookies: [],
      body: '<p>',
    });
    expect(
      sync({ status: 200, headers: { 'content-type': 'image/png' }, body: new Uint8Array([9]) }).headers,
    ).toEqual({ 'content-type': 'image/png' });
    expect(
      sync({ status: 200, headers: { 'content-type': 'application/problem+json' }, body: { title: 'x' } }),
    ).toEqual({
      status: 200,
      headers: { 'content-type': 'application/problem+json' },
      cookies: [],
      body: '{"title":"x"}',
    });
    expect(sync({ status: 200, cookies: ['a=1'], body: { a: 1 } })).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      cookies: ['a=1'],
      body: '{"a":1}',
    });
  });

  it('a text body gets text/plain, bytes octet-stream, when the handler set no type', () => {
    expect(sync({ status: 200, body: 'hi' }).headers).toEqual({
      'content-type': 'text/plain; charset=utf-8',
    });
    expect(sync({ status: 200, body: new Uint8Array([1]) }).headers).toEqual({
      'content-type': 'application/octet-stream',
    });
  });

  it('every framing header is dropped; set-cookie headers join the cookies; the cookies array is copied', () => {
    const cookies = ['a=1'];
    const res = sync({
      status: 200,
      headers: {
        'Transfer-Encoding': 'chunked',
        connection: 'close',
        'Keep-Alive': 'timeout=5',
        'content-length': '1',
        Upgrade: 'h2c',
        'set-cookie': ['b=2', 'c=3'],
        'X-Kept': 'yes',
      },
      cookies,
      body: 'x',
    });
    expect(res.headers).toEqual({ 'x-kept': 'yes', 'content-type': 'text/plain; charset=utf-8' });
    expect(res.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(cookies).toEqual(['a=1']);
  });
});

describe('WHATWG Responses', () => {
  it('a Response without a body is an empty body; its headers are kept, lower-cased', async () => {
    const res = await toHttpResponse(
      new Response(null, { status: 304, headers: { ETag: '"v1"', Connection: 'x' } }),
    );
    expect(res).toEqual({ status: 304, headers: { etag: '"v1"' }, cookies: [], body: new Uint8Array() });
  });
});

describe('body readers and error bodies', () => {
  it('read text and bytes either way, counting UTF-8 bytes', () => {
    const text: HttpResponse = { status: 200, headers: {}, cookies: [], body: 'é€' };
    const bytes: HttpResponse = { ...text, body: new Uint8Array([0xc3, 0xa9]) };
    expect(responseBytes(text)).toEqual(new Uint8Array([0xc3, 0xa9, 0xe2, 0x82, 0xac]));
    expect(responseText(text)).toBe('é€');
    expect(responseByteLength(text)).toBe(5);
    expect(responseText(bytes)).toBe('é');
    expect(responseBytes(bytes)).toBe(bytes.body);
    expect(responseByteLength(bytes)).toBe(2);
  });

  it('an error body is JSON with the message and any extra fields', () => {
    expect(errorResponse(429, 'slow down', { retryAfter: 3 })).toEqual({
      status: 429,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: '{"error":"slow down","retryAfter":3}',
    });
  });
});

describe('isBinaryBody: what must travel base64 in a JSON envelope', () => {
  it('identity encoding is not a reason; any other encoding is', () => {
    expect(isBinaryBody({ 'content-type': 'text/plain', 'content-encoding': 'identity' })).toBe(false);
    expect(isBinaryBody({ 'content-type': 'text/plain', 'content-encoding': 'br' })).toBe(true);
    expect(isBinaryBody({ 'content-encoding': 'gzip' })).toBe(true);
    expect(isBinaryBody({ 'content-type': 'text/plain', 'content-encoding': '' })).toBe(false);
  });

  it('text types, in any case, are text; a type that merely contains one is not', () => {
    for (const type of [
      'TEXT/CSV',
      'application/xml',
      'application/javascript',
      'application/x-www-form-urlencoded',
      'application/atom+xml',
      'application/ld+json; charset=utf-8',
      'Application/JSON; charset=utf-8',
      'image/SVG+xml',
    ])
      expect(isBinaryBody({ 'content-type': type }), type).toBe(false);
    for (const type of [
      'x-text/plain',
      'application/pdf',
      'image/svg',
      'application/+json',
      'video/mp4',
      'font/woff2',
    ])
      expect(isBinaryBody({ 'content-type': type }), type).toBe(true);
  });
});
