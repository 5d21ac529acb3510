import type { HttpRequest as AzureHttpRequest, InvocationContext } from '@azure/functions';

/**
 * What `ctx.raw` holds on Azure: the trigger input as @azure/functions handed it, and its
 * invocation context (docs/neutral-model.md).
 *
 * @example
 * const { context } = ctx.raw as AzureRaw;
 * context.log('invocation', context.invocationId);
 */
export interface AzureRaw<T = unknown> {
  provider: 'azure';
  input: T;
  context: InvocationContext;
}

/** `ctx.raw` of an http function on Azure: the @azure/functions `HttpRequest`. */
export type AzureHttpRaw = AzureRaw<AzureHttpRequest>;
