import { describe, expect, it } from 'vitest';
import { parseCookies } from '../src/adapter.ts';
import { HttpRequest, InvalidEventError } from '../src/index.ts';

describe('HttpRequest', () => {
  it('keeps repeated query keys and header values, lower-casing names', () => {
    const req = new HttpRequest({
      method: 'get',
      rawPath: '/x',
      query: 'a=1&b=2&a=3&c=%E2%9C%93&d=a+b',
      headers: [
        ['X-Multi', 'one'],
        ['x-multi', 'two'],
        ['Host', 'example.com'],
      ],
    });
    expect(req.method).toBe('GET');
    expect(req.query.getAll('a')).toEqual(['1', '3']);
    expect(req.query.get('c')).toBe('✓');
    expect(req.query.get('d')).toBe('a b');
    expect(req.headers.getAll('X-MULTI')).toEqual(['one', 'two']);
    expect(req.headers.get('x-multi')).toBe('one, two');
    expect(req.url).toBe('https://example.com/x?a=1&b=2&a=3&c=%E2%9C%93&d=a+b');
  });

  it('accepts headers as a record with array values and query as ordered pairs', () => {
    const req = new HttpRequest({
      method: 'GET',
      rawPath: '/',
      headers: { 'Set-Thing': ['a', 'b'], skip: undefined },
      query: [
        ['k', 'v 1'],
        ['k', 'v2'],
      ],
    });
    expect([...req.headers]).toEqual([
      ['set-thing', 'a'],
      ['set-thing', 'b'],
    ]);
    expect(req.query.getAll('k')).toEqual(['v 1', 'v2']);
  });

  it('parses cookies from several Cookie headers; the first occurrence wins', () => {
    expect(parseCookies(['a=1; b="quoted"; c=x%20y', 'a=2; =bad; d'])).toEqual({
      a: '1',
      b: 'quoted',
      c: 'x y',
    });
    expect(new HttpRequest({ method: 'GET', rawPath: '/', headers: { cookie: 'k=v' } }).cookies).toEqual({
      k: 'v',
    });
  });

  it('decodes the body lazily, once', () => {
    let calls = 0;
    const req = new HttpRequest({
      method: 'POST',
      rawPath: '/',
      body: () => {
        calls++;
        return new TextEncoder().encode('{"a":[1,2]}');
      },
    });
    expect(calls).toBe(0);
    expect(req.json()).toEqual({ a: [1, 2] });
    expect(req.text()).toBe('{"a":[1,2]}');
    expect(calls).toBe(1);
  });

  it('throws InvalidEventError for malformed and empty JSON, and strips prototype keys', () => {
    const bad = new HttpRequest({ method: 'POST', rawPath: '/', body: new TextEncoder().encode('{nope') });
    expect(() => bad.json()).toThrow(InvalidEventError);
    expect(() => bad.json()).toThrow(/^body: malformed JSON/);
    expect(() => new HttpRequest({ method: 'POST', rawPath: '/' }).json()).toThrow(/empty body/);
    const evil = new HttpRequest({
      method: 'POST',
      rawPath: '/',
      body: new TextEncoder().encode('{"a":{"__proto__":{"x":1}},"constructor":1}'),
    });
    const value = evil.json<Record<string, Record<string, unknown>>>();
    expect(Object.keys(value)).toEqual(['a']);
    expect(Object.hasOwn(value.a!, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('decodes each path segment once and keeps an encoded slash encoded', () => {
    expect(new HttpRequest({ method: 'GET', rawPath: '/a%2Fb/%25/%C3%A9' }).path).toBe('/a%2Fb/%/é');
    expect(() => new HttpRequest({ method: 'GET', rawPath: '/%zz' }).path).toThrow(InvalidEventError);
  });

  it('gives a WHATWG Request with method, headers and body', async () => {
    const req = new HttpRequest({
      method: 'PUT',
      rawPath: '/p',
      query: 'q=1',
      headers: [
        ['x-a', '1'],
        ['x-a', '2'],
        ['host', 'h'],
      ],
      body: new Uint8Array([1, 2, 3]),
      origin: 'http://h',
    });
    const r = req.toRequest();
    expect(r.url).toBe('http://h/p?q=1');
    expect(r.method).toBe('PUT');
    expect(r.headers.get('x-a')).toBe('1, 2');
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe('text bodies', () => {
  it('reads a text body without a round trip and still gives exact bytes', () => {
    const req = new HttpRequest({ method: 'POST', rawPath: '/', body: '{"ü":1}' });
    expect(req.json()).toEqual({ ü: 1 });
    expect(req.body).toEqual(new TextEncoder().encode('{"ü":1}'));
    expect(() => new HttpRequest({ method: 'POST', rawPath: '/', body: '' }).json()).toThrow(/empty body/);
  });
});
