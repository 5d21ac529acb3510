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

/**
 * Azure's `methods`: an omitted list means GET and POST only in @azure/functions, so ANY is spelled
 * out. HEAD is added wherever GET is: the neutral router answers HEAD with the GET handler (node
 * does, and the SAM template routes it on AWS); the Azure host answers an unlisted method 404.
 */
export function toMethods(route: RouteSpec): string[] {
  if (route.methods.length === 0) return [...HTTP_METHODS];
  const methods = [...route.methods];
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
  return methods;
}

/**
 * Literal braces in ASP.NET route templates are written doubled.
 */
function escapeBraces(segment: string): string {
  return segment.replaceAll('{', '{{').replaceAll('}', '}}');
}
