import type { ServerResponse } from 'node:http';
import { errorResponse, type HttpResponse, responseByteLength } from '../http-response.ts';

/**
 * Writes a neutral response to a Node `ServerResponse` (node:http, and Express's response, which
 * extends it): one `writeHead` of a flat `[name, value, ...]` list, each Set-Cookie on its own line,
 * and an explicit Content-Length (also on a HEAD answer, whose body Node never sends; none on 204 and
 * 304). A flat list is stored by Node as the header block directly, where `setHeader` per header
 * validates and copies each into a map (measured under autocannon, issue 12); headers set earlier
 * with `setHeader` (`connection: close`) are merged by Node. A response already started is only
 * ended. Node throws for a header value it refuses (a newline) before anything is sent: the caller
 * may then write another answer.
 *
 * @example
 * writeNodeResponse(res, await runner.http(() => request, init));
 * @coldStart
 */
export function writeNodeResponse(res: ServerResponse, response: HttpResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: string[] = [];
  for (const name in response.headers) headers.push(name, response.headers[name]!);
  for (const cookie of response.cookies) headers.push('set-cookie', cookie);
  if (response.status === 204 || response.status === 304) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  headers.push('content-length', String(responseByteLength(response)));
  res.writeHead(response.status, headers);
  // Stryker disable next-line ConditionalExpression,OptionalChaining,StringLiteral: Node never writes body bytes for a HEAD request (node-http.test.ts reads the wire), so handing it the body sends the same answer; not handing it spares the write
  res.end(res.req?.method === 'HEAD' ? undefined : response.body);
}

/**
 * Answers a body past the limit: 413 with a JSON error naming the limit, and `Connection: close`,
 * since the rest of the body was not read and the connection cannot carry another request.
 *
 * @example
 * if (error instanceof BodyTooLargeError) return refuseBodyTooLarge(res, error.limit);
 */
export function refuseBodyTooLarge(res: ServerResponse, limit: number): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
  writeNodeResponse(res, errorResponse(413, `request body exceeds the ${limit}-byte limit`));
}
