import type { App, PolycloudConfig } from '@polycloud/core';
import { AppRuntime, type CompiledFunction, isInvokeEnvelope, resolveConfig } from '@polycloud/core/adapter';
import type { Context as LambdaContext } from 'aws-lambda';
import type { LambdaFunctionClientOptions } from './clients/function-client.ts';
import type { InvokerFactory, Unmatched } from './invoker.ts';
import type { AwsOptions } from './options.ts';
import { awsProvider } from './provider.ts';

export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface LambdaApp {
  /** The one runtime of this cold start (container, compiled functions, router). */
  readonly runtime: AppRuntime;
  /** The Lambda handler of one function; the same handler object on every call. */
  handler(functionName: string): LambdaHandler;
}

export type InvokerFactories = Partial<Record<CompiledFunction['def']['kind'], InvokerFactory>>;

/**
 * The runtime for this cold start with the event sources of the given trigger kinds only: a built
 * function's bundle passes just its own kind's invoker, so it carries no code for other sources.
 * @coldStart
 */
export function createLambdaWith(app: App, options: AwsOptions, invokers: InvokerFactories): LambdaApp {
  const config = options.config ?? resolveConfig({ provider: 'aws' }, {});
  const runtime = new AppRuntime(
    app,
    awsProvider({
      abortMarginMs: options.abortMarginMs ?? 500,
      functionClient: options.functionClient ?? clientOptionsFrom(config),
      logWriter: options.logWriter,
    }),
    { config },
  );
  const handlers = new Map<string, LambdaHandler>();
  return {
    runtime,
    handler(functionName) {
      let handler = handlers.get(functionName);
      if (!handler) {
        const fn = runtime.function(functionName);
        const factory = invokers[fn.def.kind];
        if (!factory) throw new TypeError(`this bundle has no event sources for ${fn.def.kind} functions`);
        // The invoker is the handler: no wrapper frame on the stack of a user's error, no envelope
        // check on the hot path (an invoke envelope matches no source and lands in `unmatched`).
        handler = factory(runtime, fn, unmatchedFor(runtime, fn, functionName));
        handlers.set(functionName, handler);
      }
      return handler;
    },
  };
}

/**
 * A FunctionClient call targeting this function, or the unmatched-event error; both imported on first use.
 * @coldStart
 */
function unmatchedFor(runtime: AppRuntime, fn: CompiledFunction, functionName: string): Unmatched {
  return async (event, context) => {
    if (isInvokeEnvelope(event)) {
      const { handleInvokeEnvelope } = await import('./events/invoke-envelope.ts');
      return handleInvokeEnvelope(
        runtime,
        functionName,
        event as unknown as Record<string, unknown>,
        context,
      );
    }
    throw (await import('./events/unmatched-event.ts')).unmatchedEvent(fn, event);
  };
}

/** @coldStart */
function clientOptionsFrom(config: PolycloudConfig): LambdaFunctionClientOptions {
  const aws = config.providers.aws ?? {};
  const out: LambdaFunctionClientOptions = {};
  if (typeof aws.region === 'string') out.region = aws.region;
  if (typeof aws.endpoint === 'string') out.endpoint = aws.endpoint;
  return out;
}
