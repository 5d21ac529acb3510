import type { Request, Response } from '@google-cloud/functions-framework';
import type { Logger } from '@polycloud/core';
import type { AppRuntime, CompiledFunction, InvocationInit } from '@polycloud/core/adapter';
import type { ResolvedGcpOptions } from './options.ts';
import type { GcpHttpRaw } from './raw.ts';
import { traceLogger } from './trace-logger.ts';

/**
 * The framework copies `function-execution-id` into req.executionId, or makes one up.
 * @coldStart
 */
export function requestIdOf(req: Request, fallbackId: string | undefined): string | undefined {
  const header = req.headers['function-execution-id'];
  return typeof header === 'string' && header ? header : (fallbackId ?? req.executionId);
}

/**
 * Execution id, trace-linked logger, timeout signal and raw input of one request: one object,
 * each part built when first read (most invocations never log, never look at `raw`).
 */
export class HttpInvocation implements InvocationInit {
  readonly requestId: string | undefined;
  #runtime: AppRuntime;
  #fn: CompiledFunction;
  #options: ResolvedGcpOptions;
  #req: Request;
  #res: Response;
  #raw?: GcpHttpRaw;
  #log?: Logger;

  constructor(
    runtime: AppRuntime,
    fn: CompiledFunction,
    options: ResolvedGcpOptions,
    req: Request,
    res: Response,
  ) {
    this.#runtime = runtime;
    this.#fn = fn;
    this.#options = options;
    this.#req = req;
    this.#res = res;
    this.requestId = requestIdOf(req, undefined);
  }

  get raw(): GcpHttpRaw {
    this.#raw ??= { provider: 'gcp', req: this.#req, res: this.#res };
    return this.#raw;
  }

  get log(): Logger {
    this.#log ??= traceLogger(this.#runtime.log, this.#fn.name, this.requestId, this.#options, this.#req);
    return this.#log;
  }

  /** Set when the framework runs with a timeout (CLOUD_RUN_TIMEOUT_SECONDS): aborts on timeout or client close. */
  get signal(): AbortSignal | undefined {
    return this.#req.abortController?.signal;
  }
}

/** Execution id, trace-linked logger, timeout signal and raw input for one event request. */
export function invocationInit(
  runtime: AppRuntime,
  fn: CompiledFunction,
  req: Request,
  options: ResolvedGcpOptions,
  raw: unknown,
  fallbackId?: string,
): InvocationInit {
  const requestId = requestIdOf(req, fallbackId);
  const init: InvocationInit = {
    requestId,
    raw,
    log: traceLogger(runtime.log, fn.name, requestId, options, req),
  };
  const signal = req.abortController?.signal;
  if (signal) init.signal = signal;
  return init;
}
