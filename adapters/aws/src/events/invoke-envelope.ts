import { InvalidEventError } from '@polycloud/core';
import { type AppRuntime, INVOKE_ENVELOPE_KEY, toBase64 } from '@polycloud/core/adapter';
import type { Context as LambdaContext } from 'aws-lambda';
import { invocationInit } from '../invocation.ts';
import { isObject } from './records-source.ts';

/**
 * A direct Lambda Invoke from polycloud's FunctionClient (`{ "polycloud:invoke": { function, payload } }`):
 * the payload becomes the target's neutral event (core `eventForInvoke`). The result is returned as
 * Lambda's response payload; a failure is thrown so Lambda answers `FunctionError` with the error's
 * name as `errorType` (FunctionInvokeError for an http target's 4xx/5xx, the handler's own otherwise).
 */
export async function handleInvokeEnvelope(
  runtime: AppRuntime,
  defaultFunction: string,
  event: Record<string, unknown>,
  context: LambdaContext,
): Promise<unknown> {
  const envelope = event[INVOKE_ENVELOPE_KEY];
  if (!isObject(envelope))
    throw new InvalidEventError('must be an object { function, payload }', INVOKE_ENVELOPE_KEY);
  const name = envelope.function ?? defaultFunction;
  // Stryker disable next-line ConditionalExpression: the type test narrows for TypeScript; a name that is no string is in no Map of function names either
  if (typeof name !== 'string' || !runtime.functions.has(name)) {
    throw new InvalidEventError(
      `names no function of this app (functions: ${[...runtime.functions.keys()].join(', ')})`,
      `${INVOKE_ENVELOPE_KEY}.function`,
    );
  }
  const init = invocationInit(event, context);
  const result = await runtime.invokeByName(name, envelope.payload, init);
  // Lambda serialises the result as JSON: bytes would become {"0":..}; base64 keeps them intact.
  return result instanceof Uint8Array ? toBase64(result) : result;
}
