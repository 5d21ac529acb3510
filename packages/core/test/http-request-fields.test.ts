/**
 * The HttpRequest fields a handler reads on every adapter: method, path, client address, URL,
 * body forms, the WHATWG Request view and the JSON form logged for a request.
 */
import { describe, expect, it } from 'vitest';
import { HttpRequest, InvalidEventError } from '../src/index.ts';

describe('HttpRequest fields', () => {
  it('an empty raw path is the root; the method is upper-cased', () => {
    const req = new HttpRequest({ method: 'patch', rawPath: '' });
    expect(req.rawPath).toBe('/');
    expect(req.path).toBe('/');
    expect(req.method).toBe('PATCH');
  });

  it('the client address is given as is or computed on first read', () => {
    expect(new HttpRequest({ method: 'GET', rawPath: '/', ip: '203.0.113.5' }).ip).toBe('203.0.113.5');
    expect(new HttpRequest({ method: 'GET', rawPath: '/', ip: () => '198.51.100.1' }).ip).toBe(
      '198.51.100.1',
    );
    expect(new HttpRequest({ method: 'GET', rawPath: '/' }).ip).toBeUndefined();
  });

  it('the identity the provider established is kept', () => {
    const identity = { source: 'aws:jwt', subject: 'u1', claims: { sub: 'u1' } };
    expect(new HttpRequest({ method: 'GET', rawPath: '/', identity }).identity).toBe(identity);
  });

  it('the path is decoded once per segment, and read once', () => {
    const req = new HttpRequest({ method: 'GET', rawPath: '/caf%C3%A9/a%20b/plain' });
    expect(req.path).toBe('/café/a b/plain');
    expect(req.path).toBe(req.path);
    expect(new HttpRequest({ method: 'GET', rawPath: '/no/escapes' }).path).toBe('/no/escapes');
  });

  it('a malformed path segment is a 400 that quotes at most 64 characters of it', () => {
    const short = `/ok/${'a'.repeat(61)}%zz/x`;
    expect(() => new HttpRequest({ method: 'GET', rawPath: short }).path).toThrow(
      new InvalidEventError(`malformed percent-encoding in path segment "${'a'.repeat(61)}%zz"`, 'path'),
    );
    const long = `/${'b'.repeat(70)}%zz`;
    let error: unknown;
    try {
      void new HttpRequest({ method: 'GET', rawPath: long }).path;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as InvalidEventError).path).toBe('path');
    expect((error as Error).message).toBe(
      `path: malformed percent-encoding in path segment "${'b'.repeat(64)}…"`,
    );
  });
});

describe('HttpRequest query and body reads', () => {
  it('the query is one object: a change a middleware makes is what the handler reads', () => {
    const req = new HttpRequest({ method: 'GET', rawPath: '/', query: 'a=1' });
    req.query.append('b', '2');
    req.query.delete('a');
    expect(req.query.toString()).toBe('b=2');
    expect(req.url).toBe('https://localhost/?b=2');
  });

  it('text() hands over the text the provider gave, without a UTF-8 round trip that would replace lone surrogates', () => {
    const text = 'a\ud800b';
    expect(new HttpRequest({ method: 'POST', rawPath: '/', body: text }).text()).toBe(text);
  });

  it('an empty body read as JSON names the body', () => {
    expect(() => new HttpRequest({ method: 'POST', rawPath: '/' }).json()).toThrow(
      new InvalidEventError('expected a JSON body, got an empty body', 'body'),
    );
    let error: unknown;
    try {
      new HttpRequest({ method: 'POST', rawPath: '/', body: '' }).json();
    } catch (e) {
      error = e;
    }
    expect((error as InvalidEventError).path).toBe('body');
  });
});

describe('HttpRequest URL', () => {
  it('uses the origin the adapter gave, a string or a thunk, with the query only when there is one', () => {
    expect(new HttpRequest({ method: 'GET', rawPath: '/p', origin: 'http://a.example:8080' }).url).toBe(
      'http://a.example:8080/p',
    );
    expect(
      new HttpRequest({ method: 'GET', rawPath: '/p', query: 'x=1', origin: () => 'https://b.example' }).url,
    ).toBe('https://b.example/p?x=1');
  });

  it('falls back to https and the Host header, then localhost', () => {
    expect(new HttpRequest({ method: 'GET', rawPath: '/p', headers: { host: 'c.example' } }).url).toBe(
      'https://c.example/p',
    );
    expect(new HttpRequest({ method: 'GET', rawPath: '/p', query: '' }).url).toBe('https://localhost/p');
  });
});

describe('HttpRequest bodies', () => {
  it('no body reads as empty bytes and empty text', () => {
    const req = new HttpRequest({ method: 'POST', rawPath: '/' });
    expect(req.body).toEqual(new Uint8Array());
    expect(req.text()).toBe('');
  });

  it('bytes are handed over as they came and decoded as UTF-8 for text', () => {
    const bytes = new Uint8Array([0x68, 0xc3, 0xa9]);
    const req = new HttpRequest({ method: 'POST', rawPath: '/', body: bytes });
    expect(req.body).toBe(bytes);
    expect(req.text()).toBe('hé');
  });

  it('a text body is encoded to bytes once', () => {
    const req = new HttpRequest({ method: 'POST', rawPath: '/', body: 'hé' });
    expect(req.body).toEqual(new Uint8Array([0x68, 0xc3, 0xa9]));
    expect(req.body).toBe(req.body);
  });
});

describe('HttpRequest as a WHATWG Request', () => {
  it('GET and HEAD carry no body, nor does an empty POST', async () => {
    for (const method of ['GET', 'HEAD']) {
      const r = new HttpRequest({ method, rawPath: '/', body: 'ignored', origin: 'http://h' }).toRequest();
      expect(r.body).toBeNull();
      expect(r.method).toBe(method);
    }
    const empty = new HttpRequest({ method: 'POST', rawPath: '/', origin: 'http://h' }).toRequest();
    expect(empty.body).toBeNull();
    const post = new HttpRequest({
      method: 'POST',
      rawPath: '/',
      body: 'data',
      origin: 'http://h',
    }).toRequest();
    expect(await post.text()).toBe('data');
  });
});

describe('HttpRequest.toJSON (what a logged request shows)', () => {
  it('method, decoded path, params, query string and headers', () => {
    const req = new HttpRequest({
      method: 'get',
      rawPath: '/a%20b',
      query: [
        ['q', 'x y'],
        ['q', 'z'],
      ],
      headers: [
        ['X-A', '1'],
        ['x-a', '2'],
      ],
    });
    expect(req.toJSON()).toEqual({
      method: 'GET',
      path: '/a b',
      params: {},
      query: 'q=x+y&q=z',
      headers: { 'x-a': '1, 2' },
    });
  });
});
