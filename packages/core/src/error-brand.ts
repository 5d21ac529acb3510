/**
 * polycloud's errors cross a boundary: the app throws them, the runtime catches them. Both sides must
 * agree on `instanceof` even when they hold different copies of @polycloud/core (two installed
 * versions, or one loaded both as an ES module and as CommonJS), so each class is recognised by a
 * registered symbol on its prototype rather than by prototype identity. A subclass the user writes
 * keeps the ordinary check for itself and is still an instance of its polycloud base.
 * @coldStart
 */
export function branded(cls: abstract new (...args: never[]) => Error, name: string): void {
  const brand = Symbol.for(`polycloud.error.${name}`);
  Object.defineProperty(cls.prototype, brand, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, value);
      return (
        typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
      );
    },
  });
}
