import type { HttpRequest as AzureHttpRequest } from '@azure/functions';
import { HttpRequest, type Identity } from '@polycloud/core';
import { EMPTY_BYTES } from '@polycloud/core/adapter';
import type { AzureSettings } from '../options.ts';

/**
 * Reads App Service authentication's `x-ms-client-principal` (`identityFromPrincipal`,
 * client-principal.ts): only an app that turns `appServiceAuth` on registers with it, so the startup
 * file of any other carries none of that code.
 */
export type PrincipalReader = (header: string, principalId: string | undefined) => Identity;

/**
 * Azure's HttpRequest → the neutral request. Quirks handled here:
 * - `request.query` comes from the host's query map, which keeps one value per key
 *   (azure-functions-nodejs-library#168): the query is read from `request.url` instead, every value kept;
 * - the path carries the route prefix (`/api`), which is not part of the app's routes;
 * - the host folds repeated headers into one ", "-joined value; several Cookie headers then arrive as
 *   `a=1, b=2`, which is turned back into `a=1; b=2` (cookie names and values cannot contain a comma);
 * - the client ip is the last `x-forwarded-for` entry (the one the front end added; earlier ones are
 *   client-supplied) and carries a port (`1.2.3.4:5678`).
 * @coldStart
 */
export async function readRequestBody(request: AzureHttpRequest): Promise<Uint8Array> {
  // GET and HEAD have none: the library builds their Request without one (the global Request refuses
  // it), so `body`, a getter the first request would compile (the library's and undici's), is not asked.
  const method = request.method;
  if (method === 'GET' || method === 'HEAD') return EMPTY_BYTES;
  // Reading a null body still costs a stream round trip in undici: skip it.
  return request.body === null ? EMPTY_BYTES : new Uint8Array(await request.arrayBuffer());
}

/**
 * The neutral request over the host's request and its body, already read; with `appServiceAuth`
 * on, its identity read by `readPrincipal` (none without one).
 * @coldStart
 */
export function neutralRequest(
  request: AzureHttpRequest,
  body: Uint8Array,
  settings: AzureSettings,
  readPrincipal: PrincipalReader | undefined,
): HttpRequest {
  const url = splitUrl(request.url);
  let identity: Identity | undefined;
  if (settings.appServiceAuth && readPrincipal) {
    const principal = request.headers.get('x-ms-client-principal');
    if (principal)
      identity = readPrincipal(principal, request.headers.get('x-ms-client-principal-id') ?? undefined);
  }
  // `request.headers` is asked only when the handler reads a header or `req.ip`: the getter builds
  // the library's and undici's Headers, and its first call compiles them. (Reading method, url and
  // headers made a hand-written v4 handler's first invocation 0.69 → 0.81 ms of CPU, 31 interleaved
  // fresh processes; method and url are needed for routing, the headers are not.)
  return new HttpRequest({
    method: request.method,
    rawPath: stripPrefix(url.path, settings.routePrefix),
    query: url.query || undefined,
    headers: { [Symbol.iterator]: () => headerPairs(request.headers) },
    body,
    ip: () => clientIp(request.headers.get('x-forwarded-for')),
    identity,
    origin: url.origin,
  });
}

/**
 * Splits the absolute URL the host sends without WHATWG URL parsing (a third of the adapter's cost):
 * the host's URL is already normalised and percent-encoded, and only origin, path and query are needed.
 * @coldStart
 */
export function splitUrl(url: string): { origin: string; path: string; query: string } {
  const scheme = url.indexOf('://');
  const hostStart = scheme === -1 ? 0 : scheme + 3;
  let end = url.indexOf('#', hostStart);
  if (end === -1) end = url.length;
  let pathStart = hostStart;
  while (pathStart < end && url[pathStart] !== '/' && url[pathStart] !== '?') pathStart++;
  const q = url.indexOf('?', pathStart);
  const pathEnd = q === -1 || q > end ? end : q;
  return {
    origin: url.slice(0, pathStart),
    path: pathStart === pathEnd ? '/' : url.slice(pathStart, pathEnd),
    query: pathEnd < end ? url.slice(pathEnd + 1, end) : '',
  };
}

/** @coldStart */
export function stripPrefix(pathname: string, prefix: string): string {
  if (!prefix) return pathname;
  const head = `/${prefix}`;
  if (pathname.length >= head.length && pathname.slice(0, head.length).toLowerCase() === head.toLowerCase()) {
    const rest = pathname.slice(head.length);
    if (rest === '') return '/';
    if (rest.startsWith('/')) return rest;
  }
  return pathname;
}

function* headerPairs(headers: Headers): Generator<[string, string]> {
  for (const [name, value] of headers) {
    if (name === 'cookie') {
      for (const part of value.split(/,\s*(?=[^;,=\s]+=)/)) yield [name, part];
    } else yield [name, value];
  }
}

export function clientIp(forwardedFor: string | null): string | undefined {
  if (!forwardedFor) return undefined;
  const last = forwardedFor.split(',').at(-1)!.trim();
  if (!last) return undefined;
  if (last.startsWith('[')) return last.slice(1, last.indexOf(']'));
  const colon = last.indexOf(':');
  // One colon: IPv4 with port. Several: a bare IPv6 address.
  return colon !== -1 && colon === last.lastIndexOf(':') ? last.slice(0, colon) : last;
}
