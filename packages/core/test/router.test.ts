import { describe, expect, it } from 'vitest';
import { parseRoute, Router } from '../src/router.ts';

function router() {
  const r = new Router<string>();
  r.add(parseRoute('GET /todos'), 'list');
  r.add(parseRoute('POST /todos'), 'create');
  r.add(parseRoute('GET,PUT /todos/:id'), 'one');
  r.add(parseRoute('GET /todos/special'), 'special');
  r.add(parseRoute('ANY /files/*'), 'files');
  return r;
}

describe('Router', () => {
  it('matches methods and decodes params exactly once', () => {
    const m = router().match('GET', '/todos/a%20b%2520');
    expect(m).toEqual({ status: 200, target: 'one', params: { id: 'a b%20' } });
  });

  it('prefers static segments over params', () => {
    expect(router().match('GET', '/todos/special')).toMatchObject({ target: 'special' });
  });

  it('answers 405 with the allowed methods (HEAD implied by GET)', () => {
    expect(router().match('DELETE', '/todos/1')).toEqual({ status: 405, allow: ['GET', 'HEAD', 'PUT'] });
    expect(router().match('DELETE', '/todos')).toEqual({ status: 405, allow: ['GET', 'HEAD', 'POST'] });
  });

  it('answers 404 for unknown paths', () => {
    expect(router().match('GET', '/nope')).toEqual({ status: 404 });
  });

  it('captures the rest of the path with a trailing *, keeping an encoded slash encoded', () => {
    expect(router().match('PATCH', '/files/a/b%2Fc/%C3%A9')).toEqual({
      status: 200,
      target: 'files',
      params: { '*': 'a/b%2Fc/é' },
    });
    expect(router().match('GET', '/files')).toMatchObject({ target: 'files', params: { '*': '' } });
  });

  it('matches plain paths (no %) exactly as the segment matcher would', () => {
    const r = router();
    expect(r.match('GET', '/files/a/b/')).toMatchObject({ params: { '*': 'a/b' } });
    expect(r.match('GET', '/files/')).toMatchObject({ params: { '*': '' } });
    expect(r.match('GET', '/todos/42/')).toMatchObject({ target: 'one', params: { id: '42' } });
    expect(r.match('GET', '/todos//')).toEqual({ status: 404 });
    expect(r.match('GET', '/todos/a.b+c')).toMatchObject({ params: { id: 'a.b+c' } });
    // The same paths with an encoded character take the segment matcher and agree.
    expect(r.match('GET', '/files/a/b%21/')).toMatchObject({ params: { '*': 'a/b!' } });
    expect(r.match('GET', '/todos/4%32/')).toMatchObject({ target: 'one', params: { id: '42' } });
  });

  it('treats a trailing slash as the same resource', () => {
    expect(router().match('GET', '/todos/')).toMatchObject({ target: 'list' });
  });

  it('rejects malformed percent-encoding as an InvalidEventError', () => {
    expect(() => router().match('GET', '/todos/%E0%A4%A')).toThrow(/malformed percent-encoding/);
  });

  it('matches a static segment literally, regular-expression characters included', () => {
    const r = new Router<string>();
    r.add(parseRoute('GET /v1.0/a+b/(x)/$y'), 'literal');
    expect(r.match('GET', '/v1.0/a+b/(x)/$y')).toMatchObject({ status: 200, target: 'literal' });
    expect(r.match('GET', '/v1x0/a+b/(x)/$y')).toEqual({ status: 404 });
    expect(r.match('GET', '/v1.0/aab/(x)/$y')).toEqual({ status: 404 });
  });

  it('reads one method, a list with "," or "|", and ANY', () => {
    expect(parseRoute('get /a').methods).toEqual(['GET']);
    expect(parseRoute('GET,post|Put /a').methods).toEqual(['GET', 'POST', 'PUT']);
    expect(parseRoute('ANY /a').methods).toEqual([]);
    expect(parseRoute('/a').methods).toEqual([]);
  });

  it('rejects bad route definitions clearly', () => {
    expect(() => parseRoute('FETCH /x')).toThrow(/unknown method "FETCH"/);
    expect(() => parseRoute('GET x')).toThrow(/must start with "\/"/);
    expect(() => parseRoute('GET /a/*/b')).toThrow(/"\*" must be last/);
  });
});

describe('Router: explicit methods beat ANY on the same path', () => {
  it('sends GET to the GET route whichever was added first', () => {
    for (const order of [
      ['any', 'get'],
      ['get', 'any'],
    ] as const) {
      const router = new Router<string>();
      for (const name of order) router.add(parseRoute(name === 'any' ? 'ANY /x/:id' : 'GET /x/:id'), name);
      expect(router.match('GET', '/x/1')).toMatchObject({ status: 200, target: 'get' });
      expect(router.match('POST', '/x/1')).toMatchObject({ status: 200, target: 'any' });
    }
  });
});
