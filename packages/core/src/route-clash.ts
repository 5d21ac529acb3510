import { AppDefinitionError } from './errors.ts';
import type { FunctionDefinition } from './kinds.ts';
import type { RouteSpec } from './router.ts';

/**
 * The shape of a route's path as the router matches it: parameter names erased (`/items/:id` and
 * `/items/:key` are the same route), a trailing slash dropped (the router treats `/todos/` as `/todos`).
 */
export function routeShape(path: string): string {
  const segments = path.split('/').slice(1);
  // `/` splits into one empty segment: popping it leaves the root, `/`, too.
  if (segments.at(-1) === '') segments.pop();
  return `/${segments.map((s) => (s.startsWith(':') ? ':' : s)).join('/')}`;
}

/**
 * Whether two routes answer the same requests, so that one of them could never be reached: the same
 * path shape and a method in common (`ANY` only clashes with `ANY`: a route with explicit methods is
 * more specific and wins over it, as on API Gateway).
 */
export function routesClash(a: RouteSpec, b: RouteSpec): boolean {
  if (routeShape(a.path) !== routeShape(b.path)) return false;
  // ANY (no methods) clashes only with ANY: explicit methods have none in common with it.
  if (a.methods.length === 0 && b.methods.length === 0) return true;
  return a.methods.some((m) => b.methods.includes(m));
}

/** `GET,POST /items/:id` or `ANY /items/:id`, for messages. */
export function formatRoute(spec: RouteSpec): string {
  return `${spec.methods.length ? spec.methods.join(',') : 'ANY'} ${spec.path}`;
}

/**
 * Two http functions on the same method and route would leave one unreachable (the router takes the
 * first) and give a deployment two integrations on one route. Checked before anything is served or
 * built (`polycloud check`, `dev`, `build`, `invoke` call it), not at every cold start: a deployed app
 * has passed it already.
 *
 * @example
 * assertNoRouteClash(app.functions); // AppDefinitionError: functions "a" (GET /items/:id) and "b" (GET /items/:key) answer the same requests: ...
 */
export function assertNoRouteClash(functions: ReadonlyMap<string, FunctionDefinition>): void {
  const seen: [string, FunctionDefinition & { kind: 'http' }][] = [];
  for (const [name, def] of functions) {
    if (def.kind !== 'http') continue;
    for (const [other, otherDef] of seen) {
      if (routesClash(def.route, otherDef.route)) {
        throw new AppDefinitionError(
          `functions "${other}" (${formatRoute(otherDef.route)}) and "${name}" (${formatRoute(def.route)}) answer the same requests: give them different routes or methods`,
        );
      }
    }
    seen.push([name, def]);
  }
}
