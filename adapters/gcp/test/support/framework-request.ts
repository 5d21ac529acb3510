import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { Request, Response } from '@google-cloud/functions-framework';

/**
 * What the framework hands a registered function after its middleware, for calling an entry
 * directly (no server): body-parser's `rawBody` when there is a body, none for a GET.
 */
export function frameworkRequest(
  method: string,
  url: string,
  rawBody?: Buffer,
  headers: Record<string, string> = {},
): Request {
  const all = rawBody ? { ...headers, 'content-length': String(rawBody.length) } : headers;
  return {
    method,
    url,
    originalUrl: url,
    headers: all,
    rawHeaders: Object.entries(all).flat(),
    rawBody,
    readableEnded: true,
    executionId: 'exec-1',
    socket: { remoteAddress: '127.0.0.1' },
  } as unknown as Request;
}

/** A response without a socket; `sent()` is what was passed to `end`. */
export function frameworkResponse(): { res: Response; sent: () => unknown } {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  let sent: unknown;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  res.end = ((chunk?: unknown) => {
    sent = chunk;
    return end(chunk);
  }) as never;
  return { res: res as never as Response, sent: () => sent };
}

/**
 * A request whose body is still in the stream, as the framework hands it over when its server was
 * created before polycloud registered (no raw-body hook): `body` is streamed, or an Error destroys
 * the stream on its first read.
 */
export function streamingRequest(body: Buffer | Error, headers: Record<string, string>, url = '/'): Request {
  const req = (body instanceof Error
    ? new Readable({
        read() {
          this.destroy(body);
        },
      })
    : Readable.from([body])) as unknown as Request;
  Object.assign(req, {
    method: 'POST',
    url,
    originalUrl: url,
    headers,
    rawHeaders: Object.entries(headers).flat(),
    executionId: 'exec-2',
    socket: { remoteAddress: '127.0.0.1' },
  });
  return req;
}
