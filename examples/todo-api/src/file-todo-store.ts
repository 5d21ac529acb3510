import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Todo, TodoStore } from './todo-store.ts';

/**
 * Todos in one JSON file that every function instance shares: a stand-in for the database a real
 * deployment binds. On AWS and GCP each function runs in its own process (a Lambda, a Cloud Run
 * function), so the in-memory store would give `createTodo` and `getTodo` two different lists;
 * the differential end-to-end suite runs every provider against one of these files.
 */
export class FileTodoStore implements TodoStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  async list(): Promise<Todo[]> {
    return Object.values(this.#read());
  }

  async get(id: string): Promise<Todo | undefined> {
    return this.#read()[id];
  }

  async create(input: { title: string; done?: boolean }): Promise<Todo> {
    const todo: Todo = {
      id: randomUUID(),
      title: input.title,
      done: input.done ?? false,
      createdAt: new Date().toISOString(),
    };
    const todos = this.#read();
    todos[todo.id] = todo;
    this.#write(todos);
    return todo;
  }

  async update(id: string, patch: Partial<Pick<Todo, 'title' | 'done'>>): Promise<Todo | undefined> {
    const todos = this.#read();
    const todo = todos[id];
    if (!todo) return undefined;
    todos[id] = { ...todo, ...patch };
    this.#write(todos);
    return todos[id];
  }

  async delete(id: string): Promise<boolean> {
    const todos = this.#read();
    if (!todos[id]) return false;
    delete todos[id];
    this.#write(todos);
    return true;
  }

  #read(): Record<string, Todo> {
    return existsSync(this.#file)
      ? (JSON.parse(readFileSync(this.#file, 'utf8')) as Record<string, Todo>)
      : {};
  }

  /** Whole-file replace: a reader in another process never sees half a file. */
  #write(todos: Record<string, Todo>): void {
    const next = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(next, JSON.stringify(todos));
    renameSync(next, this.#file);
  }
}
