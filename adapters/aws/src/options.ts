import type { PolycloudConfig } from '@polycloud/core';
import type { LambdaFunctionClientOptions } from './clients/function-client.ts';
import type { LineWriter } from './lambda-log-sink.ts';

/**
 * The AWS adapter's one options type: what `handle(app, functionName, options)` and `createLambda` take.
 *
 * @example
 * export const handler = handle(app, 'createOrder', { abortMarginMs: 1000 });
 */
export interface AwsOptions {
  config?: PolycloudConfig;
  /** How long before the Lambda timeout `ctx.signal` fires; default 500 ms. */
  abortMarginMs?: number;
  /** Overrides for the Lambda FunctionClient; default: `providers.aws.region/endpoint` of the config. */
  functionClient?: LambdaFunctionClientOptions;
  /** Where JSON log lines go; default stdout. */
  logWriter?: LineWriter;
}
