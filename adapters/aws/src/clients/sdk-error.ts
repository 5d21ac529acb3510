/**
 * An AWS SDK failure as the caller of a polycloud service reads it: which call failed (`where`), the
 * service's error code and message. The typed error carrying it (`QueueSendError`, ...) keeps the SDK
 * error as `cause` for logs.
 */
export function sdkFailureMessage(where: string, error: unknown, hint = ''): string {
  const e = error as { name?: unknown; message?: unknown };
  const code = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return `${where} failed: ${code}: ${message}${hint}`;
}
