import { defineApp, HttpError, http } from '@polycloud/core';
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { InMemoryTodoStore, TodoStore } from './todo-store.ts';

const NewTodo = z.object({ title: z.string().trim().min(1).max(200), done: z.boolean().optional() });
const TodoPatch = z
  .object({ title: z.string().trim().min(1).max(200).optional(), done: z.boolean().optional() })
  .strict();

const storeModule = new ContainerModule(({ bind }) => {
  bind(TodoStore).to(InMemoryTodoStore).inSingletonScope();
});

export default defineApp({
  name: 'todo-api',
  modules: [storeModule],
  functions: {
    listTodos: http('GET /todos', async (_req, ctx) => ctx.get(TodoStore).list()),
    createTodo: http('POST /todos', { body: NewTodo }, async (req, ctx) => ({
      status: 201,
      body: await ctx.get(TodoStore).create(req.data),
    })),
    getTodo: http('GET /todos/:id', async (req, ctx) => {
      const todo = await ctx.get(TodoStore).get(req.params.id);
      if (!todo) throw new HttpError(404, `no todo ${req.params.id}`);
      return todo;
    }),
    updateTodo: http('PATCH /todos/:id', { body: TodoPatch }, async (req, ctx) => {
      const todo = await ctx.get(TodoStore).update(req.params.id, req.data);
      if (!todo) throw new HttpError(404, `no todo ${req.params.id}`);
      return todo;
    }),
    deleteTodo: http('DELETE /todos/:id', async (req, ctx) => {
      if (!(await ctx.get(TodoStore).delete(req.params.id)))
        throw new HttpError(404, `no todo ${req.params.id}`);
      return { status: 204 };
    }),
  },
});
