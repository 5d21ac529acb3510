let crypto: typeof import('node:crypto') | undefined;

/**
 * A new request id, for an invocation its provider gave none (the node runtime, `polycloud invoke`,
 * a FunctionClient call in process). node:crypto is loaded on the first call, not at import: Lambda,
 * Azure and GCP give every invocation an id, and importing node:crypto cost about 4 ms of every
 * cold start (issue 12).
 *
 * @example
 * const id = init.requestId ?? newRequestId();
 */
export function newRequestId(): string {
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto.randomUUID();
}
