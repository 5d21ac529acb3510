import type { Context as LambdaContext } from 'aws-lambda';

/**
 * A function's Lambda entry point for the event sources of its trigger kind. It may answer
 * synchronously or throw: the Lambda handler around it turns both into its one promise.
 */
export type Invoker = (event: unknown, context: LambdaContext) => unknown;
