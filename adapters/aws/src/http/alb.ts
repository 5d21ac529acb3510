import { STATUS_CODES } from 'node:http';
import { HttpRequest, type HttpResponse, InvalidEventError } from '@polycloud/core';
import { clip } from '../clip.ts';
import { isObject, type JsonObject } from '../events/records-source.ts';
import type { HttpShape } from './payload-shape.ts';
import {
  lambdaBody,
  multiValueRequestHeaders,
  requestHeaders,
  requireMethod,
  requirePath,
} from './request-fields.ts';
import { encodeResponseBody } from './response-body.ts';
import { ALB_RESPONSE_LIMIT_BYTES, type ResponseLimit } from './response-limit.ts';

const ALB_LIMIT: ResponseLimit = {
  bytes: ALB_RESPONSE_LIMIT_BYTES,
  name: "ALB's 1 MB limit on a Lambda target's response",
};

/**
 * Application Load Balancer target. Multi-value mode is a target-group setting: a request that
 * carries `multiValueHeaders` must be answered with `multiValueHeaders`, otherwise with `headers`.
 */
export const alb: HttpShape = {
  name: 'alb',
  // ALB also refuses request bodies over 1 MB before Lambda runs.
  responseLimit: ALB_LIMIT,
  matches(event) {
    return isObject(event.requestContext) && isObject(event.requestContext.elb);
  },
  toRequest(event) {
    // Multi-value mode sends `multiValueHeaders` (every value a list) and no `headers`.
    const multi = event.multiValueHeaders !== undefined && event.multiValueHeaders !== null;
    const headers = multi ? event.multiValueHeaders : event.headers;
    return new HttpRequest({
      method: requireMethod(event.httpMethod, 'httpMethod'),
      rawPath: requirePath(event.path, 'path'),
      query: albQuery(event),
      headers: multi ? multiValueRequestHeaders(headers) : requestHeaders(headers, 'headers'),
      body: lambdaBody(event.body, event.isBase64Encoded),
      ip: clientIp(headers),
      origin: albOrigin(headers),
    });
  },
  toResponse(response, event) {
    return albResponse(response, isObject(event.multiValueHeaders));
  },
};

/**
 * ALB does NOT decode query strings (unlike API Gateway): keys and values arrive as the client sent
 * them, percent-encoding and `+` intact. They are checked at the door, then re-joined and decoded
 * exactly once by URLSearchParams, lazily (PEER-BUGS #9).
 */
function albQuery(event: JsonObject): Iterable<readonly [string, string]> | undefined {
  const multi = isObject(event.multiValueQueryStringParameters);
  const source = multi ? event.multiValueQueryStringParameters : event.queryStringParameters;
  const where = multi ? 'multiValueQueryStringParameters' : 'queryStringParameters';
  if (source === undefined || source === null) return undefined;
  if (!isObject(source)) throw new InvalidEventError('must be an object', where);
  for (const key in source) {
    const value = source[key];
    if (typeof value !== 'string' && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) {
      throw new InvalidEventError('must be a string or a list of strings', `${where}.${clip(key, 40)}`);
    }
  }
  return {
    *[Symbol.iterator]() {
      const parts: string[] = [];
      for (const key in source) {
        const value = source[key] as string | string[];
        for (const v of typeof value === 'string' ? [value] : value)
          parts.push(v === '' ? key : `${key}=${v}`);
      }
      yield* new URLSearchParams(parts.join('&'));
    },
  };
}

/**
 * The URL the client used. ALB sets X-Forwarded-Proto and X-Forwarded-Port to the scheme and port of
 * the client's connection to the load balancer (a listener on port 80 is plain `http`), and passes
 * the client's Host header through, so the origin is built from those three rather than assuming
 * https. A port is written only when it is not the scheme's default and Host does not carry one.
 * Unknown schemes or non-numeric ports are ignored (https, no port), never trusted into the URL.
 */
function albOrigin(headers: unknown): string | undefined {
  if (!isObject(headers)) return undefined;
  const host = lastHeader(headers, 'host');
  if (host === undefined || host === '') return undefined;
  const proto = lastHeader(headers, 'x-forwarded-proto')?.toLowerCase();
  const scheme = proto === 'http' ? 'http' : 'https';
  const port = lastHeader(headers, 'x-forwarded-port');
  const hostHasPort = /:\d+$/.test(host);
  const defaultPort = scheme === 'http' ? '80' : '443';
  const showPort = port !== undefined && /^\d{1,5}$/.test(port) && port !== defaultPort && !hostHasPort;
  return `${scheme}://${host}${showPort ? `:${port}` : ''}`;
}

/** A single-valued header as ALB hands it over (lower-case name; the last entry in multi-value mode). */
function lastHeader(headers: JsonObject, name: string): string | undefined {
  const value = headers[name];
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last.trim() : undefined;
}

/** ALB appends the peer address to X-Forwarded-For: the last entry is the one ALB itself saw. */
function clientIp(headers: unknown): string | undefined {
  if (!isObject(headers)) return undefined;
  const value = headers['x-forwarded-for'];
  const last = Array.isArray(value) ? value.at(-1) : value;
  if (typeof last !== 'string') return undefined;
  const ip = last.split(',').at(-1)!.trim();
  return ip === '' ? undefined : ip;
}

export function albResponse(response: HttpResponse, multiValue: boolean): JsonObject {
  const out: JsonObject = {
    statusCode: response.status,
    // ALB requires a status description ("200 OK"); without it the load balancer answers 502.
    statusDescription: `${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd(),
  };
  if (multiValue) {
    const headers: Record<string, string[]> = {};
    for (const name in response.headers) headers[name] = [response.headers[name]!];
    if (response.cookies.length > 0) headers['set-cookie'] = response.cookies;
    out.multiValueHeaders = headers;
  } else {
    const headers: Record<string, string> = { ...response.headers };
    // Without multi-value mode a header name can appear once; each further Set-Cookie goes under a
    // differently-cased name, which HTTP treats as the same header (PEER-BUGS #1).
    response.cookies.forEach((cookie, i) => {
      headers[caseVariant('set-cookie', i)] = cookie;
    });
    out.headers = headers;
  }
  return Object.assign(out, encodeResponseBody(response));
}

function caseVariant(name: string, n: number): string {
  let bit = 0;
  let out = '';
  for (const ch of name) {
    if (/[a-z]/.test(ch)) {
      out += (n >> bit) & 1 ? ch.toUpperCase() : ch;
      bit++;
    } else out += ch;
  }
  return out;
}
