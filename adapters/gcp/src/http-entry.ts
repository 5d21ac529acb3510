import type {
  HttpFunction as FrameworkHttpFunction,
  Request,
  Response,
} from '@google-cloud/functions-framework';
import {
  type AppRuntime,
  type CompiledFunction,
  errorResponse,
  type Identity,
  type InvocationInit,
} from '@polycloud/core';
import { readBody, toHttpRequest } from './express-request.ts';
import { writeResponse } from './express-response.ts';
import { IAP_HEADER, type IapVerifier } from './iap.ts';
import { lazyLogger } from './lazy-logger.ts';
import type { ResolvedGcpOptions } from './options.ts';
import type { GcpHttpRaw } from './raw.ts';
import { traceFields } from './trace.ts';

/** The framework http() handler of one polycloud http function. */
export function httpEntry(
  runtime: AppRuntime,
  fn: CompiledFunction,
  options: ResolvedGcpOptions,
  iap: IapVerifier | undefined,
): FrameworkHttpFunction {
  const hops = options.forwardedHops;
  const required = options.iap?.required === true;
  const run = (req: Request, res: Response, body: Uint8Array, identity: Identity | undefined) => {
    const request = toHttpRequest(req, body, hops, identity);
    const raw: GcpHttpRaw = { provider: 'gcp', req, res };
    return runtime
      .handleHttp(request, invocationInit(runtime, fn, req, options, raw), fn)
      .then((response) => writeResponse(res, response));
  };
  // Verifying IAP or reading an unparsed body needs awaiting; the common case goes straight through.
  const slow = async (req: Request, res: Response): Promise<void> => {
    let identity: Identity | undefined;
    if (iap) {
      const assertion = req.headers[IAP_HEADER];
      if (typeof assertion === 'string') {
        try {
          identity = await iap.verify(assertion);
        } catch (error) {
          runtime.log.warn('rejected IAP assertion', { function: fn.name, reason: (error as Error).message });
          writeResponse(res, errorResponse(401, 'Unauthorized'));
          return;
        }
      } else if (required) {
        writeResponse(res, errorResponse(401, 'Unauthorized'));
        return;
      }
    }
    await run(req, res, req.rawBody ?? (await readBody(req)), identity);
  };
  return (req, res) => (iap || !req.rawBody ? slow(req, res) : run(req, res, req.rawBody, undefined));
}

/** Execution id, trace-linked logger, timeout signal and raw input for one request. */
export function invocationInit(
  runtime: AppRuntime,
  fn: CompiledFunction,
  req: Request,
  options: ResolvedGcpOptions,
  raw: unknown,
  fallbackId?: string,
): InvocationInit {
  // The framework copies `function-execution-id` into req.executionId, or makes one up.
  const header = req.headers['function-execution-id'];
  const requestId = typeof header === 'string' && header ? header : (fallbackId ?? req.executionId);
  const init: InvocationInit = {
    requestId,
    raw,
    log: lazyLogger(() => {
      const trace = traceFields(
        options.project,
        str(req.headers.traceparent),
        str(req.headers['x-cloud-trace-context']),
      );
      return runtime.log.child(
        trace ? { function: fn.name, requestId, ...trace } : { function: fn.name, requestId },
      );
    }),
  };
  // Set when the framework runs with a timeout (CLOUD_RUN_TIMEOUT_SECONDS): aborts on timeout or client close.
  const signal = (req as Request).abortController?.signal;
  if (signal) init.signal = signal;
  return init;
}

function str(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
