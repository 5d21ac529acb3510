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
 * @coldStart
 */
export function token<T>(name: string): Token<T> {
  return Symbol.for(`polycloud.${name}`) as Token<T>;
}

/**
 * What `ctx.get` accepts: a {@link Token}, or a class bound in a container module (resolved as its
 * instance type, the way inversify binds classes).
 *
 * @example
 * class OrderStore { get(id: string) { return { id }; } }
 * const store = ctx.get(OrderStore); // typed OrderStore
 */
// `any[]` constructor arguments, as inversify's own `AbstractNewable`: any class, whatever its constructor takes.
export type ServiceKey<T> = Token<T> | (abstract new (...args: any[]) => T);
