import type { HttpRequest as AzureHttpRequest, InvocationContext } from '@azure/functions';
import { type AppRuntime, bindHttpFunction, type HttpRunner } from '@polycloud/core/adapter';
import type { AzureHandler } from '../invocation.ts';
import type { AzureSettings } from '../options.ts';
import { neutralRequest, type PrincipalReader } from './neutral-request.ts';
import { runHttp } from './run-http.ts';

/**
 * The handler of the `polycloud-routes` catch-all (see `planRoutesFallback` for why it exists): a
 * request one of the app's routes takes runs that function, with its own params, as node would; any
 * other goes through the first http function, whose route it is outside of (404, or 405 with `Allow`).
 */
export function routesFallback(
  runtime: AppRuntime,
  settings: AzureSettings,
  readPrincipal: PrincipalReader | undefined,
): AzureHandler {
  const first = [...runtime.functions.values()].find((fn) => fn.def.kind === 'http');
  if (!first) throw new TypeError('the routes fallback needs an http function');
  const outside = bindHttpFunction(runtime, first);
  const runners = new Map<string, HttpRunner>();
  return (request: AzureHttpRequest, context: InvocationContext) => {
    const match = routeOf(runtime, request, settings, readPrincipal);
    if (match?.status !== 200) return runHttp(outside, settings, readPrincipal, request, context);
    let runner = runners.get(match.target.name);
    if (!runner) {
      runner = bindHttpFunction(runtime, match.target);
      runners.set(match.target.name, runner);
    }
    return runHttp(runner, settings, readPrincipal, request, context, match.params);
  };
}

const EMPTY_BODY = new Uint8Array(0);

/** The neutral router's answer for the request; undefined for input it cannot read (runHttp answers that). */
function routeOf(
  runtime: AppRuntime,
  request: AzureHttpRequest,
  settings: AzureSettings,
  readPrincipal: PrincipalReader | undefined,
) {
  try {
    const { method, rawPath } = neutralRequest(request, EMPTY_BODY, settings, readPrincipal);
    return runtime.route(method, rawPath);
  } catch {
    return undefined;
  }
}
