import type { IncomingMessage } from 'node:http';

/**
 * A request body past the adapter's limit. Raised by `readNodeBody` before the rest is read; the
 * adapter answers 413 with `refuseBodyTooLarge` (node-http-response.ts).
 *
 * @example
 * try { body = await readNodeBody(req, limit); } catch (e) { if (e instanceof BodyTooLargeError) return refuseBodyTooLarge(res, limit); throw e; }
 */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`request body exceeds the ${limit}-byte limit`);
  }
}

/**
 * Whether a Node request declares a body (Content-Length other than 0, or Transfer-Encoding). Read
 * from `rawHeaders`: Node builds `req.headers` on first read, which a body-less request never needs
 * (measured on the node server's hot path, issue 12).
 *
 * @example
 * const body = declaresBody(req) ? await readNodeBody(req, limit) : EMPTY_BYTES;
 * @coldStart
 */
export function declaresBody(req: IncomingMessage): boolean {
  const raw = req.rawHeaders;
  // Stryker disable next-line EqualityOperator: Node's rawHeaders always holds name/value pairs (an even length), so `<=` stops at the same pair
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 14 && name.toLowerCase() === 'content-length') {
      if (raw[i + 1] !== '0') return true;
    } else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return true;
  }
  return false;
}

/**
 * Reads a Node request's whole body, as sent. A declared Content-Length past `limit` is refused
 * before anything is read; a chunked body is refused as soon as it passes the limit. Either way it
 * rejects with `BodyTooLargeError` and the rest of the stream is discarded unbuffered (the adapter
 * closes the connection with its 413). A broken upload rejects with the stream's error.
 *
 * @example
 * const bytes = await readNodeBody(req, 6 * 1024 * 1024);
 */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * A Node request's headers as `[name, value]` pairs in wire order, from `rawHeaders`: `req.headers`
 * joins repeated headers with commas (or keeps only the first), which loses what was sent.
 *
 * @example
 * const headers = new HttpHeaders(headerPairs(req));
 */
export function headerPairs(req: IncomingMessage): [string, string][] {
  const raw = req.rawHeaders;
  const out: [string, string][] = [];
  // Stryker disable next-line EqualityOperator: as in declaresBody, rawHeaders has an even length
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
