import { InvalidEventError } from '@polycloud/core';
import { clip } from '../clip.ts';
import { isObject, type JsonObject } from '../json-object.ts';

// What only API Gateway REST (v1) requests need (it hands over path and query already decoded),
// apart from the shared request fields so an http function's cold start does not carry it.

/** Already-decoded query pairs (API Gateway REST decodes them), checked at the door, read lazily. */
export function decodedQuery(
  multi: unknown,
  single: unknown,
  where: string,
): Iterable<readonly [string, string]> | undefined {
  const useMulti = isObject(multi);
  const source = useMulti ? multi : single;
  if (source === undefined || source === null) return undefined;
  // The 400 names the event's own field: `queryStringParameters` → `multiValueQueryStringParameters`.
  const name = useMulti ? `multiValue${where[0]!.toUpperCase()}${where.slice(1)}` : where;
  if (!isObject(source)) throw new InvalidEventError('must be an object', name);
  for (const key in source) {
    const value = source[key];
    if (value === null || value === undefined || typeof value === 'string') continue;
    if (!Array.isArray(value))
      throw new InvalidEventError('must be a string or a list of strings', `${name}.${clip(key, 40)}`);
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] !== 'string')
        throw new InvalidEventError('must be a string', `${name}.${clip(key, 40)}[${i}]`);
    }
  }
  return new DecodedQuery(source);
}

/** The pairs of a query checked by `decodedQuery`: each value null, a string or a list of strings. */
class DecodedQuery implements Iterable<readonly [string, string]> {
  constructor(readonly source: JsonObject) {}

  *[Symbol.iterator](): Iterator<readonly [string, string]> {
    const { source } = this;
    for (const key in source) {
      const value = source[key] as string | string[] | null | undefined;
      if (typeof value === 'string') yield [key, value];
      else if (value) for (const v of value) yield [key, v];
    }
  }
}

/** Characters a path segment may carry unencoded (RFC 3986 pchar); everything else is re-encoded. */
const PCHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/** Re-encodes a path API Gateway already decoded, segment by segment, so core decodes it exactly once. */
export function encodeDecodedPath(path: string): string {
  if (PCHARS.test(path)) return path;
  return path
    .split('/')
    .map((segment) => (PCHARS.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
}
