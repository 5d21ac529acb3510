/**
 * Route clashes: two http functions that answer the same requests are an AppDefinitionError before
 * anything is served or built; the route shape erases parameter names and a trailing slash, as the
 * router does.
 */
import { describe, expect, it } from 'vitest';
import {
  assertNoRouteClash,
  type FunctionDefinition,
  formatRoute,
  routeShape,
  routesClash,
} from '../src/adapter.ts';
import { AppDefinitionError, http, queue } from '../src/index.ts';

const ok = () => undefined;
const route = (spec: string) => http(spec, ok).route;

describe('routeShape', () => {
  it('erases parameter names and drops one trailing slash', () => {
    expect(routeShape('/items/:id')).toBe('/items/:');
    expect(routeShape('/items/:key/parts/:n')).toBe('/items/:/parts/:');
    expect(routeShape('/todos/')).toBe('/todos');
    expect(routeShape('/a//')).toBe('/a/');
    expect(routeShape('/files/*')).toBe('/files/*');
  });

  it('keeps the root and literal colons inside a segment', () => {
    expect(routeShape('/')).toBe('/');
    expect(routeShape('/a:b')).toBe('/a:b');
  });
});

describe('routesClash', () => {
  it('clashes on the same shape with a method in common', () => {
    expect(routesClash(route('GET /items/:id'), route('GET /items/:key'))).toBe(true);
    expect(routesClash(route('GET,POST /items'), route('PUT,POST /items/'))).toBe(true);
    expect(routesClash(route('ANY /items'), route('/items'))).toBe(true);
  });

  it('does not clash on other shapes, other methods, or explicit methods beside ANY', () => {
    expect(routesClash(route('GET /items/:id'), route('GET /items/:id/parts'))).toBe(false);
    expect(routesClash(route('GET /items'), route('POST /items'))).toBe(false);
    expect(routesClash(route('GET /items'), route('ANY /items'))).toBe(false);
    expect(routesClash(route('ANY /items'), route('DELETE /items'))).toBe(false);
  });
});

describe('formatRoute', () => {
  it('lists the methods, or ANY', () => {
    expect(formatRoute(route('GET,POST /items/:id'))).toBe('GET,POST /items/:id');
    expect(formatRoute(route('/items'))).toBe('ANY /items');
  });
});

describe('assertNoRouteClash', () => {
  const functions = (entries: Record<string, FunctionDefinition>) => new Map(Object.entries(entries));

  it('passes distinct routes and ignores functions that are not http', () => {
    expect(() =>
      assertNoRouteClash(
        functions({
          list: http('GET /items', ok),
          create: http('POST /items', ok),
          item: http('GET /items/:id', ok),
          orders: queue('orders', ok),
          again: queue('orders', ok),
        }),
      ),
    ).not.toThrow();
  });

  it('names both functions and routes, the earlier one first, whichever pair clashes', () => {
    let thrown: unknown;
    try {
      assertNoRouteClash(
        functions({
          a: http('GET /items/:id', ok),
          orders: queue('orders', ok),
          b: http('POST /items', ok),
          c: http('GET,PUT /items/:key/', ok),
        }),
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppDefinitionError);
    expect((thrown as Error).message).toBe(
      'functions "a" (GET /items/:id) and "c" (GET,PUT /items/:key/) answer the same requests: give them different routes or methods',
    );
  });
});
