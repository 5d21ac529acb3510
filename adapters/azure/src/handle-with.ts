import type { HttpRequest as AzureHttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import azure from '@azure/functions';
import type { App } from '@polycloud/core';
import {
  AppRuntime,
  bindFunction,
  errorResponse,
  type FunctionRunner,
  HTTP_METHODS,
  resolveConfig,
  toError,
} from '@polycloud/core/adapter';
import type { eventHandler } from './events/event-handler.ts';
import { readRequestBody, toNeutralRequest } from './http/request.ts';
import { toAzureResponse } from './http/response.ts';
import { REST_PARAM } from './http/route-template.ts';
import { type AzureHandler, invocationInit } from './invocation.ts';
import { type AzureOptions, type AzureSettings, resolveSettings } from './options.ts';
import { azureProvider } from './provider.ts';
import { planHttp, type RegistrationPlan } from './registration-plan.ts';

export interface Registration {
  runtime: AppRuntime;
  handlers: Record<string, AzureHandler>;
  /** What each function was registered as, by name. */
  plans: Record<string, RegistrationPlan>;
  settings: AzureSettings;
}

/** The handler of each kind of non-http function: `handleWith` registers an app with these. */
export interface AzureEntries {
  event?: typeof eventHandler;
}

/**
 * `handle` with the entries the app needs, for `polycloud build`: a bundle of an app with only http
 * functions then carries no trigger code (queues, Event Hubs, Blob, Timer, Event Grid), which its
 * cold start would otherwise parse (issue 12). Its own module, which imports no trigger code:
 * esbuild puts a module the startup file reaches (even one tree-shaken there, as the event handler
 * is in `handle.ts`) into the startup file whenever a lazily loaded chunk uses it.
 * @coldStart
 */
export function handleWith(app: App, options: AzureOptions, entries: AzureEntries): Registration {
  const env = options.env ?? process.env;
  const config = options.config ?? resolveConfig({ provider: 'azure' }, {});
  const settings = resolveSettings(config, app.name, env);
  const runtime = new AppRuntime(app, azureProvider({ app, config, env, settings }), { config });
  const handlers: Record<string, AzureHandler> = {};
  const plans: Record<string, RegistrationPlan> = {};
  for (const fn of runtime.functions.values()) {
    const runner = bindFunction(runtime, fn);
    const { plan, handler } =
      fn.def.kind === 'http'
        ? { plan: planHttp(fn.name, fn.def, settings), handler: httpHandler(runner, settings) }
        : required(entries.event, fn.def.kind)(runner, settings);
    handlers[fn.name] = handler;
    plans[fn.name] = plan;
    if (options.register !== false) {
      const registerWithHost = azure.app[plan.method] as (name: string, options: object) => void;
      registerWithHost(fn.name, { ...plan.options, handler });
    }
  }
  const fallback = routesFallback(runtime, settings);
  if (fallback && options.register !== false) {
    const register = azure.app.http as (name: string, options: object) => void;
    register(ROUTES_FALLBACK, fallback);
  }
  return { runtime, handlers, plans, settings };
}

/** The extra http function answering requests no route matches; not one of the app's functions. */
export const ROUTES_FALLBACK = 'polycloud-routes';

/**
 * The host answers a request no trigger matches (a wrong method included) with an empty 404, where
 * node answers `405` with `Allow`, or a JSON 404. A catch-all trigger (`{*path}`, every method,
 * anonymous) takes what the app's routes leave, and core answers it the way the node router does.
 *
 * The host does not rank routes by specificity: it maps them in function-name order
 * (FunctionMetadataManager sorts by name, OrdinalIgnoreCase) into a RouteCollection that takes the
 * first match (WebJobsRouteBuilder), so this trigger also receives the requests of every http
 * function named after `polycloud-routes` (`updateTodo`, say). Those it routes as node does and runs
 * the function they belong to, with that function's own params; the rest go through the first http
 * function, whose route they are outside of (404, or 405 with `Allow`). None when the app has its
 * own root catch-all.
 * @coldStart
 */
function routesFallback(runtime: AppRuntime, settings: AzureSettings): object | undefined {
  const http = [...runtime.functions.values()].filter((fn) => fn.def.kind === 'http');
  const first = http[0];
  if (!first) return undefined;
  if (
    http.some(
      (fn) => fn.def.kind === 'http' && fn.def.route.path === '/*' && fn.def.route.methods.length === 0,
    )
  )
    return undefined;
  const outside = bindFunction(runtime, first);
  const runners = new Map<string, FunctionRunner>();
  return {
    route: `{*${REST_PARAM}}`,
    methods: [...HTTP_METHODS],
    authLevel: 'anonymous',
    handler: (request: AzureHttpRequest, context: InvocationContext) => {
      const match = routeOf(runtime, request, settings);
      if (match?.status !== 200) return runHttp(outside, settings, request, context);
      let runner = runners.get(match.target.name);
      if (!runner) {
        runner = bindFunction(runtime, match.target);
        runners.set(match.target.name, runner);
      }
      return runHttp(runner, settings, request, context, match.params);
    },
  };
}

const EMPTY_BODY = new Uint8Array(0);

/** The neutral router's answer for the request; undefined for input it cannot read (runHttp answers that). */
function routeOf(runtime: AppRuntime, request: AzureHttpRequest, settings: AzureSettings) {
  try {
    const { method, rawPath } = toNeutralRequest(request, EMPTY_BODY, settings);
    return runtime.route(method, rawPath);
  } catch {
    return undefined;
  }
}

/**
 * An http function's handler: the host chose the function by its route.
 * @coldStart
 */
function httpHandler(runner: FunctionRunner, settings: AzureSettings): AzureHandler {
  return (request: AzureHttpRequest, context: InvocationContext) =>
    runHttp(runner, settings, request, context);
}

function required<T>(entry: T | undefined, kind: string): T {
  if (!entry) throw new TypeError(`this bundle has no entry for ${kind} functions`);
  return entry;
}

/**
 * `params`: the neutral router's match, when the host's own route was the catch-all's.
 * @coldStart
 */
async function runHttp(
  runner: FunctionRunner,
  settings: AzureSettings,
  request: AzureHttpRequest,
  context: InvocationContext,
  params?: Record<string, string>,
): Promise<HttpResponseInit> {
  const init = invocationInit(runner.fn, request, context, settings);
  let body: Uint8Array;
  try {
    body = await readRequestBody(request);
  } catch (error) {
    init.log.error('could not read the request', { error: toError(error) });
    return toAzureResponse(errorResponse(500, 'Internal Server Error'));
  }
  // The host already chose this function; its params stand when the neutral router would pick another.
  const res = await runner.http(
    () => {
      const req = toNeutralRequest(request, body, settings);
      req.params = params ?? azureParams(request.params);
      return req;
    },
    init,
    params,
  );
  return toAzureResponse(res, init.log);
}

/** @coldStart */
function azureParams(params: Record<string, string> | undefined): Record<string, string> {
  if (!params) return {};
  let out: Record<string, string> | undefined;
  for (const key in params) {
    out ??= {};
    out[key === REST_PARAM ? '*' : key] = params[key]!;
  }
  return out ?? {};
}
