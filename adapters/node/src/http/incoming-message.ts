import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpRequest, type HttpResponse } from '@polycloud/core';
import { responseByteLength } from '@polycloud/core/adapter';

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

export function toHttpRequest(req: IncomingMessage, body: Uint8Array): HttpRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const host = req.headers.host ?? '127.0.0.1';
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  return new HttpRequest({
    method: req.method ?? 'GET',
    rawPath: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? undefined : url.slice(q + 1),
    headers: headerPairs(req),
    body,
    ip: req.socket.remoteAddress,
    origin: `${encrypted ? 'https' : 'http'}://${host}`,
  });
}

export function writeResponse(res: ServerResponse, response: HttpResponse, head: boolean): void {
  res.statusCode = response.status;
  for (const name in response.headers) res.setHeader(name, response.headers[name]!);
  if (response.cookies.length > 0) res.setHeader('set-cookie', response.cookies);
  // 204 and 304 carry no body and no Content-Length.
  if (response.status === 204 || response.status === 304) {
    res.end();
    return;
  }
  res.setHeader('content-length', responseByteLength(response));
  res.end(head ? undefined : response.body);
}
