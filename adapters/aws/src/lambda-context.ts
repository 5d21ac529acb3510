import type { AppRuntime, CompiledFunction, InvocationInit } from '@polycloud/core';
import type { Context as LambdaContext } from 'aws-lambda';
import { LazyLogger } from './lazy-logger.ts';

/** What `ctx.raw` holds on AWS: the untouched Lambda event and context. */
export interface AwsRaw<E = unknown> {
  event: E;
  context: LambdaContext;
}

/** Typed access to `ctx.raw` on AWS: `awsRaw<SQSEvent>(ctx).event.Records`. */
export function awsRaw<E = unknown>(ctx: { raw: unknown }): AwsRaw<E> {
  return ctx.raw as AwsRaw<E>;
}

/**
 * The invocation facts Lambda gives: request id and the deadline from the remaining time. The
 * per-invocation logger is left to the context, which builds it on first use.
 */
export function invocationInit(event: unknown, context: LambdaContext | undefined): InvocationInit {
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
  return {
    requestId: typeof context?.awsRequestId === 'string' ? context.awsRequestId : undefined,
    deadline:
      typeof remaining === 'number' && Number.isFinite(remaining) ? Date.now() + remaining : undefined,
    raw: { event, context } as AwsRaw,
  };
}

/** For a batch: one lazy logger per Lambda invocation, shared by every record instead of one per record. */
export function batchInvocationInit(
  runtime: AppRuntime,
  fn: CompiledFunction,
  event: unknown,
  context: LambdaContext | undefined,
): InvocationInit {
  const init = invocationInit(event, context);
  // Without a Lambda request id the runtime makes one per message and logs it itself.
  if (init.requestId)
    init.log = new LazyLogger(runtime.log, { function: fn.name, requestId: init.requestId });
  return init;
}
