import type { InvocationInit } from '@polycloud/core';
import type { Context as LambdaContext } from 'aws-lambda';

/** What `ctx.raw` holds on AWS: the untouched Lambda event and context. */
export interface AwsRaw<E = unknown> {
  event: E;
  context: LambdaContext;
}

/** Typed access to `ctx.raw` on AWS: `awsRaw<SQSEvent>(ctx).event.Records`. */
export function awsRaw<E = unknown>(ctx: { raw: unknown }): AwsRaw<E> {
  return ctx.raw as AwsRaw<E>;
}

/** The invocation facts Lambda gives: request id and the deadline from the remaining time. */
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
