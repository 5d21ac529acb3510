import { type HttpHeaders, InvalidEventError } from '@polycloud/core';
import { fromBase64, type HeaderSource } from '@polycloud/core/adapter';
import { clip } from '../clip.ts';
import { isObject, type JsonObject } from '../json-object.ts';

/**
 * Request headers, checked at the door and handed to core as a lazy source: every value must be a
 * string or a list of strings (else InvalidEventError naming its path: core's 400 before the handler
 * runs), and they are copied into HttpHeaders only when a handler reads them.
 * `extraCookies` is HTTP API v2's `cookies` array, which v2 moves out of the headers.
 * @coldStart
 */
export function requestHeaders(
  headers: unknown,
  where: string,
  extraCookies?: unknown,
): LambdaHeaders | undefined {
  return checkedHeaders(headers, where, false, extraCookies);
}

/**
 * REST (v1) and ALB multi-value mode: `multiValueHeaders` maps each name to the list of its values
 * (AWS never sends a bare string there; one is malformed input, a 400 like any other).
 */
export function multiValueRequestHeaders(headers: unknown): LambdaHeaders | undefined {
  return checkedHeaders(headers, 'multiValueHeaders', true, undefined);
}

/** @coldStart */
function checkedHeaders(
  headers: unknown,
  where: string,
  listsOnly: boolean,
  extraCookies: unknown,
): LambdaHeaders | undefined {
  if (headers === undefined || headers === null) {
    if (extraCookies === undefined || extraCookies === null) return undefined;
  } else if (!isObject(headers)) {
    throw new InvalidEventError('must be an object of header values', where);
  }
  const record = (headers ?? {}) as JsonObject;
  let sawCookie = false;
  for (const name in record) {
    const value = record[name];
    if (value === null || value === undefined) continue;
    if (name.length === 6 && name.toLowerCase() === 'cookie') sawCookie = true;
    if (typeof value === 'string' && !listsOnly) continue;
    if (!Array.isArray(value)) {
      const what = listsOnly ? 'must be a list of strings' : 'must be a string or a list of strings';
      throw new InvalidEventError(what, `${where}.${clip(name, 40)}`);
    }
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] !== 'string')
        throw new InvalidEventError('must be a string', `${where}.${clip(name, 40)}[${i}]`);
    }
  }
  // Some front doors (Function URLs) send both `cookies` and a Cookie header: never count twice.
  let cookies: readonly string[] | undefined;
  if (!sawCookie && extraCookies !== undefined && extraCookies !== null) {
    // A loop, not `some()` with a callback: one function fewer for V8 to compile on the first request.
    if (!Array.isArray(extraCookies)) throw new InvalidEventError('must be a list of strings', 'cookies');
    for (const cookie of extraCookies)
      if (typeof cookie !== 'string') throw new InvalidEventError('must be a list of strings', 'cookies');
    if (extraCookies.length > 0) cookies = extraCookies as string[];
  }
  return new LambdaHeaders(record, cookies);
}

// A class, not an object literal with a generator: one allocation per request on the hot path.
// `appendTo` is what HttpHeaders uses (plain loops); the iterator is for other readers. The values
// were checked at the door (`checkedHeaders`): each is null, a string or a list of strings.
export class LambdaHeaders implements Iterable<readonly [string, string]>, HeaderSource {
  constructor(
    readonly record: JsonObject,
    /** v2's `cookies`, when they stand for the Cookie header (none came in `headers`). */
    readonly cookies: readonly string[] | undefined,
  ) {}

  appendTo(headers: HttpHeaders): void {
    headers.appendRecord(this.record as Record<string, string | string[] | null>);
    if (this.cookies) headers.append('cookie', this.cookies.join('; '));
  }

  *[Symbol.iterator](): Iterator<readonly [string, string]> {
    const { record, cookies } = this;
    for (const name in record) {
      const value = record[name] as string | string[] | null | undefined;
      if (typeof value === 'string') yield [name, value];
      else if (value) for (const v of value) yield [name, v];
    }
    if (cookies) yield ['cookie', cookies.join('; ')];
  }
}

/**
 * The request body: base64 decoding is deferred until a handler reads it, and is strict.
 * @coldStart
 */
export function lambdaBody(
  body: unknown,
  isBase64Encoded: unknown,
): Uint8Array | string | (() => Uint8Array) | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body !== 'string') throw new InvalidEventError('must be a string', 'body');
  if (isBase64Encoded === true) {
    return () => {
      const bytes = fromBase64(body);
      if (!bytes)
        throw new InvalidEventError('isBase64Encoded is true but the body is not valid base64', 'body');
      return bytes;
    };
  }
  // Text stays text: core reads it for text()/json() without an encode/decode round trip.
  return body;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** @coldStart */
export function requireMethod(method: unknown, where: string): string {
  if (method === 'GET' || method === 'POST') return method;
  if (typeof method !== 'string' || !TOKEN.test(method)) {
    throw new InvalidEventError('must be an HTTP method name', where);
  }
  return method;
}

/** @coldStart */
export function requirePath(path: unknown, where: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new InvalidEventError('must be a path starting with "/"', where);
  }
  return path;
}

/** @coldStart */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
