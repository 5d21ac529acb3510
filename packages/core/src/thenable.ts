/**
 * A handler's result as the promise to wait for, or undefined when it is a plain value. Any object
 * with a `then` method counts (Bluebird, another realm's Promise), as `await` would treat it: such a
 * result must never pass for a synchronous success, or a message that later fails is acknowledged.
 * @coldStart
 */
export function pendingResult(value: unknown): Promise<unknown> | undefined {
  // Stryker disable next-line ConditionalExpression: a fast path; Promise.resolve hands a native promise back as it is
  if (value instanceof Promise) return value;
  if (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  ) {
    return Promise.resolve(value);
  }
  return undefined;
}
