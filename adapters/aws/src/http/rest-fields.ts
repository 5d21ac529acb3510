import { InvalidEventError } from '@polycloud/core';
import { clip } from '../clip.ts';
import { isObject, type JsonObject } from '../json-object.ts';

// What only API Gateway REST (v1) requests need (it hands over path and query already decoded),
// apart from the shared request fields so an http function's cold start does not carry it.

/** Already-decoded query pairs (API Gateway REST decodes them), type-checked lazily. */
export function lazyDecodedQuery(
  multi: unknown,
  single: unknown,
  where: string,
): Iterable<readonly [string, string]> | undefined {
  const useMulti = isObject(multi);
  const source = useMulti ? multi : single;
  if (source === undefined || source === null) return undefined;
  const name = useMulti ? `multiValue${where}` : where;
  if (!isObject(source)) throw new InvalidEventError('must be an object', name);
  return new DecodedQuery(source, name);
}

class DecodedQuery implements Iterable<readonly [string, string]> {
  constructor(
    readonly source: JsonObject,
    readonly name: string,
  ) {}

  *[Symbol.iterator](): Iterator<readonly [string, string]> {
    const { source, name } = this;
    for (const key in source) {
      const value = source[key];
      if (value === null || value === undefined) continue;
      if (typeof value === 'string') yield [key, value];
      else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          if (typeof v !== 'string')
            throw new InvalidEventError('must be a string', `${name}.${clip(key, 40)}[${i}]`);
          yield [key, v];
        }
      } else throw new InvalidEventError('must be a string or a list of strings', `${name}.${clip(key, 40)}`);
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
