/**
 * The cost core adds on every invocation: routing, context, middleware chain, result
 * normalisation, error boundary. Compare the two rows in one run: the ratio is the claim.
 */
import { defineApp, HttpRequest, http } from '@polycloud/core';
import { AppRuntime, bindApp, utf8 } from '@polycloud/core/adapter';
import { bench, describe } from 'vitest';

const app = defineApp({
  functions: {
    getTodo: http('GET /todos/:id', (req) => ({ id: req.params.id, ok: true })),
    other: http('POST /todos', () => ({ status: 201 })),
    files: http('ANY /files/*', () => 'x'),
  },
});
const runner = bindApp(new AppRuntime(app, { name: 'node', sink: () => {} }));

const headers = { host: 'example.com', 'user-agent': 'bench', accept: 'application/json' };

/** What a user would write by hand without polycloud: parse the path, answer JSON bytes. */
async function raw(method: string, path: string) {
  const match = /^\/todos\/([^/]+)$/.exec(path);
  if (method !== 'GET' || !match) return { status: 404, headers: {}, body: new Uint8Array() };
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: utf8(JSON.stringify({ id: decodeURIComponent(match[1]!), ok: true })),
  };
}

describe('http dispatch', () => {
  bench('raw hand-written handler', async () => {
    await raw('GET', '/todos/42');
  });
  bench('polycloud bindApp(runtime).http', async () => {
    await runner.http(() => new HttpRequest({ method: 'GET', rawPath: '/todos/42', headers, query: 'a=1' }), {
      requestId: 'r',
    });
  });
});
