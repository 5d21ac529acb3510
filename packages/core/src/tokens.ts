/**
 * A DI token that carries the type of what it resolves to: `ctx.get(Queue)` is typed `Queue`.
 *
 * @example
 * const Store: Token<TodoStore> = token<TodoStore>('TodoStore');
 */
export type Token<T> = symbol & { readonly __type?: T };

/**
 * Creates a typed container key; bind it in a container module, resolve it with `ctx.get`.
 *
 * @example
 * export const TodoStore = token<TodoStore>('example.TodoStore');
 * const store = ctx.get(TodoStore);
 */
export function token<T>(name: string): Token<T> {
  return Symbol.for(`polycloud.${name}`) as Token<T>;
}
