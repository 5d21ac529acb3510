/**
 * The router's rules one by one, each as a request a user would send: which route wins when several
 * match, the single-route checks adapters use (`matchRoute`, `matchesPath`), the 405's Allow list,
 * regex characters in static segments, and encoded paths taking the segment matcher.
 */
import { describe, expect, it } from 'vitest';
import { parseRoute, Router } from '../src/router.ts';

function routerOf(...routes: string[]): Router<string> {
  const r = new Router<string>();
  for (const route of routes) r.add(parseRoute(route), route);
  return r;
}

describe('which route wins', () => {
  it('a route without "*" beats one with it, whatever the order added', () => {
    for (const routes of [
      ['GET /files/*', 'GET /files/:name'],
      ['GET /files/:name', 'GET /files/*'],
    ]) {
      expect(routerOf(...routes).match('GET', '/files/a')).toMatchObject({ target: 'GET /files/:name' });
      expect(routerOf(...routes).match('GET', '/files/a%20b')).toMatchObject({
        target: 'GET /files/:name',
        params: { name: 'a b' },
      });
    }
  });

  it('of two "*" routes, the longer prefix wins', () => {
    for (const routes of [
      ['GET /files/*', 'GET /files/raw/*'],
      ['GET /files/raw/*', 'GET /files/*'],
    ]) {
      const r = routerOf(...routes);
      expect(r.match('GET', '/files/raw/a/b')).toEqual({
        status: 200,
        target: 'GET /files/raw/*',
        params: { '*': 'a/b' },
      });
      expect(r.match('GET', '/files/other/a')).toMatchObject({
        target: 'GET /files/*',
        params: { '*': 'other/a' },
      });
    }
  });

  it('of two "*" routes, more segments win before more static ones', () => {
    for (const routes of [
      ['GET /files/*', 'GET /:a/:b/*'],
      ['GET /:a/:b/*', 'GET /files/*'],
    ]) {
      expect(routerOf(...routes).match('GET', '/files/x/y')).toEqual({
        status: 200,
        target: 'GET /:a/:b/*',
        params: { a: 'files', b: 'x', '*': 'y' },
      });
    }
  });

  it('more static segments win among routes of the same length', () => {
    for (const routes of [
      ['GET /:a/:b', 'GET /users/:id'],
      ['GET /users/:id', 'GET /:a/:b'],
    ]) {
      expect(routerOf(...routes).match('GET', '/users/7')).toMatchObject({ target: 'GET /users/:id' });
      expect(routerOf(...routes).match('GET', '/teams/7')).toMatchObject({ params: { a: 'teams', b: '7' } });
    }
  });
});

describe('matchRoute and matchesPath (one route)', () => {
  const r = new Router<string>();
  const one = r.add(parseRoute('GET /todos/:id'), 'one');
  const rest = r.add(parseRoute('POST /files/*'), 'files');

  it('matchRoute: the params when method and path match, else undefined', () => {
    expect(r.matchRoute(one, 'GET', '/todos/42')).toEqual({ id: '42' });
    expect(r.matchRoute(one, 'HEAD', '/todos/42')).toEqual({ id: '42' });
    expect(r.matchRoute(one, 'GET', '/todos/a%2Fb')).toEqual({ id: 'a/b' });
    expect(r.matchRoute(one, 'POST', '/todos/42')).toBeUndefined();
    expect(r.matchRoute(one, 'GET', '/todos')).toBeUndefined();
    expect(r.matchRoute(one, 'GET', '/todos/4%32/x')).toBeUndefined();
    expect(r.matchRoute(rest, 'POST', '/files/a/b%20c')).toEqual({ '*': 'a/b c' });
    expect(r.matchRoute(rest, 'HEAD', '/files/a')).toBeUndefined();
  });

  it('matchesPath: whatever the method', () => {
    expect(r.matchesPath(one, '/todos/42')).toBe(true);
    expect(r.matchesPath(one, '/todos/%34%32')).toBe(true);
    expect(r.matchesPath(one, '/todos')).toBe(false);
    expect(r.matchesPath(one, '/todos/%34/%32')).toBe(false);
    expect(r.matchesPath(rest, '/files')).toBe(true);
    expect(r.matchesPath(rest, '/other/%20')).toBe(false);
  });
});

describe('the 405 Allow list', () => {
  it('every method of every route on the path, sorted; HEAD only with GET', () => {
    const r = routerOf('PUT /x', 'DELETE,PATCH /x', 'POST /y');
    expect(r.match('GET', '/x')).toEqual({ status: 405, allow: ['DELETE', 'PATCH', 'PUT'] });
    expect(r.match('GET', '/x%2F')).toEqual({ status: 404 });
    expect(r.match('GET', '/%78')).toEqual({ status: 405, allow: ['DELETE', 'PATCH', 'PUT'] });
  });

  it('a path no route has is a 404, whatever the method', () => {
    const r = routerOf('GET /x');
    expect(r.match('POST', '/y')).toEqual({ status: 404 });
    expect(r.match('GET', '/a/x')).toEqual({ status: 404 });
    expect(r.match('POST', '/x/y')).toEqual({ status: 404 });
  });

  it('HEAD reaches a GET route', () => {
    expect(routerOf('GET /x').match('HEAD', '/x')).toEqual({ status: 200, target: 'GET /x', params: {} });
    expect(routerOf('POST /x').match('HEAD', '/x')).toEqual({ status: 405, allow: ['POST'] });
  });
});

describe('static segments and encoded paths', () => {
  it('regex characters in a static segment match only themselves', () => {
    const r = routerOf('GET /v1.0/items', 'GET /a+b/(c)', 'GET /$x^/[y]|z');
    expect(r.match('GET', '/v1.0/items')).toMatchObject({ status: 200 });
    expect(r.match('GET', '/v1x0/items')).toEqual({ status: 404 });
    expect(r.match('GET', '/a+b/(c)')).toMatchObject({ status: 200 });
    expect(r.match('GET', '/aab/c')).toEqual({ status: 404 });
    expect(r.match('GET', '/$x^/[y]|z')).toMatchObject({ status: 200 });
  });

  it('a static segment matches its encoded form; an empty encoded param does not match', () => {
    const r = routerOf('GET /café/:id', 'GET /rest/*');
    expect(r.match('GET', '/caf%C3%A9/1')).toEqual({
      status: 200,
      target: 'GET /café/:id',
      params: { id: '1' },
    });
    expect(r.match('GET', '/caf%C3%A9/1/')).toMatchObject({ params: { id: '1' } });
    expect(r.match('GET', '/caf%C3%A9//')).toEqual({ status: 404 });
    expect(r.match('GET', '/cafe%20/1')).toEqual({ status: 404 });
    expect(r.match('GET', '/rest/%41/b/')).toEqual({
      status: 200,
      target: 'GET /rest/*',
      params: { '*': 'A/b' },
    });
  });

  it('a "*" inside a segment is a literal character, not the rest of the path', () => {
    const r = routerOf('GET /v*/x');
    expect(r.match('GET', '/v*/x')).toEqual({ status: 200, target: 'GET /v*/x', params: {} });
    expect(r.match('GET', '/v1/x')).toEqual({ status: 404 });
  });

  it('an encoded path shorter than a "*" route’s prefix is a 404; one exactly its prefix matches with an empty rest', () => {
    const r = routerOf('GET /files/raw/*');
    expect(r.match('GET', '/files%41')).toEqual({ status: 404 });
    expect(r.match('GET', '/fil%65s')).toEqual({ status: 404 });
    expect(r.match('GET', '/files/r%61w')).toEqual({
      status: 200,
      target: 'GET /files/raw/*',
      params: { '*': '' },
    });
  });

  it('the root path, with or without an encoded character elsewhere', () => {
    const r = routerOf('GET /', 'GET /:id');
    expect(r.match('GET', '/')).toEqual({ status: 200, target: 'GET /', params: {} });
    expect(r.match('GET', '/%41')).toEqual({ status: 200, target: 'GET /:id', params: { id: 'A' } });
  });

  it('routes lists every route with its methods', () => {
    expect(routerOf('GET,POST /a', '/b').routes.map((x) => [x.target, x.methods])).toEqual([
      ['GET,POST /a', ['GET', 'POST']],
      ['/b', []],
    ]);
  });
});
