import type { Container } from 'inversify';
import { toError } from './adapter/to-error.ts';
import type { App, HttpErrorMapper } from './app.ts';
import type { CloudEvent } from './cloud-event.ts';
import { Config, type PolycloudConfig, resolveConfig } from './config.ts';
import { type Context, InvocationContext } from './context.ts';
import { HttpError, InvalidEventError } from './errors.ts';
import type { FunctionKind } from './function-kind.ts';
import type { HttpRequest } from './http-request.ts';
import { errorResponse, type HttpResponse, toHttpResponse } from './http-response.ts';
import type { InvocationInit } from './invocation-init.ts';
import type { FunctionDefinition, HttpFunction } from './kinds.ts';
import { createLogger, jsonLineSink, type LogFields, Logger, type LogSink } from './logger.ts';
import type { Message } from './message.ts';
import { compose, type Middleware } from './middleware.ts';
import type { ProvidedService } from './provided-service.ts';
import { newRequestId } from './request-id.ts';
import { type CompiledRoute, type RouteMatch, Router } from './router.ts';
import { type ProviderInfo, ProviderInfo as ProviderInfoToken, type ProviderName } from './services.ts';
import type { StorageEvent } from './storage-event.ts';
import { pendingResult } from './thenable.ts';
import type { ServiceKey } from './tokens.ts';
import { validate } from './validation.ts';

/** What an adapter contributes: its name, its services and its native log format. */
export interface ProviderBinding {
  name: ProviderName;
  /**
   * FunctionClient, Queue, Topic, Storage (and anything else the provider implements), each built on
   * its first `ctx.get`. Served without a DI container unless the app declares container modules.
   */
  services?: readonly ProvidedService[];
  sink?: LogSink;
  info?: Omit<ProviderInfo, 'name'>;
  /** Used when neither the function nor the provider input says how long an invocation may run. */
  defaultTimeoutMs?: number;
  abortMarginMs?: number;
}

export interface RuntimeOptions {
  config?: PolycloudConfig;
}

export interface CompiledFunction<D extends FunctionDefinition = FunctionDefinition> {
  readonly name: string;
  readonly def: D;
  /**
   * Middleware → validation → handler, called as `run(ctx.event, ctx)`: without middleware or schema
   * a queue, topic or schedule function's `run` is the handler itself, so a user's error stack starts
   * at their code with no polycloud frame in between (stack capture costs per frame), and nothing is
   * asynchronous unless the handler is. May return a plain value, a promise or any thenable.
   */
  readonly run: (event: any, ctx: Context<any>) => unknown;
  /** An http function's own compiled route (matching without the whole router). */
  readonly route?: CompiledRoute<CompiledFunction<HttpFunction>>;
}

/**
 * The invocation steps of an `AppRuntime`, for core's own runner (`adapter/function-runner.ts`) and
 * batch loop (`batch.ts`) only: neither package face exports it, so an adapter runs a function
 * through `bindFunction` / `bindApp` and their one failure policy, never around it.
 */
export interface InvocationSteps {
  /** An http request, routed (or to `fn`); never throws, never rejects; synchronous when the handler is. */
  http(
    runtime: AppRuntime,
    req: HttpRequest,
    init: InvocationInit,
    fn?: CompiledFunction,
    params?: Record<string, string>,
  ): HttpResponse | Promise<HttpResponse>;
  /** One event: its result, or a promise of it; throws (or rejects) the handler's error, logged once. */
  event(runtime: AppRuntime, fn: CompiledFunction, event: unknown, init: InvocationInit): unknown;
  /** `event` in parts, for a loop that calls `fn.run(event, ctx)` itself (one frame fewer per error). */
  begin<E>(runtime: AppRuntime, fn: CompiledFunction, event: E, init: InvocationInit): InvocationContext<E>;
  end<T>(runtime: AppRuntime, ctx: InvocationContext<unknown>, value: T): T;
  settle(
    runtime: AppRuntime,
    fn: CompiledFunction,
    event: unknown,
    ctx: InvocationContext<unknown>,
    out: Promise<unknown>,
  ): Promise<unknown>;
  fail(
    runtime: AppRuntime,
    fn: CompiledFunction,
    event: unknown,
    ctx: InvocationContext<unknown>,
    error: unknown,
  ): void;
}

/** Assigned by `AppRuntime`'s static block, the one place that can reach its private methods. */
export let invocationSteps: InvocationSteps;

/**
 * The per-cold-start runtime an adapter creates once: compiled middleware chains, the http router,
 * the lazily built DI container, and dispatch with error sanitisation. Adapters run functions
 * through the runner (`bindFunction`, `bindApp`), which owns the failure policy.
 */
export class AppRuntime {
  readonly app: App;
  readonly provider: ProviderName;
  readonly config: PolycloudConfig;
  readonly log: Logger;
  readonly abortMarginMs: number | undefined;
  readonly functions: ReadonlyMap<string, CompiledFunction>;
  readonly #binding: ProviderBinding;
  readonly #router = new Router<CompiledFunction<HttpFunction>>();
  #Container?: typeof Container;
  /** The app's container: its modules loaded, the built-in and provider services maybe not yet bound. */
  #container?: Container;
  /** The built-in and provider services are bound in `#container` (see `#bindProvided`). */
  #providedBound = false;
  #loading?: Promise<void>;
  /** The last load failed while a caller waited for it: that caller runs without it (see `ready`). */
  #loadFailed = false;
  /**
   * A caller has asked `ready`, so one waits for any load under way: only the load the constructor
   * starts can run with nobody waiting, and every later one is started by `ready` itself.
   */
  #awaited = false;
  readonly #instances = new Map<ServiceKey<unknown>, unknown>();
  readonly #factories: Map<ServiceKey<unknown>, (get: <T>(key: ServiceKey<T>) => T) => unknown>;

  constructor(app: App, binding: ProviderBinding, options: RuntimeOptions = {}) {
    this.app = app;
    this.#binding = binding;
    this.provider = binding.name;
    this.abortMarginMs = binding.abortMarginMs;
    this.config = options.config ?? resolveConfig({ provider: binding.name }, {});
    this.log = createLogger(binding.sink ?? jsonLineSink, { app: app.name });
    this.functions = compileFunctions(app, this.#router);
    this.#factories = serviceFactories(this, binding);
    // An app with container modules has imported inversify to build them: the load starts here, at
    // cold start, instead of inside the first invocation. Measured on GCP (functions-framework runs
    // each request in a domain), median of 9 cold starts: import + first request 42.3 → 32.6 ms of CPU,
    // the import phase unchanged (issue 12).
    if (app.modules.length > 0) void this.#load();
  }

  /**
   * What must be loaded before a function runs, or `undefined` once nothing is: inversify, for an app
   * that declares container modules. `ctx.get` is synchronous, so the runners wait for this on the
   * first invocation; inversify is loaded there with an ordinary dynamic import (an app that declares
   * modules has usually loaded it already, to build them), and never for an app without modules,
   * whose services are served from the provider's list. The container itself is built on the first
   * `ctx.get`. Never rejects: a failed load is logged, and `ctx.get` then throws (a handler error).
   * A caller waits for the promise and asks again until it gets `undefined` (the runners do):
   * after a failed load that a caller waited for, the first caller to ask again gets `undefined`
   * and runs without the container (its `ctx.get` throws), where asking again would otherwise retry
   * the load without end (an invocation that never finished, an error line per attempt). The next
   * invocation, or a second one waiting for the same load, tries the load again; so does the first
   * invocation after a failed load nobody waited for (the one the constructor starts).
   */
  ready(): Promise<void> | undefined {
    if (this.#Container || this.app.modules.length === 0) return undefined;
    if (this.#loadFailed) {
      this.#loadFailed = false;
      return undefined;
    }
    this.#awaited = true;
    return this.#load();
  }

  /** Starts loading inversify, or returns the load under way. */
  #load(): Promise<void> {
    this.#loading ??= import('inversify').then(
      ({ Container }) => {
        this.#Container = Container;
      },
      (error: unknown) => {
        this.#loading = undefined;
        // Only a caller that waited for this load asks again at once (see `ready`).
        this.#loadFailed = this.#awaited;
        this.log.error('could not load the DI container (inversify)', { error: toError(error) });
      },
    );
    return this.#loading;
  }

  /**
   * The app's container, built on first use once `ready()` has loaded inversify (tests and the
   * contract kit rebind services in it), with every built-in and provider service bound. Throws for
   * an app without container modules, whose services need none.
   */
  get container(): Container {
    const c = this.#appContainer();
    this.#bindProvided(c);
    return c;
  }

  /** A service by key: from the container when the app has modules, else from the provider's services. */
  resolve<T>(key: ServiceKey<T>): T {
    if (this.app.modules.length > 0) {
      if (!this.#Container)
        throw new TypeError(
          `cannot resolve ${describeKey(key)} before inversify is loaded: await runtime.ready()`,
        );
      return this.#fromContainer(key);
    }
    return this.#provided(key);
  }

  /**
   * The app's modules are loaded into the container at once; the built-in and provider services are
   * bound in it only when something resolved through the container needs one (a module's class that
   * injects `Logger`, a dynamic value that gets `Queue`), or when `container` is read. Binding those
   * eight services cost the first invocation of an app with modules 0.8–2.3 ms of CPU (inversify
   * compiles and runs its binding and cache-invalidation paths once per binding; AWS cold start of
   * `test/cold-start/apps/service`, three A/B runs of 21 fresh processes), where the app's own binding
   * needs none of them.
   * A service no module rebinds is served without the container, as without modules.
   */
  #fromContainer<T>(key: ServiceKey<T>): T {
    const c = this.#appContainer();
    if (this.#providedBound) return c.get(key);
    if (this.#factories.has(key) && !c.isBound(key)) return this.#provided(key);
    try {
      return c.get(key);
    } catch (error) {
      // inversify plans a resolution before it builds anything, so a missing binding is found before
      // any of the app's constructors runs; a dynamic value that asked for one stopped at the ask.
      if (!isMissingBinding(error)) throw error;
      this.#bindProvided(c);
      return c.get(key);
    }
  }

  #appContainer(): Container {
    if (this.#container) return this.#container;
    if (!this.#Container)
      throw new TypeError(
        this.app.modules.length === 0
          ? 'this app declares no container modules: its services are served without a container'
          : 'the container is built once inversify is loaded: await runtime.ready() first',
      );
    const c = new this.#Container({ defaultScope: 'Singleton' });
    for (const m of this.app.modules) c.load(m);
    this.#container = c;
    return c;
  }

  /**
   * Binds each built-in and provider service the app's modules did not bind (a module's binding of
   * one replaces the provider's), as the single instance `#provided` builds.
   */
  #bindProvided(c: Container): void {
    if (this.#providedBound) return;
    this.#providedBound = true;
    for (const key of this.#factories.keys())
      if (!c.isBound(key)) c.bind(key).toDynamicValue(() => this.#provided(key));
  }

  /** A built-in or provider service, built once on first use (a singleton per cold start). */
  #provided<T>(key: ServiceKey<T>): T {
    if (this.#instances.has(key)) return this.#instances.get(key) as T;
    const create = this.#factories.get(key);
    if (!create)
      throw new TypeError(
        `no service bound to ${describeKey(key)}: provide it in defineApp({ services }) or bind it in a container module`,
      );
    // Through `resolve`: with container modules, a service a module rebinds is the one a factory gets.
    const instance = create((k) => this.resolve(k));
    this.#instances.set(key, instance);
    return instance as T;
  }

  function(name: string): CompiledFunction {
    const fn = this.functions.get(name);
    if (!fn)
      throw new TypeError(
        `no function named "${name}" (functions: ${[...this.functions.keys()].join(', ')})`,
      );
    return fn;
  }

  route(method: string, rawPath: string): RouteMatch<CompiledFunction<HttpFunction>> {
    return this.#router.match(method, rawPath);
  }

  /**
   * Runs an http request end to end without the promise when nothing is asynchronous: a synchronous
   * handler without middleware or schema answers in the same tick (adapters sit on every invocation;
   * each promise hop costs). Routing (404/405), validation (400), HttpError (its status), anything
   * else a generic 500 with the error logged in full. Never throws and never rejects.
   * With `fn`, the request goes to that function (a provider that routes per function); with `fn`
   * and `params` too, routing is skipped (the host matched the route and decoded the params).
   */
  #dispatchHttp(
    req: HttpRequest,
    init: InvocationInit,
    fn?: CompiledFunction,
    params?: Record<string, string>,
  ): HttpResponse | Promise<HttpResponse> {
    let target = fn;
    let ctx: InvocationContext<HttpRequest> | undefined;
    try {
      if (fn) {
        // The host already routed (Azure route templates): trust its params and skip the router.
        // Otherwise the provider sent the request to this function (one Lambda or Cloud Run
        // function per function, whose URL takes any method and path): it runs only for its own
        // method and route, and answers anything else the way the node router does (405 with
        // `Allow`, or 404). The catch-all routes the AWS and Azure builds add land here too.
        if (params) req.params = params;
        else if (fn.route) {
          const own = this.#router.matchRoute(fn.route, req.method, req.rawPath);
          if (!own) return this.#refused(req, init);
          req.params = own;
        }
      } else {
        const match = this.#router.match(req.method, req.rawPath);
        if (match.status === 405) return methodNotAllowed(match.allow);
        if (match.status === 404)
          return this.app.notFound ? this.#notFound(req, init) : errorResponse(404, 'Not Found');
        target = match.target;
        req.params = match.params;
      }
      ctx = this.#context(target!, req, init, 'http');
      const out = target!.run(req, ctx);
      const pending = pendingResult(out);
      if (pending) return this.#settleHttp(pending as Promise<HttpResponse>, ctx);
      ctx.dispose();
      return out as HttpResponse;
    } catch (error) {
      if (ctx && this.app.onError) return this.#settleHttp(Promise.reject(error), ctx);
      ctx?.dispose();
      return this.#httpError(error, ctx?.log ?? init.log ?? this.log.child({ function: target?.name }));
    }
  }

  /**
   * The answer of a function sent a request outside its route: what the app's router answers for
   * a request no function serves (405 with `Allow` when other methods are served on the path, else
   * 404). A request another function serves was misdirected to this one: 404, never that function.
   */
  #refused(req: HttpRequest, init: InvocationInit): HttpResponse | Promise<HttpResponse> {
    const match = this.#router.match(req.method, req.rawPath);
    if (match.status === 405) return methodNotAllowed(match.allow);
    return this.app.notFound ? this.#notFound(req, init) : errorResponse(404, 'Not Found');
  }

  async #settleHttp(out: Promise<HttpResponse>, ctx: InvocationContext<HttpRequest>): Promise<HttpResponse> {
    try {
      return await out;
    } catch (error) {
      return this.app.onError
        ? await this.#mapError(this.app.onError, error, ctx)
        : this.#httpError(error, ctx.log);
    } finally {
      ctx.dispose();
    }
  }

  /** The app's `onError` answer, else the default one; a mapper that throws gets a bare 500. */
  async #mapError(
    onError: HttpErrorMapper,
    error: unknown,
    ctx: InvocationContext<HttpRequest>,
  ): Promise<HttpResponse> {
    try {
      const mapped = await onError(error, ctx.event, ctx);
      if (mapped !== undefined) return await toHttpResponse(mapped);
    } catch (mapperError) {
      ctx.log.error('onError failed', { error: toError(mapperError), cause: toError(error) });
      return errorResponse(500, 'Internal Server Error');
    }
    return this.#httpError(error, ctx.log);
  }

  /** The app's `notFound` answer; if it fails, a bare 500 with the error logged. */
  async #notFound(req: HttpRequest, init: InvocationInit): Promise<HttpResponse> {
    try {
      return await toHttpResponse(await this.app.notFound!(req));
    } catch (error) {
      (init.log ?? this.log).error('notFound failed', { error: toError(error) });
      return errorResponse(500, 'Internal Server Error');
    }
  }

  #httpError(error: unknown, log: Logger): HttpResponse {
    if (error instanceof HttpError) {
      if (error.status >= 500) log.error('handler answered a server error', { error });
      const res = errorResponse(
        error.status,
        error.message,
        // An undefined `details` is left out by JSON.stringify: no key is sent.
        { details: error.details },
      );
      // The error's own headers, but never one that would change how the JSON body is read.
      for (const [name, value] of Object.entries(error.headers))
        if (name !== 'content-type') res.headers[name] = value;
      return res;
    }
    if (error instanceof InvalidEventError) {
      log.warn('rejected invalid request', { error: error.message });
      return errorResponse(400, error.message, error.issues ? { issues: error.issues } : undefined);
    }
    log.error('handler failed', { error: toError(error) });
    return errorResponse(500, 'Internal Server Error');
  }

  #handle(fn: CompiledFunction, event: unknown, init: InvocationInit): Promise<unknown> {
    try {
      const out = this.#dispatch(fn, event, init);
      return out instanceof Promise ? out : Promise.resolve(out);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * One event without a promise when the handler is synchronous: returns its result, or throws its
   * error (logged here, once); a promise only when the handler returned one (or a thenable). The
   * ordered batch loop calls this, so a batch of synchronous handlers settles without a promise per
   * message.
   */
  #dispatch(fn: CompiledFunction, event: unknown, init: InvocationInit): unknown {
    const ctx = this.#begin(fn, event, init);
    let out: unknown;
    try {
      out = fn.run(event, ctx);
    } catch (error) {
      this.#fail(fn, event, ctx, error);
      throw error;
    }
    const pending = pendingResult(out);
    return pending ? this.#settle(fn, event, ctx, pending) : this.#end(ctx, out);
  }

  /**
   * The parts of `#dispatch`, for a caller that runs `fn.run(event, ctx)` itself (core's batch loop:
   * one frame fewer between the provider and the user's handler, so their error stacks stay short).
   */
  #begin<E>(fn: CompiledFunction, event: E, init: InvocationInit): InvocationContext<E> {
    return this.#context(fn, event, init, fn.def.kind);
  }

  #end<T>(ctx: InvocationContext<unknown>, value: T): T {
    ctx.dispose();
    return value;
  }

  #settle(
    fn: CompiledFunction,
    event: unknown,
    ctx: InvocationContext<unknown>,
    out: Promise<unknown>,
  ): Promise<unknown> {
    return out.then(
      (value) => this.#end(ctx, value),
      (error) => {
        this.#fail(fn, event, ctx, error);
        throw error;
      },
    );
  }

  /** Ends a failed invocation: the error is logged here, once, with the message's id. */
  #fail(fn: CompiledFunction, event: unknown, ctx: InvocationContext<unknown>, error: unknown): void {
    ctx.dispose();
    const fields: LogFields = { error: toError(error) };
    if (isMessage(event)) {
      fields.messageId = event.id;
      fields.deliveryCount = event.deliveryCount;
    }
    ctx.log.error(`${fn.def.kind} handler failed`, fields);
  }

  /**
   * In-process invocation by name (node FunctionClient; the target side of Lambda Invoke): the
   * payload becomes the target's neutral event, see `eventForInvoke`. The envelope code is imported
   * on first use: a split bundle (AWS) loads it only when a function is invoked by name.
   */
  async invokeByName(name: string, payload: unknown, init: InvocationInit = {}): Promise<unknown> {
    const fn = this.function(name);
    // As the runners do: wait and ask again until nothing is left to load (at most two loads).
    for (let loading = this.ready(); loading; loading = this.ready()) await loading;
    const { eventForInvoke, resultFromHttpResponse } = await import('./clients/invoke-envelope.ts');
    const id = init.requestId ?? newRequestId();
    const event = eventForInvoke(name, fn.def, payload, id);
    if (fn.def.kind === 'http') {
      return resultFromHttpResponse(
        name,
        await this.#dispatchHttp(event as HttpRequest, withRequestId(init, id), fn),
      );
    }
    return this.#handle(fn, event, withRequestId(init, id));
  }

  #context<E>(
    fn: CompiledFunction,
    event: E,
    init: InvocationInit,
    kind: FunctionKind,
  ): InvocationContext<E> {
    const timeout = fn.def.options.timeoutMs ?? this.#binding.defaultTimeoutMs ?? 30_000;
    // With a remaining-time source the deadline is asked for when read; otherwise it is fixed now.
    const deadline = init.deadline ?? (init.remainingMs ? undefined : Date.now() + timeout);
    return new InvocationContext(this, init, fn.name, kind, init.requestId, deadline, timeout, event);
  }

  // The runner and the batch loop reach the private invocation steps through `invocationSteps`.
  static {
    invocationSteps = {
      http: (runtime, req, init, fn, params) => runtime.#dispatchHttp(req, init, fn, params),
      event: (runtime, fn, event, init) => runtime.#dispatch(fn, event, init),
      begin: (runtime, fn, event, init) => runtime.#begin(fn, event, init),
      end: (runtime, ctx, value) => runtime.#end(ctx, value),
      settle: (runtime, fn, event, ctx, out) => runtime.#settle(fn, event, ctx, out),
      fail: (runtime, fn, event, ctx, error) => runtime.#fail(fn, event, ctx, error),
    };
  }
}

/** Field by field, not a spread: an adapter's init may compute fields in getters (Lambda's lazy `raw`). */
function withRequestId(init: InvocationInit, requestId: string): InvocationInit {
  const remaining = init.deadline === undefined ? init.remainingMs?.() : undefined;
  // `Number.isFinite` is false for `undefined` too.
  const deadline = Number.isFinite(remaining) ? Date.now() + (remaining as number) : init.deadline;
  return { requestId, deadline, raw: init.raw, log: init.log, signal: init.signal };
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && 'deliveryCount' in value && 'source' in value;
}

/**
 * Each function of the app with its call chain, an http function's route added to `router`.
 * @coldStart
 */
function compileFunctions(
  app: App,
  router: Router<CompiledFunction<HttpFunction>>,
): Map<string, CompiledFunction> {
  const functions = new Map<string, CompiledFunction>();
  for (const [name, def] of app.functions) {
    const compiled: { -readonly [K in keyof CompiledFunction]: CompiledFunction[K] } = {
      name,
      def,
      run: compile(def, app),
    };
    if (def.kind === 'http')
      compiled.route = router.add(def.route, compiled as CompiledFunction<HttpFunction>);
    functions.set(name, compiled);
  }
  return functions;
}

/**
 * The built-in services' factories, then the provider's, then the app's own (one with the same key
 * replaces the provider's).
 * @coldStart
 */
function serviceFactories(
  runtime: AppRuntime,
  binding: ProviderBinding,
): Map<ServiceKey<unknown>, (get: <T>(key: ServiceKey<T>) => T) => unknown> {
  const info = { name: runtime.provider, details: {}, ...binding.info };
  const factories = new Map<ServiceKey<unknown>, (get: <T>(key: ServiceKey<T>) => T) => unknown>();
  factories.set(Config, () => runtime.config);
  factories.set(ProviderInfoToken, () => info);
  factories.set(Logger, () => runtime.log);
  factories.set(AppRuntime, () => runtime);
  if (binding.services) for (const service of binding.services) factories.set(service.key, service.create);
  for (const service of runtime.app.services) factories.set(service.key, service.create);
  return factories;
}

/**
 * Builds each function's call chain once per cold start: middleware → validation → handler.
 * @coldStart
 */
function compile(def: FunctionDefinition, app: App): (event: any, ctx: Context<any>) => unknown {
  const middleware: Middleware<any>[] = [
    ...app.middleware,
    ...((def.options.middleware ?? []) as Middleware<any>[]),
  ];
  return def.kind === 'http' ? compileHttp(def, middleware) : compileEvent(def, middleware);
}

/**
 * An http function's chain. Apart from the event kinds' (`compileEvent`, not marked): an http cold
 * start compiles only this one while the file parses.
 * @coldStart
 */
function compileHttp(
  def: HttpFunction,
  middleware: Middleware<any>[],
): (event: any, ctx: Context<any>) => unknown {
  const handler = def.handler as (event: unknown, ctx: Context<unknown>) => unknown;
  const schema = def.body;
  if (middleware.length === 0 && !schema) {
    // The fast path: no promise unless the handler returns one.
    return (req, ctx) => {
      const result = handler(req, ctx);
      const pending = pendingResult(result);
      return pending ? pending.then(toHttpResponse) : toHttpResponse(result);
    };
  }
  return compose(middleware, async (ctx) => {
    const req = ctx.event as HttpRequest;
    if (schema) req.data = await validate(schema, req.json(), 'body');
    // `await`, not an `instanceof Promise` test: a thenable that is no Promise (Bluebird, another
    // realm's) is a pending answer too, never a JSON value to send (it was sent as `{}`).
    return toHttpResponse((await handler(req, ctx)) as Parameters<typeof toHttpResponse>[0]);
  });
}

/** The chain of a function that is not http. */
function compileEvent(
  def: Exclude<FunctionDefinition, HttpFunction>,
  middleware: Middleware<any>[],
): (event: any, ctx: Context<any>) => unknown {
  const handler = def.handler as (event: unknown, ctx: Context<unknown>) => unknown;
  switch (def.kind) {
    case 'queue':
    case 'topic': {
      const schema = def.body;
      if (middleware.length === 0 && !schema) return handler;
      return compose(middleware, async (ctx) => {
        const msg = ctx.event as Message;
        if (schema) msg.data = await validate(schema, msg.json(), 'message.body');
        return handler(msg, ctx);
      });
    }
    case 'storage': {
      const wanted = new Set(def.events);
      return compose(middleware, async (ctx) => {
        const ev = ctx.event as StorageEvent;
        // Providers deliver every change type a trigger sees; keep only the ones asked for.
        if (!wanted.has(ev.type)) {
          ctx.log.debug('storage event type not subscribed; acknowledged without running the handler', {
            type: ev.type,
          });
          return undefined;
        }
        return handler(ev, ctx);
      });
    }
    case 'event': {
      const types = new Set(def.types);
      const source = def.source;
      return compose(middleware, async (ctx) => {
        const ev = ctx.event as CloudEvent;
        if ((types.size > 0 && !types.has(ev.type)) || (source !== undefined && ev.source !== source)) {
          ctx.log.debug('event type or source not subscribed; acknowledged without running the handler', {
            type: ev.type,
            source: ev.source,
          });
          return undefined;
        }
        return handler(ev, ctx);
      });
    }
    case 'schedule':
      return middleware.length === 0 ? handler : compose(middleware, async (ctx) => handler(ctx.event, ctx));
  }
}

function methodNotAllowed(allow: string[]): HttpResponse {
  return {
    ...errorResponse(405, 'Method Not Allowed'),
    headers: { 'content-type': 'application/json', allow: allow.join(', ') },
  };
}

/**
 * inversify's planning error for a service nothing binds ("No bindings found for service: ..."). Its
 * error class and kinds are not exported; `provided-services.test.ts` pins the message.
 */
function isMissingBinding(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('No bindings found for service');
}

/** A service key as an error message names it: the token's name or the class's. */
function describeKey(key: ServiceKey<unknown>): string {
  return typeof key === 'symbol' ? (key.description ?? 'a token') : key.name || 'an anonymous class';
}
