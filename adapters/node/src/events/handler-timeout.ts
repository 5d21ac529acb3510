import {
  type AppRuntime,
  bindFunction,
  type CompiledFunction,
  type InvocationInit,
} from '@polycloud/core/adapter';

/** A message handler ran past its function's timeout: a failure, so the message is retried. */
export class HandlerTimeoutError extends Error {
  override readonly name = 'HandlerTimeoutError';
}

/**
 * Runs a queue/topic/schedule handler, failing it when it outlives the function's timeout
 * (`timeoutMs` in its options, else the runtime's default). JavaScript cannot stop the handler:
 * its `ctx.signal` aborts (core aborts it a margin before the deadline) and the delivery is
 * counted as failed, so the broker retries or dead-letters the message instead of waiting on it
 * for ever. A handler that resolves late changes nothing.
 *
 * @example
 * await handleWithin(runtime, fn, message, { requestId: message.id }, 30_000);
 */
export function handleWithin(
  runtime: AppRuntime,
  fn: CompiledFunction,
  event: unknown,
  init: InvocationInit,
  defaultTimeoutMs: number,
): Promise<unknown> {
  const timeoutMs = fn.def.options.timeoutMs ?? defaultTimeoutMs;
  // Through core's runner, like every adapter: the handler's failure is logged once, with the
  // message id, and comes back as an outcome (rethrown here so the broker counts the delivery).
  const run = Promise.resolve(bindFunction(runtime, fn).event(() => event, init)).then((outcome) => {
    if (outcome.outcome !== 'handled') throw outcome.error;
    return outcome.value;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      runtime.log.error(`${fn.def.kind} handler timed out`, {
        function: fn.name,
        timeoutMs,
        requestId: init.requestId,
      });
      reject(new HandlerTimeoutError(`${fn.name} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    run.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** `Name: message` of a handler's error, as kept with a dead letter. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
