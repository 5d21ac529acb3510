/** A DI token that carries the type of what it resolves to: `ctx.get(Queue)` is typed `Queue`. */
export type Token<T> = symbol & { readonly __type?: T };

export function token<T>(name: string): Token<T> {
  return Symbol.for(`polycloud.${name}`) as Token<T>;
}
