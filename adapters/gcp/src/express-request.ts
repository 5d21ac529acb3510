import type { Request } from '@google-cloud/functions-framework';
import { EMPTY_BYTES, type HeadersInit, HttpRequest, type Identity } from '@polycloud/core';

/** Encodings body-parser inflates before saving `rawBody`: the bytes we get are already decoded. */
const INFLATED = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

/**
 * The request body as bytes, exactly as the client sent them (after body-parser's inflation).
 * The framework's parsers save `req.rawBody`, but only when a parser matched: a request without
 * Content-Type is left unread, so its stream is read here.
 */
export async function readBody(req: Request): Promise<Uint8Array> {
  const raw = req.rawBody;
  if (raw) return raw;
  if (req.readableEnded || !hasBody(req)) return EMPTY_BYTES;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Header pairs in wire order from `rawHeaders` (Node's `headers` object joins or drops repeats).
 * Content-Encoding/Length are dropped when body-parser inflated the body: they describe bytes
 * the handler never sees.
 */
export function headerPairs(req: Request): HeadersInit {
  // Built when first read, as an array: a generator here costs several µs per request.
  return { [Symbol.iterator]: () => rawPairs(req)[Symbol.iterator]() };
}

function rawPairs(req: Request): [string, string][] {
  const raw = req.rawHeaders;
  const encoding = req.headers['content-encoding']?.toLowerCase();
  const inflated = req.rawBody !== undefined && encoding !== undefined && INFLATED.has(encoding);
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (inflated) {
      const lower = name.toLowerCase();
      if (lower === 'content-encoding' || lower === 'content-length') continue;
    }
    out.push([name, raw[i + 1]!]);
  }
  return out;
}

/**
 * The client address: the entry `hops` from the right of X-Forwarded-For, which Google's front
 * end appends. Express's `req.ip` (trust proxy) takes the leftmost entry, which the client chose.
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

/** Express request → neutral request. Path and query come from the raw URL, not Express's parsed `query`. */
export function toHttpRequest(
  req: Request,
  body: Uint8Array,
  hops: number,
  identity: Identity | undefined,
): HttpRequest {
  const url = req.originalUrl ?? req.url ?? '/';
  const q = url.indexOf('?');
  // Express's `query` parser turns `a[b]=1` into objects and merges repeats; the raw string keeps both.
  return new HttpRequest({
    method: req.method,
    rawPath: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? undefined : url.slice(q + 1),
    headers: headerPairs(req),
    body,
    ip: clientIp(req, hops),
    identity,
    origin: `${req.protocol}://${req.headers.host ?? 'localhost'}`,
  });
}
