/**
 * A function the provider sends requests to directly (a Cloud Run function's URL, a Lambda behind a
 * catch-all route) runs only for its own method and route, and answers the rest as node's router does.
 */
import { describe, expect, it } from 'vitest';
import { AppRuntime, bindFunction } from '../src/adapter.ts';
import { defineApp, HttpRequest, http } from '../src/index.ts';

const app = defineApp({
  name: 'routes',
  functions: {
    listTodos: http('GET /todos', () => ['listed']),
    createTodo: http('POST /todos', () => ({ status: 201, body: { created: true } })),
    getTodo: http('GET /todos/:id', (req) => ({ id: req.params.id })),
  },
});
const runtime = new AppRuntime(app, { name: 'node', sink: () => {} });
const send = async (fn: string, method: string, rawPath: string) => {
  const res = await bindFunction(runtime, fn).http(() => new HttpRequest({ method, rawPath }));
  return {
    status: res.status,
    allow: res.headers.allow,
    body: typeof res.body === 'string' ? res.body : new TextDecoder().decode(res.body),
  };
};

describe('a function sent a request directly', () => {
  it('runs for its own route and method, HEAD included where GET is', async () => {
    expect(await send('getTodo', 'GET', '/todos/7')).toMatchObject({ status: 200, body: '{"id":"7"}' });
    expect((await send('getTodo', 'HEAD', '/todos/7')).status).toBe(200);
  });

  it('a method the app serves nowhere on that path: 405 with the app’s Allow for it', async () => {
    expect(await send('getTodo', 'POST', '/todos/7')).toEqual({
      status: 405,
      allow: 'GET, HEAD',
      body: '{"error":"Method Not Allowed"}',
    });
    expect(await send('listTodos', 'DELETE', '/todos')).toMatchObject({
      status: 405,
      allow: 'GET, HEAD, POST',
    });
  });

  it('a path no route serves, or a request another function serves (misdirected): 404, never running it', async () => {
    expect(await send('getTodo', 'GET', '/')).toEqual({
      status: 404,
      allow: undefined,
      body: '{"error":"Not Found"}',
    });
    expect(await send('listTodos', 'POST', '/todos')).toMatchObject({ status: 404 });
    expect(await send('getTodo', 'GET', '/todos')).toMatchObject({ status: 404 });
  });
});
