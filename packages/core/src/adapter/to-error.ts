/**
 * Any thrown value as an `Error`: handlers may throw strings or plain objects, and loggers and
 * providers want an `Error` (a message, a name, a stack).
 *
 * @example
 * try { await work(); } catch (thrown) { log.error('work failed', { error: toError(thrown) }); }
 */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
