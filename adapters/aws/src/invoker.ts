import type { Context as LambdaContext } from 'aws-lambda';

/** A function's Lambda entry point for the event sources of its trigger kind. */
export type Invoker = (event: unknown, context: LambdaContext) => Promise<unknown>;
