import type { ContainerModule } from 'inversify';
import type { Context } from './context.ts';
import { AppDefinitionError } from './errors.ts';
import type { HttpRequest } from './http-request.ts';
import type { HttpHandlerResult } from './http-response.ts';
import type { FunctionDefinition } from './kinds.ts';
import type { Middleware } from './middleware.ts';
import type { ProvidedService } from './provided-service.ts';

/**
 * What `defineApp` takes: the app's name, its functions by name, and optionally middleware and
 * container modules for every function.
 *
 * @example
 * const definition: AppDefinition = { name: 'shop', functions: { health: http('GET /health', () => 'ok') } };
 */
export interface AppDefinition {
  /** The app's name; defaults to `polycloud-app`. */
  name?: string;
  /** Functions keyed by their deployed name (`echoHttp`, `createTodo`, ...). */
  functions: Record<string, FunctionDefinition>;
  /**
   * The app's own services, without a DI container: `provide(key, create)` each, built on the first
   * `ctx.get` of its key and kept for the cold start. They may `get` the provider's services and
   * replace one. An app that needs inversify's scopes, decorators or class resolution uses `modules`.
   */
  services?: ProvidedService[];
  /**
   * The user's inversify modules, loaded after the provider's and the app's services so they can
   * rebind them. An app with modules loads inversify before its first invocation.
   */
  modules?: ContainerModule[];
  /** Middleware applied to every function, outermost first. */
  middleware?: Middleware[];
  /** App-level error mapper for http functions, on every provider; see {@link HttpErrorMapper}. */
  onError?: HttpErrorMapper;
  /** Answers requests no route matches (where polycloud routes); see {@link NotFoundHandler}. */
  notFound?: NotFoundHandler;
}

/**
 * Maps an error thrown by any http function of the app (a `HttpError`, a failed body validation, a
 * bug) to the response: return a result as a handler would (`{ status, body }`, a string, a
 * `Response`), or nothing to keep polycloud's answer (the HttpError's status, 400, or a bare 500).
 * If it throws, the answer is a bare 500 and both errors are logged. The client never sees an
 * error's message unless the mapper puts it in the response.
 *
 * @example
 * defineApp({
 *   functions,
 *   onError: (error) => (error instanceof OutOfStock ? { status: 409, body: { error: 'out of stock' } } : undefined),
 * });
 */
export type HttpErrorMapper = (
  error: unknown,
  req: HttpRequest,
  ctx: Context<HttpRequest>,
) => HttpHandlerResult | undefined | Promise<HttpHandlerResult | undefined>;

/**
 * Answers a request that matches no route, instead of polycloud's JSON 404. Used wherever polycloud
 * routes: the node runtime, one GCP function serving the app, one Lambda behind a catch-all route.
 * Azure's host routes each function itself and answers unmatched paths before the app runs.
 *
 * @example
 * defineApp({ functions, notFound: (req) => ({ status: 404, body: { error: `no route for ${req.path}` } }) });
 */
export type NotFoundHandler = (req: HttpRequest) => HttpHandlerResult | Promise<HttpHandlerResult>;

/**
 * A defined app: what adapters run and the CLI builds.
 *
 * @example
 * const app: App = defineApp({ name: 'shop', functions: {} });
 * console.log([...app.functions.keys()]);
 */
export interface App {
  readonly name: string;
  readonly functions: ReadonlyMap<string, FunctionDefinition>;
  readonly services: readonly ProvidedService[];
  readonly modules: readonly ContainerModule[];
  readonly middleware: readonly Middleware[];
  readonly onError?: HttpErrorMapper;
  readonly notFound?: NotFoundHandler;
}

/** Names every provider accepts: Lambda (64, [A-Za-z0-9-_]), Azure (letter first), GCP (63). */
const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/**
 * Defines an app once for every provider: its functions by name (the name is the deployed function's name), app-wide middleware and container modules.
 *
 * @example
 * export default defineApp({
 *   name: 'shop',
 *   functions: { health: http('GET /health', () => ({ ok: true })) },
 * });
 * @coldStart
 */
export function defineApp(definition: AppDefinition): App {
  const functions = new Map<string, FunctionDefinition>();
  for (const [name, def] of Object.entries(definition.functions)) {
    if (!FUNCTION_NAME.test(name)) {
      throw new AppDefinitionError(
        `function name "${name}" is not valid on every provider: use a letter, then letters, digits, "-" or "_" (63 at most)`,
      );
    }
    if (!def || typeof def.handler !== 'function')
      throw new AppDefinitionError(`function "${name}" is not a polycloud function definition`);
    functions.set(name, def);
  }
  return {
    name: definition.name ?? 'polycloud-app',
    functions,
    services: definition.services ?? [],
    modules: definition.modules ?? [],
    middleware: definition.middleware ?? [],
    ...(definition.onError ? { onError: definition.onError } : {}),
    ...(definition.notFound ? { notFound: definition.notFound } : {}),
  };
}

/**
 * Several apps served as one (npm start serves every example). Function names must not clash.
 *
 * @example
 * const both = mergeApps([orders, billing]);
 */
export function mergeApps(apps: readonly App[], name = apps.map((a) => a.name).join('+')): App {
  if (apps.length === 1) return apps[0]!;
  const functions = new Map<string, FunctionDefinition>();
  for (const app of apps) {
    for (const [fn, def] of app.functions) {
      if (functions.has(fn)) throw new AppDefinitionError(`function "${fn}" is defined by more than one app`);
      // App-level middleware stays with its own functions.
      functions.set(
        fn,
        app.middleware.length
          ? ({
              ...def,
              options: { ...def.options, middleware: [...app.middleware, ...(def.options.middleware ?? [])] },
            } as FunctionDefinition)
          : def,
      );
    }
  }
  const hooks: { onError?: HttpErrorMapper; notFound?: NotFoundHandler } = {};
  for (const hook of ['onError', 'notFound'] as const) {
    const owners = apps.filter((a) => a[hook]);
    // Two apps' mappers would each expect to see every error: refuse rather than pick one silently.
    if (owners.length > 1)
      throw new TypeError(
        `${hook} is defined by more than one app (${owners.map((a) => a.name).join(', ')})`,
      );
    if (owners[0]) Object.assign(hooks, { [hook]: owners[0][hook] });
  }
  const services = apps.flatMap((a) => a.services);
  const keys = new Set<unknown>();
  for (const service of services) {
    // Two apps providing one key would each expect their own: refuse rather than pick one silently.
    if (keys.has(service.key)) {
      const key = typeof service.key === 'symbol' ? service.key.description : service.key.name;
      throw new TypeError(`service ${key} is provided by more than one app`);
    }
    keys.add(service.key);
  }
  return { name, functions, services, modules: apps.flatMap((a) => a.modules), middleware: [], ...hooks };
}
