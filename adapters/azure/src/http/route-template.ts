import { HTTP_METHODS, type RouteSpec } from '@polycloud/core/adapter';

/** Name of the Azure catch-all parameter a neutral `*` becomes. */
export const REST_PARAM = 'rest';

/**
 * Neutral route → Azure route template: `/todos/:id` → `todos/{id}`, `/files/*` → `files/{*rest}`.
 * Azure templates have no leading slash; the root path is the empty template.
 */
export function toRouteTemplate(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((s) => (s === '*' ? `{*${REST_PARAM}}` : s.startsWith(':') ? `{${s.slice(1)}}` : escapeBraces(s)))
    .join('/');
}

/** Azure's `methods`: an omitted list means GET and POST only in @azure/functions, so ANY is spelled out. */
export function toMethods(route: RouteSpec): string[] {
  return route.methods.length === 0 ? [...HTTP_METHODS] : [...route.methods];
}

/** Literal braces in ASP.NET route templates are written doubled. */
function escapeBraces(segment: string): string {
  return segment.replaceAll('{', '{{').replaceAll('}', '}}');
}
