import { type HeadersInit, type HttpHeaders, InvalidEventError } from '@polycloud/core';
import { fromBase64, type HeaderSource } from '@polycloud/core/adapter';
import { clip } from '../clip.ts';
import { isObject, type JsonObject } from '../json-object.ts';

/**
 * Request headers handed to core as a lazy iterable: they are read and type-checked only when a
 * handler looks at them, and a non-string value is an InvalidEventError (a 400) naming its path.
 * `extraCookies` is HTTP API v2's `cookies` array, which v2 moves out of the headers.
 */
export function lazyHeaders(
  headers: unknown,
  where: string,
  extraCookies?: unknown,
): HeadersInit | undefined {
  if (headers === undefined || headers === null) {
    if (extraCookies === undefined || extraCookies === null) return undefined;
  } else if (!isObject(headers)) {
    throw new InvalidEventError('must be an object of header values', where);
  }
  return new LambdaHeaders((headers ?? {}) as JsonObject, where, extraCookies);
}

// A class, not an object literal with a generator: one allocation per request on the hot path.
// `appendTo` is what HttpHeaders uses (plain loops); the iterator is for other readers.
class LambdaHeaders implements Iterable<readonly [string, string]>, HeaderSource {
  constructor(
    readonly record: JsonObject,
    readonly where: string,
    readonly extraCookies: unknown,
  ) {}

  appendTo(headers: HttpHeaders): void {
    const { record, where, extraCookies } = this;
    let sawCookie = false;
    for (const name in record) {
      const value = record[name];
      if (value === null || value === undefined) continue;
      if (name.length === 6 && name.toLowerCase() === 'cookie') sawCookie = true;
      if (typeof value === 'string') headers.append(name, value);
      else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          if (typeof v !== 'string')
            throw new InvalidEventError('must be a string', `${where}.${clip(name, 40)}[${i}]`);
          headers.append(name, v);
        }
      } else
        throw new InvalidEventError('must be a string or a list of strings', `${where}.${clip(name, 40)}`);
    }
    const cookie = cookieHeader(extraCookies, sawCookie);
    if (cookie !== undefined) headers.append('cookie', cookie);
  }

  *[Symbol.iterator](): Iterator<readonly [string, string]> {
    const { record, where, extraCookies } = this;
    let sawCookie = false;
    for (const name in record) {
      const value = record[name];
      if (value === null || value === undefined) continue;
      if (name.length === 6 && name.toLowerCase() === 'cookie') sawCookie = true;
      if (typeof value === 'string') yield [name, value];
      else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          if (typeof v !== 'string')
            throw new InvalidEventError('must be a string', `${where}.${clip(name, 40)}[${i}]`);
          yield [name, v];
        }
      } else
        throw new InvalidEventError('must be a string or a list of strings', `${where}.${clip(name, 40)}`);
    }
    const cookie = cookieHeader(extraCookies, sawCookie);
    if (cookie !== undefined) yield ['cookie', cookie];
  }
}

/** v2's `cookies` as one Cookie header; some front doors (Function URLs) send both: never count twice. */
function cookieHeader(extraCookies: unknown, sawCookie: boolean): string | undefined {
  if (extraCookies === undefined || extraCookies === null || sawCookie) return undefined;
  if (!Array.isArray(extraCookies) || extraCookies.some((c) => typeof c !== 'string')) {
    throw new InvalidEventError('must be a list of strings', 'cookies');
  }
  return extraCookies.length > 0 ? extraCookies.join('; ') : undefined;
}

/** The request body: base64 decoding is deferred until a handler reads it, and is strict. */
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

export function requireMethod(method: unknown, where: string): string {
  if (method === 'GET' || method === 'POST') return method;
  if (typeof method !== 'string' || !TOKEN.test(method)) {
    throw new InvalidEventError('must be an HTTP method name', where);
  }
  return method;
}

export function requirePath(path: unknown, where: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new InvalidEventError('must be a path starting with "/"', where);
  }
  return path;
}

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
