import { handle, type NodeServer } from '@polycloud/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app from '../src/app.ts';
import { type Todo, TodoStore } from '../src/todo-store.ts';

let server: NodeServer;
beforeAll(async () => {
  server = await handle(app, { port: 0, schedules: false, handleSignals: false });
});
afterAll(() => server.close());

const json = (method: string, body?: unknown) => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: body === undefined ? undefined : JSON.stringify(body),
});

describe('examples/todo-api on the node runtime', () => {
  it('creates, reads, updates, lists and deletes a todo', async () => {
    const created = await fetch(`${server.url}/todos`, json('POST', { title: '  buy milk ' }));
    expect(created.status).toBe(201);
    const todo = (await created.json()) as Todo;
    expect(todo).toMatchObject({ title: 'buy milk', done: false });
    const patched = await fetch(`${server.url}/todos/${todo.id}`, json('PATCH', { done: true }));
    expect(await patched.json()).toMatchObject({ id: todo.id, done: true });
    expect(((await (await fetch(`${server.url}/todos`)).json()) as Todo[]).map((t) => t.id)).toContain(
      todo.id,
    );
    expect((await fetch(`${server.url}/todos/${todo.id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await fetch(`${server.url}/todos/${todo.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: `no todo ${todo.id}` });
  });

  it('validates bodies with the schema and names the failing field', async () => {
    const res = await fetch(`${server.url}/todos`, json('POST', { title: '', done: 'yes' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { path: string }[] };
    expect(body.issues.map((i) => i.path).sort()).toEqual(['body.done', 'body.title']);
    const extra = await fetch(`${server.url}/todos/x`, json('PATCH', { owner: 'me' }));
    expect(extra.status).toBe(400);
  });

  it('resolves its store from the container, so a test can swap it', async () => {
    server.runtime.container.rebind(TodoStore).toConstantValue({
      list: async () => [
        { id: 'fake', title: 'from a fake store', done: false, createdAt: '2026-01-01T00:00:00Z' },
      ],
      get: async () => undefined,
      create: async () => {
        throw new Error('read-only');
      },
      update: async () => undefined,
      delete: async () => false,
    });
    expect(await (await fetch(`${server.url}/todos`)).json()).toEqual([
      { id: 'fake', title: 'from a fake store', done: false, createdAt: '2026-01-01T00:00:00Z' },
    ]);
    const failed = await fetch(`${server.url}/todos`, json('POST', { title: 'x' }));
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain('read-only');
  });
});
