import type { HttpRequest } from '../http-request.ts';
import type { HttpResponse } from '../http-response.ts';
import type { InvocationInit } from '../invocation-init.ts';
import { type AppRuntime, type CompiledFunction, invocationSteps as steps } from '../runtime.ts';
import { logFor, rejectInput, rejectionResponse } from './translation-failure.ts';

/**
 * An http function bound once per cold start. `http` never throws and never rejects: a request that
 * cannot be translated is a 400 (`InvalidEventError`) or a 500, a failing handler the runtime's
 * answer, each logged once. A module apart from the event and batch runner (`function-runner.ts`), so
 * an http function's cold start loads no batch code.
 */
export interface HttpRunner {
  readonly runtime: AppRuntime;
  readonly fn: CompiledFunction;
  /**
   * Translates the provider's request (`translate` may throw `InvalidEventError`: a 400 with its
   * message) and runs the function: routing only within this function's own route unless `params`
   * says the host matched it already. Synchronous when the handler is.
   */
  http(
    translate: () => HttpRequest,
    init?: InvocationInit,
    params?: Record<string, string>,
  ): HttpResponse | Promise<HttpResponse>;
}

/**
 * Binds an http function (by name or compiled) of the runtime once; the adapter keeps the runner for
 * the life of the cold start.
 *
 * @example
 * const runner = bindHttpFunction(runtime, 'getItem');
 * const response = await runner.http(() => toHttpRequest(event), { requestId: context.awsRequestId });
 * @coldStart
 */
export function bindHttpFunction(runtime: AppRuntime, fn: CompiledFunction | string): HttpRunner {
  return { runtime, fn: typeof fn === 'string' ? runtime.function(fn) : fn, http: runHttp };
}

/**
 * `HttpRunner#http` and `AppHttpRunner#http` (no `fn`: the runtime routes). A top-level function, not
 * a class method: V8 compiles a method on its first call, this one while it parses the file
 * (packages/cli/src/eager-compile.ts).
 * @coldStart
 */
export function runHttp(
  this: { readonly runtime: AppRuntime; readonly fn?: CompiledFunction; http: HttpRunner['http'] },
  translate: () => HttpRequest,
  init: InvocationInit = {},
  params?: Record<string, string>,
): HttpResponse | Promise<HttpResponse> {
  const loading = this.runtime.ready();
  if (loading) return loading.then(() => this.http(translate, init, params));
  let req: HttpRequest;
  try {
    req = translate();
  } catch (error) {
    return rejectionResponse(rejectInput(error, logFor(this.runtime, this.fn?.name, init), 'request'));
  }
  return steps.http(this.runtime, req, init, this.fn, params);
}

/**
 * The http entry of a whole app, for a host that serves every http function on one listener (the
 * node server, the test harness): the runtime routes (404, 405), then runs the match. The same
 * translation-failure policy as a function's runner.
 */
export interface AppHttpRunner {
  readonly runtime: AppRuntime;
  http(translate: () => HttpRequest, init?: InvocationInit): HttpResponse | Promise<HttpResponse>;
}

/**
 * Binds an app's http functions behind one router, once per server.
 *
 * @example
 * const app = bindApp(runtime);
 * const response = await app.http(() => toHttpRequest(req, body), { raw: { provider: 'node', request: req } });
 * @coldStart
 */
export function bindApp(runtime: AppRuntime): AppHttpRunner {
  return { runtime, http: runHttp };
}
