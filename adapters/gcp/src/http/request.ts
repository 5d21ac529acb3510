import type { Request } from '@google-cloud/functions-framework';
import { HttpRequest, type Identity } from '@polycloud/core';
import {
  declaresBody,
  EMPTY_BYTES,
  type HttpRequestInit,
  headerPairs,
  readNodeBody,
} from '@polycloud/core/adapter';
import { AS_SENT, BODY_LIMIT_BYTES } from './raw-body.ts';

/**
 * Encodings body-parser inflates before saving `rawBody` when the raw-body hook is not installed
 * (a framework server created before registering): those bytes are already decoded.
 */
const INFLATED = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/**
 * The request body as bytes, exactly as the client sent them, when it needs no reading: the
 * raw-body hook (http/raw-body.ts) saves `req.rawBody` before body-parser runs, and a request
 * without a body (a GET) has none. Undefined when the stream must still be read.
 * @coldStart
 */
export function bodyAtHand(req: Request): Uint8Array | undefined {
  const raw = req.rawBody;
  if (raw) return raw;
  if (req.readableEnded || !declaresBody(req)) return EMPTY_BYTES;
  return undefined;
}

/**
 * The request body as bytes. The framework's parsers save `req.rawBody`, but only when a parser
 * matched: without the raw-body hook (a framework server created before registering), a request
 * without Content-Type is left unread, so its stream is read here, within the same limit
 * (`BodyTooLargeError` past it).
 */
export function readBody(req: Request): Promise<Uint8Array> {
  const body = bodyAtHand(req);
  return body ? Promise.resolve(body) : readNodeBody(req, BODY_LIMIT_BYTES);
}

/**
 * Header pairs in wire order (core's `headerPairs`, from `rawHeaders`), except that
 * Content-Encoding/Length are dropped when body-parser inflated the body: they describe bytes the
 * handler never sees.
 */
export function requestHeaderPairs(req: Request): [string, string][] {
  const pairs = headerPairs(req);
  const encoding = req.headers['content-encoding']?.toLowerCase();
  const inflated =
    req.rawBody !== undefined &&
    (req as { [AS_SENT]?: true })[AS_SENT] !== true &&
    encoding !== undefined &&
    INFLATED.has(encoding);
  if (!inflated) return pairs;
  return pairs.filter(([name]) => {
    const lower = name.toLowerCase();
    return lower !== 'content-encoding' && lower !== 'content-length';
  });
}

/**
 * The client address: the entry `hops` from the right of X-Forwarded-For, which Google's front
 * end appends. Express's `req.ip` (trust proxy) takes the leftmost entry, which the client chose.
 * @coldStart
 */
export function clientIp(req: Request, hops: number): string | undefined {
  const forwarded = req.headers['x-forwarded-for'];
  if (hops > 0 && typeof forwarded === 'string' && forwarded !== '') {
    const list = forwarded.split(',');
    const entry = list[Math.max(0, list.length - hops)]!.trim();
    if (entry) return entry;
  }
  return req.socket?.remoteAddress;
}

/**
 * What the neutral request is built from: method, path, query, body and identity up front, the
 * rest when first read (HttpRequest reads `headers` and `origin` only when asked): the header
 * pairs are built only for a handler that reads headers or cookies, and Express's `req.protocol`
 * (trust-proxy lookup, X-Forwarded-Proto) only for one that reads `url`. A class, not a literal:
 * an object literal with a computed `[Symbol.iterator]` key alone cost ~0.2 µs per request.
 */
class ExpressRequestInit implements HttpRequestInit {
  readonly method: string;
  readonly rawPath: string;
  readonly query: string | undefined;
  readonly body: Uint8Array;
  readonly ip: string | undefined;
  readonly identity: Identity | undefined;
  readonly #req: Request;

  constructor(req: Request, body: Uint8Array, hops: number, identity: Identity | undefined) {
    const url = req.originalUrl ?? req.url ?? '/';
    const q = url.indexOf('?');
    this.method = req.method;
    this.rawPath = q === -1 ? url : url.slice(0, q);
    // Express's `query` parser turns `a[b]=1` into objects and merges repeats; the raw string keeps both.
    this.query = q === -1 ? undefined : url.slice(q + 1);
    this.body = body;
    // Now, not when read: the socket's address is gone once the client has disconnected.
    this.ip = clientIp(req, hops);
    this.identity = identity;
    this.#req = req;
  }

  get headers(): [string, string][] {
    return requestHeaderPairs(this.#req);
  }

  get origin(): string {
    return `${this.#req.protocol}://${this.#req.headers.host ?? 'localhost'}`;
  }
}

/**
 * Express request → neutral request. Path and query come from the raw URL, not Express's parsed `query`.
 * @coldStart
 */
export function toHttpRequest(
  req: Request,
  body: Uint8Array,
  hops: number,
  identity: Identity | undefined,
): HttpRequest {
  return new HttpRequest(new ExpressRequestInit(req, body, hops, identity));
}
