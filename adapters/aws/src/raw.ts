import type { Context as LambdaContext } from 'aws-lambda';

/**
 * What `ctx.raw` holds on AWS: the untouched Lambda event and context (docs/neutral-model.md).
 *
 * @example
 * const { event } = ctx.raw as AwsRaw<SQSEvent>;
 */
export interface AwsRaw<E = unknown> {
  provider: 'aws';
  event: E;
  context: LambdaContext;
}

/**
 * Typed access to `ctx.raw` on AWS; a `TypeError` when the function runs elsewhere.
 *
 * @example
 * const records = awsRaw<SQSEvent>(ctx).event.Records;
 */
export function awsRaw<E = unknown>(ctx: { raw: unknown }): AwsRaw<E> {
  const raw = ctx.raw as AwsRaw<E> | undefined;
  if (raw?.provider !== 'aws') throw new TypeError('ctx.raw is not an AWS Lambda invocation');
  return raw;
}
