/**
 * Lambda's synchronous invocation payload limit (6 MB). Lambda rejects a larger response with its own
 * error and the caller sees a 502 from API Gateway; polycloud answers a clear 500 instead and logs
 * what happened, never a silently truncated body (PEER-BUGS #3).
 */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_556;

/** An ALB Lambda target may answer at most 1 MB of response JSON; more and ALB answers 502. */
export const ALB_RESPONSE_LIMIT_BYTES = 1_048_576;

export interface ResponseLimit {
  bytes: number;
  /** Named in the log line: `Lambda's 6 MB response payload limit`. */
  name: string;
}

export const LAMBDA_LIMIT: ResponseLimit = {
  bytes: LAMBDA_RESPONSE_LIMIT_BYTES,
  name: "Lambda's 6 MB response payload limit",
};

/**
 * The serialised size of a response when it exceeds the limit, else undefined. JSON-escaped UTF-8
 * takes at most 6 bytes per UTF-16 unit (`\u001f`), so a body well under limit/6 characters skips
 * the exact measurement (the hot path).
 * @coldStart
 */
export function oversizedResponseBytes(
  payload: { body?: unknown },
  limit: ResponseLimit,
): number | undefined {
  const body = payload.body;
  if (typeof body !== 'string') return undefined;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the fast path; measuring gives the same answer (and limit/6 is no integer, so < and <= agree)
  if (body.length < limit.bytes / 6 - 16_384) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(payload));
  return bytes > limit.bytes ? bytes : undefined;
}
