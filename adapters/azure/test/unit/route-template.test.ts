/**
 * Neutral routes as Azure route templates and `methods`. Route templates follow ASP.NET Core routing
 * (https://learn.microsoft.com/aspnet/core/fundamentals/routing#route-templates): `{name}` is a parameter,
 * `{*name}` a catch-all, and a literal `{` or `}` is written doubled. @azure/functions registers GET and
 * POST only when `methods` is omitted (https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger#configuration).
 */
import { describe, expect, it } from 'vitest';
import { toMethods, toRouteTemplate } from '../../src/index.ts';

describe('route templates', () => {
  it('literal braces in a path segment are doubled, so the host matches them instead of reading a parameter', () => {
    expect(toRouteTemplate('/files/{draft}/:id')).toBe('files/{{draft}}/{id}');
    expect(toRouteTemplate('/a}b{c')).toBe('a}}b{{c');
  });
  it('a colon or a star inside a segment is literal text, not a parameter', () => {
    expect(toRouteTemplate('/v1/items:batch/a*b')).toBe('v1/items:batch/a*b');
  });
});

describe('methods', () => {
  it('HEAD is added wherever GET is, once', () => {
    expect(toMethods({ methods: ['GET'], path: '/' })).toEqual(['GET', 'HEAD']);
    expect(toMethods({ methods: ['POST', 'GET'], path: '/' })).toEqual(['POST', 'GET', 'HEAD']);
    expect(toMethods({ methods: ['GET', 'HEAD'], path: '/' })).toEqual(['GET', 'HEAD']);
    expect(toMethods({ methods: ['HEAD'], path: '/' })).toEqual(['HEAD']);
  });
  it("the route's own list is not changed", () => {
    const route = { methods: ['GET'], path: '/' };
    toMethods(route);
    expect(route.methods).toEqual(['GET']);
  });
});
