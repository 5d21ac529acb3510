import {
  type App,
  AppRuntime,
  type CompiledFunction,
  INVOKE_ENVELOPE_KEY,
  type PolycloudConfig,
  resolveConfig,
} from '@polycloud/core';
import type { Context as LambdaContext } from 'aws-lambda';
import type { LambdaFunctionClientOptions } from './function-client.ts';
import type { Invoker } from './invoker.ts';
import type { LineWriter } from './lambda-log-sink.ts';
import { awsProvider } from './provider.ts';

export interface LambdaOptions {
  config?: PolycloudConfig;
  /** How long before the Lambda timeout `ctx.signal` fires; default 500 ms. */
  abortMarginMs?: number;
  /** Overrides for the Lambda FunctionClient; default: `providers.aws.region/endpoint` of the config. */
  functionClient?: LambdaFunctionClientOptions;
  /** Where JSON log lines go; default stdout. */
  logWriter?: LineWriter;
}

export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

export interface LambdaApp {
  /** The one runtime of this cold start (container, compiled functions, router). */
  readonly runtime: AppRuntime;
  /** The Lambda handler of one function; the same handler object on every call. */
  handler(functionName: string): LambdaHandler;
}

export type InvokerFactories = Partial<
  Record<CompiledFunction['def']['kind'], (runtime: AppRuntime, fn: CompiledFunction) => Invoker>
>;

/**
 * The runtime for this cold start with the event sources of the given trigger kinds only: a built
 * function's bundle passes just its own kind's invoker, so it carries no code for other sources.
 */
export function createLambdaWith(app: App, options: LambdaOptions, invokers: InvokerFactories): LambdaApp {
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
        const invoke = factory(runtime, fn);
        handler = (event, context) => {
          try {
            const out =
              typeof event === 'object' && event !== null && INVOKE_ENVELOPE_KEY in event
                ? invokeEnvelope(runtime, functionName, event as Record<string, unknown>, context)
                : invoke(event, context);
            // One promise for the Lambda runtime, also when the invoker answered synchronously.
            return out instanceof Promise ? out : Promise.resolve(out);
          } catch (error) {
            return Promise.reject(error);
          }
        };
        handlers.set(functionName, handler);
      }
      return handler;
    },
  };
}

/** A FunctionClient call targeting this function: its handling is imported on the first such call. */
async function invokeEnvelope(
  runtime: AppRuntime,
  functionName: string,
  event: Record<string, unknown>,
  context: LambdaContext,
): Promise<unknown> {
  const { handleInvokeEnvelope } = await import('./invoke-envelope.ts');
  return handleInvokeEnvelope(runtime, functionName, event, context);
}

function clientOptionsFrom(config: PolycloudConfig): LambdaFunctionClientOptions {
  const aws = config.providers.aws ?? {};
  const out: LambdaFunctionClientOptions = {};
  if (typeof aws.region === 'string') out.region = aws.region;
  if (typeof aws.endpoint === 'string') out.endpoint = aws.endpoint;
  return out;
}
