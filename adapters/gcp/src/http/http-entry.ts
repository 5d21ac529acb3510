import type {
  HttpFunction as FrameworkHttpFunction,
  Request,
  Response,
} from '@google-cloud/functions-framework';
import type { HttpResponse, Identity, Logger } from '@polycloud/core';
import {
  type AppRuntime,
  type CompiledFunction,
  errorResponse,
  type InvocationInit,
  toError,
} from '@polycloud/core/adapter';
import type { ResolvedGcpOptions } from '../options.ts';
import type { GcpHttpRaw } from '../raw.ts';
import { traceLogger } from '../trace-logger.ts';
import { IAP_HEADER, type IapVerifier } from './iap.ts';
import { bodyAtHand, readBody, toHttpRequest } from './request.ts';
import { writeResponse } from './response.ts';

/**
 * The framework http() handler of one polycloud http function. The framework runs each request
 * in a node domain, where every promise costs about a microsecond: a synchronous handler (no
 * middleware, no body schema) is answered in the calling tick without any promise, behind IAP too
 * while its keys are at hand. A promise is returned only when the answer is asynchronous; it never
 * rejects (the framework would turn a rejection into its own error page).
 */
export function httpEntry(
  runtime: AppRuntime,
  fn: CompiledFunction,
  options: ResolvedGcpOptions,
  iap: IapVerifier | undefined,
): FrameworkHttpFunction {
  const hops = options.forwardedHops;
  const required = options.iap?.required === true;
  const run = (
    req: Request,
    res: Response,
    body: Uint8Array,
    identity: Identity | undefined,
  ): Promise<void> | undefined => {
    let init: HttpInvocation | undefined;
    let out: HttpResponse | Promise<HttpResponse>;
    try {
      init = new HttpInvocation(runtime, fn, options, req, res);
      out = runtime.dispatchHttp(toHttpRequest(req, body, hops, identity), init, fn);
    } catch (error) {
      // dispatchHttp never throws; this is the translation failing, which must not reach the framework.
      out = failed(runtime, fn, init, 'could not translate the request', error);
    }
    if (out instanceof Promise) return out.then((response) => send(runtime, fn, init, res, response));
    send(runtime, fn, init, res, out);
    return undefined;
  };
  // A parsed body, or none at all (a GET: body-parser leaves rawBody unset), goes straight through;
  // only a body without Content-Type is read from the stream.
  const proceed = (
    req: Request,
    res: Response,
    identity: Identity | undefined,
  ): Promise<void> | undefined => {
    const body = bodyAtHand(req);
    return body ? run(req, res, body, identity) : readThenRun(req, res, identity);
  };
  const readThenRun = async (req: Request, res: Response, identity: Identity | undefined): Promise<void> => {
    let body: Uint8Array;
    try {
      body = await readBody(req);
    } catch (error) {
      send(runtime, fn, undefined, res, failed(runtime, fn, undefined, 'could not read the request', error));
      return;
    }
    await run(req, res, body, identity);
  };
  const rejected = (res: Response, error: unknown): undefined => {
    runtime.log.warn('rejected IAP assertion', { function: fn.name, reason: (error as Error).message });
    writeResponse(res, errorResponse(401, 'Unauthorized'));
    return undefined;
  };
  return (req, res) => {
    if (!iap) return proceed(req, res, undefined);
    const assertion = req.headers[IAP_HEADER];
    if (typeof assertion !== 'string') {
      if (!required) return proceed(req, res, undefined);
      writeResponse(res, errorResponse(401, 'Unauthorized'));
      return undefined;
    }
    // Synchronous while IAP's keys are at hand; a fetch of the keys makes it a promise.
    let verified: Identity | Promise<Identity>;
    try {
      verified = iap.verifyNow(assertion);
    } catch (error) {
      return rejected(res, error);
    }
    if (!(verified instanceof Promise)) return proceed(req, res, verified);
    return verified.then(
      (identity) => proceed(req, res, identity),
      (error: unknown) => rejected(res, error),
    );
  };
}

/**
 * Writes the answer; one Node refuses (a header value with a newline, a status Node rejects)
 * becomes a logged, clean JSON 500 instead of an exception for the framework.
 */
function send(
  runtime: AppRuntime,
  fn: CompiledFunction,
  init: HttpInvocation | undefined,
  res: Response,
  response: HttpResponse,
): void {
  try {
    writeResponse(res, response);
  } catch (error) {
    const fallback = failed(runtime, fn, init, 'could not write the response', error);
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    writeResponse(res, fallback);
  }
}

function failed(
  runtime: AppRuntime,
  fn: CompiledFunction,
  init: HttpInvocation | undefined,
  message: string,
  error: unknown,
): HttpResponse {
  const log = init ? init.log : runtime.log.child({ function: fn.name });
  log.error(message, { error: toError(error) });
  return errorResponse(500, 'Internal Server Error');
}

/** The framework copies `function-execution-id` into req.executionId, or makes one up. */
function requestIdOf(req: Request, fallbackId: string | undefined): string | undefined {
  const header = req.headers['function-execution-id'];
  return typeof header === 'string' && header ? header : (fallbackId ?? req.executionId);
}

/**
 * Execution id, trace-linked logger, timeout signal and raw input of one request: one object,
 * each part built when first read (most invocations never log, never look at `raw`).
 */
class HttpInvocation implements InvocationInit {
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
