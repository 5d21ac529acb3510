import type {
  HttpFunction as FrameworkHttpFunction,
  Request,
  Response,
} from '@google-cloud/functions-framework';
import type { HttpResponse, Identity } from '@polycloud/core';
import {
  type AppRuntime,
  BodyTooLargeError,
  errorResponse,
  type HttpRunner,
  refuseBodyTooLarge,
  toError,
  writeNodeResponse,
} from '@polycloud/core/adapter';
import { HttpInvocation } from '../invocation.ts';
import type { ResolvedGcpOptions } from '../options.ts';
import type { IapVerifier } from './iap.ts';
import { IAP_HEADER } from './iap-header.ts';
import { bodyAtHand, readBody, toHttpRequest } from './request.ts';

/**
 * The framework http() handler of one polycloud http function. The framework runs each request
 * in a node domain, where every promise costs about a microsecond: a synchronous handler (no
 * middleware, no body schema) is answered in the calling tick without any promise (an IAP assertion
 * is verified asynchronously, by jose). A promise is returned only when the answer is asynchronous;
 * it never rejects (the framework would turn a rejection into its own error page).
 * @coldStart
 */
export function httpEntry(
  runner: HttpRunner,
  options: ResolvedGcpOptions,
  iap: Pick<IapVerifier, 'verify'> | undefined,
): FrameworkHttpFunction {
  const entry: Entry = { runner, options };
  // Without IAP the handler is `proceed` bound to this function (the framework calls it with req
  // and res only): top-level and marked, it is compiled with the file, where a closure here would
  // be compiled on the first request, as `run` would be (~10 µs each, see eager-compile.ts).
  if (!iap) return proceed.bind(undefined, entry);
  const required = options.iap?.required === true;
  return (req, res) => {
    const assertion = req.headers[IAP_HEADER];
    if (typeof assertion !== 'string') {
      if (!required) return proceed(entry, req, res);
      writeNodeResponse(res, errorResponse(401, 'Unauthorized'));
      return undefined;
    }
    // jose verifies through WebCrypto, which is asynchronous: a request carrying an assertion is
    // answered through a promise. One without it (above) is still answered in the calling tick.
    return iap.verify(assertion).then(
      (identity) => proceed(entry, req, res, identity),
      (error: unknown) => rejected(entry, res, error),
    );
  };
}

/** One http function, as its handler serves it. */
interface Entry {
  runner: HttpRunner;
  options: ResolvedGcpOptions;
}

/**
 * A parsed body, or none at all (a GET: body-parser leaves rawBody unset), goes straight through;
 * only a body without Content-Type is read from the stream.
 * @coldStart
 */
function proceed(entry: Entry, req: Request, res: Response, identity?: Identity): Promise<void> | undefined {
  const body = bodyAtHand(req);
  return body ? run(entry, req, res, body, identity) : readThenRun(entry, req, res, identity);
}

/** @coldStart */
function run(
  entry: Entry,
  req: Request,
  res: Response,
  body: Uint8Array,
  identity: Identity | undefined,
): Promise<void> | undefined {
  const { runner, options } = entry;
  const { runtime, fn } = runner;
  const init = new HttpInvocation(runtime, fn, options, req, res);
  const out = runner.http(() => toHttpRequest(req, body, options.forwardedHops, identity), init);
  if (out instanceof Promise) return out.then((response) => send(runtime, fn, init, res, response));
  send(runtime, fn, init, res, out);
  return undefined;
}

async function readThenRun(
  entry: Entry,
  req: Request,
  res: Response,
  identity: Identity | undefined,
): Promise<void> {
  const { runtime, fn } = entry.runner;
  let body: Uint8Array;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) refuseBodyTooLarge(res, error.limit);
    else
      send(runtime, fn, undefined, res, failed(runtime, fn, undefined, 'could not read the request', error));
    return;
  }
  await run(entry, req, res, body, identity);
}

function rejected(entry: Entry, res: Response, error: unknown): undefined {
  const { runtime, fn } = entry.runner;
  runtime.log.warn('rejected IAP assertion', { function: fn.name, reason: (error as Error).message });
  writeNodeResponse(res, errorResponse(401, 'Unauthorized'));
  return undefined;
}

/**
 * Writes the answer; one Node refuses (a header value with a newline, a status Node rejects)
 * becomes a logged, clean JSON 500 instead of an exception for the framework.
 * @coldStart
 */
function send(
  runtime: AppRuntime,
  fn: HttpRunner['fn'],
  init: HttpInvocation | undefined,
  res: Response,
  response: HttpResponse,
): void {
  try {
    writeNodeResponse(res, response);
  } catch (error) {
    const fallback = failed(runtime, fn, init, 'could not write the response', error);
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    writeNodeResponse(res, fallback);
  }
}

function failed(
  runtime: AppRuntime,
  fn: HttpRunner['fn'],
  init: HttpInvocation | undefined,
  message: string,
  error: unknown,
): HttpResponse {
  const log = init ? init.log : runtime.log.child({ function: fn.name });
  log.error(message, { error: toError(error) });
  return errorResponse(500, 'Internal Server Error');
}
