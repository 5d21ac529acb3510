/**
 * `target[key] = value` that always makes an own property: assigning `__proto__` (a key JSON.parse
 * happily produces from client input) would instead replace the target's prototype, dropping the
 * field and letting the value's keys show through as inherited ones.
 */
export function setOwnProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  // Stryker disable next-line ConditionalExpression: `true` defines every key; on a plain object that is the same own, enumerable, writable field an assignment makes (`false` is killed: the prototype is replaced)
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
