import type { InvocationContext } from '@azure/functions';
import type { Logger } from '@polycloud/core';
import type { CompiledFunction, InvocationInit } from '@polycloud/core/adapter';
import { InvocationLogger } from './invocation-logger.ts';
import { type AzureSettings, HTTP_RESPONSE_LIMIT_MS } from './options.ts';
import type { AzureRaw } from './raw.ts';

/**
 * Per-invocation settings: the host's invocation id, its log methods, and the deadline. Azure tells
 * a worker nothing about time left, so the deadline is derived from host.json `functionTimeout`
 * (a function's `timeoutMs` can only shorten it) and, for http, the front end's 230 s cut-off.
 * @coldStart
 */
export function invocationInit(
  fn: CompiledFunction,
  input: unknown,
  context: InvocationContext,
  settings: AzureSettings,
  started = Date.now(),
): InvocationInit & { log: Logger } {
  let timeout = Math.min(fn.def.options.timeoutMs ?? Number.POSITIVE_INFINITY, settings.functionTimeoutMs);
  if (fn.def.kind === 'http') timeout = Math.min(timeout, HTTP_RESPONSE_LIMIT_MS);
  const raw: AzureRaw = { provider: 'azure', input, context };
  return {
    requestId: context.invocationId,
    deadline: started + timeout,
    raw,
    log: new InvocationLogger(context, { function: fn.name, invocationId: context.invocationId }),
  };
}

/** A function's Azure handler: what `app.*` registers, callable on its own (tests, custom hosts). */
export type AzureHandler = (input: any, context: InvocationContext) => Promise<unknown>;
