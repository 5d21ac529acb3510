/**
 * An AWS SDK failure as the caller of a polycloud service sees it: which call failed (`where`), the
 * service's error code and message; the SDK error stays reachable as `cause` for logs.
 */
export function sdkError(where: string, error: unknown, hint = ''): Error {
  const e = error as { name?: unknown; message?: unknown };
  const code = typeof e?.name === 'string' ? e.name : 'Error';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return new Error(`${where} failed: ${code}: ${message}${hint}`, { cause: error });
}
