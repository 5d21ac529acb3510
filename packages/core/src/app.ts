import type { ContainerModule } from 'inversify';
import { AppDefinitionError } from './errors.ts';
import type { FunctionDefinition } from './kinds.ts';
import type { Middleware } from './middleware.ts';

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
  /** The user's inversify modules, loaded after the provider's module so they can override it. */
  modules?: ContainerModule[];
  /** Middleware applied to every function, outermost first. */
  middleware?: Middleware[];
}

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
  readonly modules: readonly ContainerModule[];
  readonly middleware: readonly Middleware[];
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
    modules: definition.modules ?? [],
    middleware: definition.middleware ?? [],
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
  return { name, functions, modules: apps.flatMap((a) => a.modules), middleware: [] };
}
