import type { HttpRequest as AzureHttpRequest, InvocationContext } from '@azure/functions';
import azure from '@azure/functions';
import type { App } from '@polycloud/core';
import {
  AppRuntime,
  bindHttpFunction,
  errorResponse,
  type HttpRunner,
  resolveConfig,
  toError,
} from '@polycloud/core/adapter';
import { withAppSettings } from './app-settings.ts';
import type { eventHandler } from './events/event-handler.ts';
import type { PrincipalReader } from './http/neutral-request.ts';
import { toAzureResponse } from './http/response.ts';
import { runHttp } from './http/run-http.ts';
import type { AzureHandler } from './invocation.ts';
import { InvocationLogger } from './invocation-logger.ts';
import type { AzureOptions, AzureSettings } from './options.ts';
import { azureBinding } from './provider-binding.ts';
import type { PreparedApp, RegistrationPlan } from './registration-plan.ts';

export interface Registration {
  runtime: AppRuntime;
  handlers: Record<string, AzureHandler>;
  /** What each function was registered as, by name. */
  plans: Record<string, RegistrationPlan>;
  settings: AzureSettings;
}

/**
 * What `handlePrepared` registers an app with beyond its http functions: the handler of each kind
 * of non-http function, and the reader of App Service authentication's principal, needed only with
 * `appServiceAuth` on. The build gives only what the app uses, so its startup file carries no other.
 */
export interface AzureEntries {
  event?: typeof eventHandler;
  principal?: PrincipalReader;
}

/**
 * `handleWith` over what `polycloud build` prepared: what the built entry registers the app with.
 * Its own module, which imports no trigger code and no options resolution: esbuild puts a module
 * the startup file reaches (even one tree-shaken there, as the event handler is in `handle.ts`) into
 * the startup file whenever a lazily loaded chunk uses it.
 *
 * @example
 * ```ts
 * handlePrepared(app, { config }, prepareApp(app, config), {});
 * ```
 * @coldStart
 */
export function handlePrepared(
  app: App,
  options: AzureOptions,
  prepared: PreparedApp,
  entries: AzureEntries,
): Registration {
  const env = options.env ?? process.env;
  const config = options.config ?? resolveConfig({ provider: 'azure' }, {});
  const settings = withAppSettings(prepared.settings, config, env);
  const principal = settings.appServiceAuth ? principalReader(entries) : undefined;
  const runtime = new AppRuntime(app, azureBinding({ app, config, env, settings }, settings), { config });
  const handlers: Record<string, AzureHandler> = {};
  const plans: Record<string, RegistrationPlan> = {};
  for (const fn of runtime.functions.values()) {
    const { plan, handler } =
      fn.def.kind === 'http'
        ? {
            plan: httpPlan(prepared, fn.name),
            handler: httpHandler(bindHttpFunction(runtime, fn), settings, principal),
          }
        : required(entries.event, fn.def.kind)(runtime, fn, settings);
    handlers[fn.name] = handler;
    plans[fn.name] = plan;
    if (options.register !== false) {
      const registerWithHost = azure.app[plan.method] as (name: string, options: object) => void;
      registerWithHost(fn.name, { ...plan.options, handler });
    }
  }
  if (prepared.routesFallback && options.register !== false) {
    const register = azure.app.http as (name: string, options: object) => void;
    register(ROUTES_FALLBACK, {
      ...prepared.routesFallback.options,
      handler: routesFallback(runtime, settings, principal),
    });
  }
  return { runtime, handlers, plans, settings };
}

/** The extra http function answering requests no route matches; not one of the app's functions. */
export const ROUTES_FALLBACK = 'polycloud-routes';

/**
 * The catch-all's handler (see `planRoutesFallback`), loaded on its first request: a request for one
 * of the app's own routes never runs it, and the cold start then neither parses nor runs its setup.
 * A failed load is answered 500 and logged, and the next request loads it again.
 * @coldStart
 */
function routesFallback(
  runtime: AppRuntime,
  settings: AzureSettings,
  principal: PrincipalReader | undefined,
): AzureHandler {
  let loading: Promise<AzureHandler> | undefined;
  return async (request: AzureHttpRequest, context: InvocationContext) => {
    loading ??= import('./http/routes-fallback.ts').then((m) =>
      m.routesFallback(runtime, settings, principal),
    );
    let handler: AzureHandler;
    try {
      handler = await loading;
    } catch (error) {
      loading = undefined;
      const log = new InvocationLogger(context, {
        function: ROUTES_FALLBACK,
        invocationId: context.invocationId,
      });
      log.error('could not load the routes fallback', { error: toError(error) });
      return toAzureResponse(errorResponse(500, 'Internal Server Error'));
    }
    return handler(request, context);
  };
}

/**
 * An http function's handler: the host chose the function by its route.
 * @coldStart
 */
function httpHandler(
  runner: HttpRunner,
  settings: AzureSettings,
  principal: PrincipalReader | undefined,
): AzureHandler {
  return (request: AzureHttpRequest, context: InvocationContext) =>
    runHttp(runner, settings, principal, request, context);
}

/** @coldStart */
function httpPlan(prepared: PreparedApp, name: string): RegistrationPlan {
  const plan = prepared.plans[name];
  if (!plan) throw new TypeError(`the entry has no registration for http function "${name}": build it again`);
  return plan;
}

function principalReader(entries: AzureEntries): PrincipalReader {
  if (!entries.principal)
    throw new TypeError('this bundle has no reader of x-ms-client-principal, and appServiceAuth is on');
  return entries.principal;
}

function required<T>(entry: T | undefined, kind: string): T {
  if (!entry) throw new TypeError(`this bundle has no entry for ${kind} functions`);
  return entry;
}
