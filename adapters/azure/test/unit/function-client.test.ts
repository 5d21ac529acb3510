import '../support/host/functions-core.ts';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, defineApp, FunctionClient, FunctionInvokeError, http, queue } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { handle } from '../../src/index.ts';

interface Seen {
  method: string;
  url: string;
  key: string | undefined;
  body: string;
}
const seen: Seen[] = [];
let server: Server;
let baseUrl: string;

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method!, url: req.url!, key: req.headers['x-functions-key'] as string, body });
    if (req.url!.startsWith('/api/todos/')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: req.url }));
    } else if (req.url === '/api/orders') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"Internal Server Error"}');
    } else if (req.url!.startsWith('/admin/functions/')) {
      res.writeHead(202).end();
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const app = defineApp({
  name: 'client',
  functions: {
    getTodo: http('GET /todos/:id', () => 'unused'),
    createOrder: http('POST /orders', () => 'unused'),
    work: queue('work', () => {}),
  },
});

function client(azure: Record<string, unknown>) {
  const reg = handle(app, { config: { provider: 'azure', providers: { azure } }, env: {} });
  return reg.runtime.resolve(FunctionClient);
}

describe('FunctionClient over HTTPS (a real node:http server on 127.0.0.1)', () => {
  test('an http target is called on its route with the function key', async () => {
    const c = client({ baseUrl, functionKey: 'fk-1' });
    expect(await c.invoke('getTodo', { id: 'a b' })).toEqual({ got: '/api/todos/a%20b' });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/todos/a%20b', key: 'fk-1' });
  });

  test('an error answer becomes FunctionInvokeError with the status', async () => {
    const c = client({ baseUrl, functionKey: 'fk-1' });
    const error = await c.invoke('createOrder', { n: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvokeError);
    expect(error).toMatchObject({ status: 500, errorMessage: 'Internal Server Error' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/orders', body: '{"n":1}' });
  });

  test('a non-http target runs through the admin endpoint with the master key', async () => {
    const c = client({ baseUrl, masterKey: 'mk-1' });
    expect(await c.invoke('work', { job: 7 })).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/admin/functions/work', key: 'mk-1' });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ input: '{"job":7}' });
  });

  test('a missing master key, base URL or function name is a clear error', async () => {
    await expect(client({ baseUrl }).invoke('work', {})).rejects.toBeInstanceOf(ConfigError);
    await expect(client({}).invoke('getTodo', {})).rejects.toThrow(/baseUrl/);
    await expect(client({ baseUrl }).invoke('nope', {})).rejects.toThrow(/no function named "nope"/);
  });

  test('an unreachable target is a FunctionInvokeError, not a hang', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await client({ baseUrl: `http://127.0.0.1:${port}` })
      .invoke('getTodo', { id: '1' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FunctionInvokeError', errorType: 'NetworkError' });
  });
});
