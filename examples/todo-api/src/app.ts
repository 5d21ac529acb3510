import { defineApp, HttpError, http } from '@polycloud/core';
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { FileTodoStore } from './file-todo-store.ts';
import { InMemoryTodoStore, TodoStore } from './todo-store.ts';

const NewTodo = z.object({ title: z.string().trim().min(1).max(200), done: z.boolean().optional() });
const TodoPatch = z
  .object({ title: z.string().trim().min(1).max(200).optional(), done: z.boolean().optional() })
  .strict();

// In memory by default (one process: node, dev). TODO_STORE_FILE shares one file between every
// function instance, which one-process-per-function providers (Lambda, Cloud Run) need.
const storeModule = new ContainerModule(({ bind }) => {
  const file = process.env.TODO_STORE_FILE;
  if (file) bind(TodoStore).toConstantValue(new FileTodoStore(file));
  else bind(TodoStore).to(InMemoryTodoStore).inSingletonScope();
});

export default defineApp({
  name: 'todo-api',
  modules: [storeModule],
  functions: {
    // ?done=true|false filters; ?q= keeps titles containing every given word (repeat q for more).
    listTodos: http('GET /todos', async (req, ctx) => {
      const done = req.query.get('done');
      if (done !== null && done !== 'true' && done !== 'false')
        throw new HttpError(400, 'done must be true or false');
      const words = req.query.getAll('q').map((w) => w.toLowerCase());
      return (await ctx.get(TodoStore).list()).filter(
        (t) =>
          (done === null || t.done === (done === 'true')) &&
          words.every((w) => t.title.toLowerCase().includes(w)),
      );
    }),
    createTodo: http('POST /todos', { body: NewTodo }, async (req, ctx) => ({
      status: 201,
      body: await ctx.get(TodoStore).create(req.data),
    })),
    getTodo: http('GET /todos/:id', async (req, ctx) => {
      const todo = await ctx.get(TodoStore).get(req.params.id!);
      if (!todo) throw new HttpError(404, `no todo ${req.params.id}`);
      return todo;
    }),
    updateTodo: http('PATCH /todos/:id', { body: TodoPatch }, async (req, ctx) => {
      const todo = await ctx.get(TodoStore).update(req.params.id!, req.data);
      if (!todo) throw new HttpError(404, `no todo ${req.params.id}`);
      return todo;
    }),
    deleteTodo: http('DELETE /todos/:id', async (req, ctx) => {
      if (!(await ctx.get(TodoStore).delete(req.params.id!)))
        throw new HttpError(404, `no todo ${req.params.id}`);
      return { status: 204 };
    }),
  },
});
