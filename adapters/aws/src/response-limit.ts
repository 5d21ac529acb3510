/**
 * Lambda's synchronous invocation payload limit (6 MB). Lambda rejects a larger response with its own
 * error and the caller sees a 502 from API Gateway; polycloud answers a clear 500 instead and logs
 * what happened, never a silently truncated body (PEER-BUGS #3).
 */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_556;

/**
 * JSON-escaped UTF-8 takes at most 6 bytes per UTF-16 unit (`\u001f`), so a body under this many
 * characters cannot reach the limit and skips the exact measurement (the hot path).
 */
const FAST_PATH_CHARS = 1_000_000;

/** The serialised size of a response when it exceeds the limit, else undefined. */
export function oversizedResponseBytes(payload: { body?: unknown }): number | undefined {
  const body = payload.body;
  if (typeof body !== 'string' || body.length < FAST_PATH_CHARS) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(payload));
  return bytes > LAMBDA_RESPONSE_LIMIT_BYTES ? bytes : undefined;
}
