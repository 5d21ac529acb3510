import { describe, expect, it } from 'vitest';
import { assertNoRouteClash } from '../src/adapter.ts';
import { AppDefinitionError, defineApp, http, mergeApps, queue } from '../src/index.ts';

const ok = () => ({ ok: true });
const check = (functions: Parameters<typeof defineApp>[0]['functions']) =>
  assertNoRouteClash(defineApp({ functions }).functions);

describe('assertNoRouteClash: two functions on one route', () => {
  it('rejects the same method and path, naming both functions and routes', () => {
    expect(() =>
      check({ getItem: http('GET /items/:id', ok), readItem: http('GET /items/:id', ok) }),
    ).toThrow(
      'functions "getItem" (GET /items/:id) and "readItem" (GET /items/:id) answer the same requests: give them different routes or methods',
    );
  });

  it('treats parameter names and a trailing slash as the same route', () => {
    expect(() => check({ a: http('GET /items/:id', ok), b: http('GET /items/:key/', ok) })).toThrow(
      AppDefinitionError,
    );
    expect(() => check({ a: http('GET,POST /items', ok), b: http('DELETE,POST /items', ok) })).toThrow(
      /"a" \(GET,POST \/items\) and "b" \(DELETE,POST \/items\)/,
    );
    expect(() => check({ a: http('/files/*', ok), b: http('ANY /files/*', ok) })).toThrow(
      /"a" \(ANY \/files\/\*\) and "b" \(ANY \/files\/\*\)/,
    );
  });

  it('accepts routes that differ in method, shape or static segment, and ANY beside an explicit method', () => {
    expect(() =>
      check({
        get: http('GET /items/:id', ok),
        put: http('PUT /items/:id', ok),
        mine: http('GET /items/mine', ok),
        nested: http('GET /items/:id/parts', ok),
        rest: http('GET /items/*', ok),
        other: http('ANY /items/:id', ok),
        work: queue('jobs', ok),
        more: queue('jobs', ok),
      }),
    ).not.toThrow();
  });

  it('is not paid at every cold start: defineApp itself does not check', () => {
    expect(defineApp({ functions: { a: http('GET /x', ok), b: http('GET /x', ok) } }).functions.size).toBe(2);
  });

  it('rejects a clash between apps served together', () => {
    const a = defineApp({ name: 'a', functions: { one: http('POST /x/:a', ok) } });
    const b = defineApp({ name: 'b', functions: { two: http('POST /x/:b', ok) } });
    expect(() => assertNoRouteClash(mergeApps([a, b]).functions)).toThrow(
      /"one" \(POST \/x\/:a\) and "two" \(POST \/x\/:b\)/,
    );
  });
});
