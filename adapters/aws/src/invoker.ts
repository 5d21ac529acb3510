import type { AppRuntime, CompiledFunction } from '@polycloud/core/adapter';
import type { Context as LambdaContext } from 'aws-lambda';

/** A function's Lambda handler for the event sources of its trigger kind. */
export type Invoker = (event: unknown, context: LambdaContext) => Promise<unknown>;

/**
 * What an invoker does with an event none of its sources matched: a FunctionClient invoke envelope
 * is run, anything else rejects with the error naming the function, its kind and the event's keys.
 * Checked only after the sources: the hot path pays nothing for it.
 */
export type Unmatched = (event: unknown, context: LambdaContext) => Promise<unknown>;

/**
 * Builds a function's invoker: it binds the function with core's runner (`bindHttpFunction` for http,
 * `bindFunction` for the event kinds, so an http function's bundle carries no batch code), which
 * applies core's policies: a request that cannot be translated is a 400, an event a rejected one, one
 * log line each; a failed handler is logged once and never acknowledged.
 */
export type InvokerFactory = (runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched) => Invoker;
