/**
 * The node:http pieces the node and GCP adapters share (adapter/node-http-request.ts,
 * node-http-response.ts), on a real node:http server on 127.0.0.1 driven over a raw socket, so the
 * bytes on the wire are what is asserted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BodyTooLargeError,
  declaresBody,
  headerPairs,
  jsonResponse,
  readNodeBody,
  refuseBodyTooLarge,
  writeNodeResponse,
} from '../src/adapter.ts';
import type { HttpResponse } from '../src/index.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
let handler: Handler = (_req, res) => {
  res.end();
};
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.statusCode = 599;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface WireAnswer {
  status: number;
  /** Header lines as sent, names lower-cased, in order. */
  headers: [string, string][];
  body: Buffer;
}

/** One request written byte for byte on a fresh connection; the answer read until the server closes. */
function exchange(head: string, body: Uint8Array = new Uint8Array(0)): Promise<WireAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const lines = all.subarray(0, split).toString('latin1').split('\r\n');
      const status = Number(lines[0]!.split(' ')[1]);
      const headers = lines.slice(1).map((line): [string, string] => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
      });
      resolve({ status, headers, body: all.subarray(split + 4) });
    });
    socket.write(`${head.replace(/\n/g, '\r\n')}\r\n`);
    socket.end(body);
  });
}

const header = (answer: WireAnswer, name: string) =>
  answer.headers.filter(([n]) => n === name).map(([, v]) => v);
const response = (init: Partial<HttpResponse>): HttpResponse => ({
  status: 200,
  headers: {},
  cookies: [],
  body: '',
  ...init,
});
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('reading a node:http request', () => {
  it('headerPairs keeps repeated headers, their order and their spelling; req.headers would fold them', async () => {
    let pairs: [string, string][] = [];
    let folded: unknown;
    handler = (req, res) => {
      pairs = headerPairs(req);
      folded = req.headers['x-tag'];
      res.end();
    };
    await exchange(
      'GET /h HTTP/1.1\nHost: here\nX-Tag: one\nx-tag: two\nCookie: a=1\nCookie: b=2\nConnection: close\n',
    );
    expect(pairs).toEqual([
      ['Host', 'here'],
      ['X-Tag', 'one'],
      ['x-tag', 'two'],
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
      ['Connection', 'close'],
    ]);
    expect(folded).toBe('one, two');
  });

  it.each([
    ['a GET with no framing headers', 'GET / HTTP/1.1\nHost: x\nConnection: close\n', false],
    ['Content-Length: 0', 'POST / HTTP/1.1\nHost: x\nContent-Length: 0\nConnection: close\n', false],
    ['Content-Length: 3', 'POST / HTTP/1.1\nHost: x\ncontent-length: 3\nConnection: close\n', true],
    ['chunked', 'POST / HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nConnection: close\n', true],
    // Other headers with the framing headers' name lengths (14, 17 characters) declare nothing.
    ['Accept-Charset', 'GET / HTTP/1.1\nHost: x\nAccept-Charset: utf-8\nConnection: close\n', false],
    [
      'If-Modified-Since',
      'GET / HTTP/1.1\nHost: x\nIf-Modified-Since: Wed, 21 Oct 2015 07:28:00 GMT\nConnection: close\n',
      false,
    ],
  ])('declaresBody: %s → %s', async (_what, head, expected) => {
    let declared: boolean | undefined;
    handler = (req, res) => {
      declared = declaresBody(req);
      req.resume();
      req.on('end', () => res.end());
    };
    const body = head.includes('chunked') ? '3\r\nabc\r\n0\r\n\r\n' : head.includes(': 3') ? 'abc' : '';
    await exchange(head, Buffer.from(body));
    expect(declared).toBe(expected);
  });

  it('readNodeBody returns every byte value as sent, with Content-Length and chunked', async () => {
    const seen: Buffer[] = [];
    handler = async (req, res) => {
      seen.push(await readNodeBody(req, 1024));
      res.end();
    };
    await exchange(`POST / HTTP/1.1\nHost: x\nContent-Length: 256\nConnection: close\n`, ALL_BYTES);
    const chunked = Buffer.concat([
      Buffer.from('80\r\n'),
      ALL_BYTES.subarray(0, 128),
      Buffer.from('\r\n80\r\n'),
      ALL_BYTES.subarray(128),
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    await exchange(`POST / HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\nConnection: close\n`, chunked);
    expect(seen.map((b) => [...b])).toEqual([[...ALL_BYTES], [...ALL_BYTES]]);
  });

  it.each([
    ['a declared Content-Length past the limit', 'Content-Length: 17', Buffer.alloc(17, 1)],
    [
      'a chunked body that passes the limit',
      'Transfer-Encoding: chunked',
      Buffer.from(`10\r\n${'a'.repeat(16)}\r\n1\r\nb\r\n0\r\n\r\n`),
    ],
    // Refused from the head alone: the client may wait for a 100-continue or an answer before sending.
    ['a declared Content-Length past the limit, no body sent', 'Content-Length: 17', Buffer.alloc(0)],
  ])('%s: BodyTooLargeError, answered 413 JSON with Connection: close', async (_what, framing, body) => {
    const errors: unknown[] = [];
    handler = async (req, res) => {
      try {
        await readNodeBody(req, 16);
        res.end('read');
      } catch (error) {
        errors.push(error);
        if (error instanceof BodyTooLargeError) refuseBodyTooLarge(res, error.limit);
        else throw error;
      }
    };
    const answer = await exchange(`POST / HTTP/1.1\nHost: x\n${framing}\n`, body);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(BodyTooLargeError);
    expect(errors[0]).toMatchObject({
      name: 'BodyTooLargeError',
      limit: 16,
      message: 'request body exceeds the 16-byte limit',
    });
    expect(answer.status).toBe(413);
    expect(header(answer, 'connection')).toEqual(['close']);
    expect(header(answer, 'content-type')).toEqual(['application/json']);
    expect(JSON.parse(answer.body.toString())).toEqual({ error: 'request body exceeds the 16-byte limit' });
  });

  it('a broken upload (the client gone mid-body) rejects with the stream’s error', async () => {
    const failed = new Promise<unknown>((resolve) => {
      handler = async (req) => {
        await readNodeBody(req, 1024).then(
          () => resolve('read'),
          (error: unknown) => resolve(error),
        );
      };
    });
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789', () => {
      setTimeout(() => socket.destroy(), 50);
    });
    const error = await failed;
    expect(error).toBeInstanceOf(Error);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('a body exactly at the limit is read', async () => {
    let read: Buffer | undefined;
    handler = async (req, res) => {
      read = await readNodeBody(req, 16);
      res.end();
    };
    await exchange('POST / HTTP/1.1\nHost: x\nContent-Length: 16\nConnection: close\n', Buffer.alloc(16, 7));
    expect(read).toEqual(Buffer.alloc(16, 7));
  });
});

describe('writing a node:http response', () => {
  const get = (method = 'GET') => exchange(`${method} / HTTP/1.1\nHost: x\nConnection: close\n`);

  it('each cookie on its own Set-Cookie line, headers as given, Content-Length of the bytes', async () => {
    handler = (_req, res) =>
      writeNodeResponse(
        res,
        response({
          status: 201,
          headers: { 'content-type': 'text/plain; charset=utf-8', vary: 'accept, origin' },
          cookies: ['a=1; Path=/', 'b=2; HttpOnly; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
          body: 'héllo',
        }),
      );
    const answer = await get();
    expect(answer.status).toBe(201);
    expect(header(answer, 'set-cookie')).toEqual([
      'a=1; Path=/',
      'b=2; HttpOnly; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
    ]);
    expect(header(answer, 'vary')).toEqual(['accept, origin']);
    expect(header(answer, 'content-length')).toEqual(['6']);
    expect(answer.body.toString('utf8')).toBe('héllo');
  });

  it('binary bodies go out byte for byte', async () => {
    handler = (_req, res) =>
      writeNodeResponse(
        res,
        response({ headers: { 'content-type': 'application/octet-stream' }, body: ALL_BYTES }),
      );
    const answer = await get();
    expect(header(answer, 'content-length')).toEqual(['256']);
    expect([...answer.body]).toEqual([...ALL_BYTES]);
  });

  it("HEAD: the GET answer's headers and Content-Length, no body bytes", async () => {
    handler = (_req, res) =>
      writeNodeResponse(
        res,
        response({ headers: { 'content-type': 'application/json' }, cookies: ['s=1'], body: '{"ok":true}' }),
      );
    const answer = await get('HEAD');
    expect(answer.status).toBe(200);
    expect(header(answer, 'content-length')).toEqual(['11']);
    expect(header(answer, 'set-cookie')).toEqual(['s=1']);
    expect(answer.body.length).toBe(0);
  });

  it.each([204, 304])('%s: neither body nor Content-Length', async (status) => {
    handler = (_req, res) => writeNodeResponse(res, response({ status, body: 'ignored' }));
    const answer = await get();
    expect(answer.status).toBe(status);
    expect(header(answer, 'content-length')).toEqual([]);
    expect(answer.body.length).toBe(0);
  });

  it('a header set earlier with setHeader is merged; a response already started is only ended', async () => {
    handler = (_req, res) => {
      res.setHeader('x-early', 'yes');
      writeNodeResponse(res, response({ headers: { 'x-late': 'too' }, body: 'one' }));
      writeNodeResponse(res, response({ status: 500, body: 'two' }));
    };
    const answer = await get();
    expect(answer.status).toBe(200);
    expect(header(answer, 'x-early')).toEqual(['yes']);
    expect(header(answer, 'x-late')).toEqual(['too']);
    expect(answer.body.toString()).toBe('one');
  });

  it('refuseBodyTooLarge on a response already started only ends it', async () => {
    let thrown: unknown;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('started');
      try {
        refuseBodyTooLarge(res, 16);
      } catch (error) {
        thrown = error;
        res.end();
      }
    };
    const answer = await get();
    expect(thrown).toBeUndefined();
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toContain('started');
  });

  it('a header value Node refuses throws before anything is sent, so another answer can be written', async () => {
    let thrown: unknown;
    handler = (_req, res) => {
      try {
        writeNodeResponse(res, response({ headers: { 'x-bad': 'a\nb' }, body: 'never' }));
      } catch (error) {
        thrown = error;
        writeNodeResponse(res, jsonResponse(500, { error: 'Internal Server Error' }));
      }
    };
    const answer = await get();
    expect((thrown as NodeJS.ErrnoException).code).toBe('ERR_INVALID_CHAR');
    expect(answer.status).toBe(500);
    expect(header(answer, 'x-bad')).toEqual([]);
    expect(answer.body.toString()).toBe('{"error":"Internal Server Error"}');
  });

  it('jsonResponse: JSON with its content type, or no body at all; extra headers as given', () => {
    expect(jsonResponse(200, { n: 1 }, { 'retry-after': '1' })).toEqual({
      status: 200,
      headers: { 'retry-after': '1', 'content-type': 'application/json' },
      cookies: [],
      body: '{"n":1}',
    });
    const empty = jsonResponse(405, undefined, { allow: 'POST' });
    expect(empty.headers).toEqual({ allow: 'POST' });
    expect(empty.body.length).toBe(0);
  });
});
