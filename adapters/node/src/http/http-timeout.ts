import type { HttpResponse } from '@polycloud/core';
import { type AppRuntime, errorResponse } from '@polycloud/core/adapter';

/**
 * Enforces an http function's timeout: past `timeoutMs` (the function's, else the runtime's
 * default) the client gets 504 and the handler's `ctx.signal` has already aborted (core aborts it
 * a margin before the deadline). The handler cannot be stopped; its late answer is discarded.
 * Only asynchronous answers reach here: a synchronous handler has already answered.
 *
 * @example
 * const out = runtime.dispatchHttp(req, init);
 * const response = out instanceof Promise ? await answerWithin(runtime, req.method, path, out, 30_000) : out;
 */
export function answerWithin(
  runtime: AppRuntime,
  method: string,
  rawPath: string,
  pending: Promise<HttpResponse>,
  defaultTimeoutMs: number,
): Promise<HttpResponse> {
  const match = runtime.route(method, rawPath);
  const timeoutMs =
    (match.status === 200 ? match.target.def.options.timeoutMs : undefined) ?? defaultTimeoutMs;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      runtime.log.error('http handler timed out; answered 504', {
        function: match.status === 200 ? match.target.name : undefined,
        timeoutMs,
      });
      resolve(errorResponse(504, 'Gateway Timeout'));
    }, timeoutMs);
    void pending.then((response) => {
      clearTimeout(timer);
      resolve(response);
    });
  });
}
