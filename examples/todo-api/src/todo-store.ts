import { randomUUID } from 'node:crypto';
import { token } from '@polycloud/core';
import { injectable } from 'inversify';

export interface Todo {
  id: string;
  title: string;
  done: boolean;
  createdAt: string;
}

/** Where todos live; bound in the container so tests (and other deployments) can swap it. */
export interface TodoStore {
  list(): Promise<Todo[]>;
  get(id: string): Promise<Todo | undefined>;
  create(input: { title: string; done?: boolean }): Promise<Todo>;
  update(id: string, patch: Partial<Pick<Todo, 'title' | 'done'>>): Promise<Todo | undefined>;
  delete(id: string): Promise<boolean>;
}
export const TodoStore = token<TodoStore>('example.TodoStore');

/** Per-process store: fine for the node runtime and for demos; a real deployment binds a database. */
@injectable()
export class InMemoryTodoStore implements TodoStore {
  readonly #todos = new Map<string, Todo>();

  async list(): Promise<Todo[]> {
    return [...this.#todos.values()];
  }

  async get(id: string): Promise<Todo | undefined> {
    return this.#todos.get(id);
  }

  async create(input: { title: string; done?: boolean }): Promise<Todo> {
    const todo: Todo = {
      id: randomUUID(),
      title: input.title,
      done: input.done ?? false,
      createdAt: new Date().toISOString(),
    };
    this.#todos.set(todo.id, todo);
    return todo;
  }

  async update(id: string, patch: Partial<Pick<Todo, 'title' | 'done'>>): Promise<Todo | undefined> {
    const todo = this.#todos.get(id);
    if (!todo) return undefined;
    const next = { ...todo, ...patch };
    this.#todos.set(id, next);
    return next;
  }

  async delete(id: string): Promise<boolean> {
    return this.#todos.delete(id);
  }
}
