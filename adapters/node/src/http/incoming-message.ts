import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HttpHeaders, HttpRequest, type HttpResponse } from '@polycloud/core';
import { type HeaderSource, responseByteLength } from '@polycloud/core/adapter';

/** Raised when a request body exceeds the configured limit: the server answers 413. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Reads the whole body, stopping as soon as it exceeds `limit` (a declared Content-Length is checked first). */
export function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      resolve(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
    });
    req.on('error', reject);
  });
}

/** rawHeaders keeps repeated headers and their order, which `req.headers` folds together. */
export function headerPairs(req: IncomingMessage): [string, string][] {
  const raw = req.rawHeaders;
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/**
 * Whether the request declares a body (Content-Length other than 0, or Transfer-Encoding). Read from
 * rawHeaders: `req.headers` is built on first read, which a body-less request never needs (issue 12).
 */
export function declaresBody(req: IncomingMessage): boolean {
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      if (raw[i + 1] !== '0') return true;
    } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return true;
  }
  return false;
}

/** rawHeaders, appended to the neutral headers only if the handler reads one (a plain loop). */
class RawHeaders implements HeaderSource {
  readonly #raw: string[];
  constructor(raw: string[]) {
    this.#raw = raw;
  }
  appendTo(headers: HttpHeaders): void {
    const raw = this.#raw;
    for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  }
}

/**
 * The neutral request, every costly part deferred to first read: headers (walked from rawHeaders),
 * the client address (a call into the socket) and the origin (`req.headers` is built lazily by
 * Node). Measured under autocannon, building them eagerly cost about a tenth of the server's
 * throughput on a route that reads none of them (issue 12).
 */
export function toHttpRequest(req: IncomingMessage, body: Uint8Array): HttpRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return new HttpRequest({
    method: req.method ?? 'GET',
    rawPath: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? undefined : url.slice(q + 1),
    headers: new RawHeaders(req.rawHeaders),
    body,
    ip: () => req.socket.remoteAddress,
    origin: () => {
      const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
      return `${encrypted ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}`;
    },
  });
}

/**
 * Writes the response with one writeHead of a flat [name, value, ...] list: Node stores it as the
 * header block directly, where setHeader per header validates and copies each into its own map
 * (measured under autocannon, issue 12). Headers set earlier with setHeader (`connection: close`)
 * are merged by Node.
 */
/**
 * Writes the response with one writeHead of a flat [name, value, ...] list: Node stores it as the
 * header block directly, where setHeader per header validates and copies each into its own map
 * (measured under autocannon, issue 12). Headers set earlier with setHeader (`connection: close`)
 * are merged by Node.
 */
export function writeResponse(res: ServerResponse, response: HttpResponse, head: boolean): void {
  const headers: string[] = [];
  for (const name in response.headers) headers.push(name, response.headers[name]!);
  for (const cookie of response.cookies) headers.push('set-cookie', cookie);
  // 204 and 304 carry no body and no Content-Length.
  if (response.status === 204 || response.status === 304) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  headers.push('content-length', String(responseByteLength(response)));
  res.writeHead(response.status, headers);
  res.end(head ? undefined : response.body);
}
