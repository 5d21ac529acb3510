import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A provider's built app, reachable over HTTP the way its clients reach it. */
export interface Front {
  readonly url: string;
  /** Stops every process and server it started, by PID. */
  close(): Promise<void>;
}

export interface FrontRequest {
  method: string;
  /** Path as sent, percent-encoding intact. */
  rawPath: string;
  /** Query string without `?`, as sent. */
  rawQuery: string;
  /** Header lines in wire order. */
  headers: [string, string][];
  body: Uint8Array;
}

export interface FrontResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** An HTTP server on 127.0.0.1 that hands each request, fully read, to `handle`. */
export async function listen(handle: (req: FrontRequest) => Promise<FrontResponse>): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      handle({
        method: req.method ?? 'GET',
        rawPath: q === -1 ? url : url.slice(0, q),
        rawQuery: q === -1 ? '' : url.slice(q + 1),
        headers,
        body: new Uint8Array(Buffer.concat(chunks)),
      }).then(
        (out) => {
          res.statusCode = out.status;
          const grouped = new Map<string, string[]>();
          for (const [k, v] of out.headers) grouped.set(k, [...(grouped.get(k) ?? []), v]);
          for (const [k, v] of grouped) res.setHeader(k, v.length === 1 ? v[0]! : v);
          // A HEAD answer carries no body, whatever the function returned (every front end drops it).
          res.end(req.method === 'HEAD' || out.body.length === 0 ? undefined : out.body);
        },
        (error: unknown) => {
          res.statusCode = 599;
          res.end(`front failed: ${error instanceof Error ? error.stack : String(error)}`);
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server;
}

export function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const TEXT = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))/i;

/** Whether a gateway passes this body as text (else base64): text types without a content-encoding. */
export function isTextBody(headers: [string, string][]): boolean {
  const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
  const encoding = get('content-encoding');
  if (encoding && encoding !== 'identity') return false;
  return TEXT.test(get('content-type') ?? '');
}

/** Passes a request on to `base` unchanged (header lines in order) and reads the answer back. */
export function forward(base: string, req: FrontRequest): Promise<FrontResponse> {
  const url = new URL(base);
  const flat: string[] = [];
  for (const [k, v] of req.headers) flat.push(k, v);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.rawPath + (req.rawQuery ? `?${req.rawQuery}` : ''),
        headers: flat,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: [string, string][] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            headers.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          resolve({ status: res.statusCode ?? 0, headers, body: new Uint8Array(Buffer.concat(chunks)) });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body.length ? req.body : undefined);
  });
}
