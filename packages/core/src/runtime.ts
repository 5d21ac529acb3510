import { Container, type ContainerModule } from 'inversify';
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
import { newRequestId } from './request-id.ts';
import { type CompiledRoute, type RouteMatch, Router } from './router.ts';
import { type ProviderInfo, ProviderInfo as ProviderInfoToken, type ProviderName } from './services.ts';
import type { StorageEvent } from './storage-event.ts';
import { pendingResult } from './thenable.ts';
import type { ServiceKey } from './tokens.ts';
import { validate } from './validation.ts';

/** What an adapter contributes: its name, its container module and its native log format. */
export interface ProviderBinding {
  name: ProviderName;
  /**
   * Binds FunctionClient, Queue, Topic (and anything else the provider implements). A thunk is
   * called only when the container is first built, so a bundle whose functions never resolve a
   * service never loads inversify (see the CLI's lazy-inversify bundling).
   */
  module?: ContainerModule | (() => ContainerModule);
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
 * The per-cold-start runtime an adapter creates once: compiled middleware chains, the http router,
 * the lazily built DI container, and dispatch with error sanitisation.
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
  #container?: Container;

  constructor(app: App, binding: ProviderBinding, options: RuntimeOptions = {}) {
    this.app = app;
    this.#binding = binding;
    this.provider = binding.name;
    this.abortMarginMs = binding.abortMarginMs;
    this.config = options.config ?? resolveConfig({ provider: binding.name }, {});
    this.log = createLogger(binding.sink ?? jsonLineSink, { app: app.name });
    const functions = new Map<string, CompiledFunction>();
    for (const [name, def] of app.functions) {
      const compiled: { -readonly [K in keyof CompiledFunction]: CompiledFunction[K] } = {
        name,
        def,
        run: compile(def, app),
      };
      if (def.kind === 'http')
        compiled.route = this.#router.add(def.route, compiled as CompiledFunction<HttpFunction>);
      functions.set(name, compiled);
    }
    this.functions = functions;
  }

  /** Built on first use: a function that never resolves a service never pays for the container. */
  get container(): Container {
    if (!this.#container) {
      const c = new Container({ defaultScope: 'Singleton' });
      c.bind(Config).toConstantValue(this.config);
      c.bind(ProviderInfoToken).toConstantValue({ name: this.provider, details: {}, ...this.#binding.info });
      c.bind(Logger).toConstantValue(this.log);
      c.bind(AppRuntime).toConstantValue(this);
      const module = this.#binding.module;
      if (module) c.load(typeof module === 'function' ? module() : module);
      for (const m of this.app.modules) c.load(m);
      this.#container = c;
    }
    return this.#container;
  }

  resolve<T>(key: ServiceKey<T>): T {
    return this.container.get(key);
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
   * Runs an http request end to end and never throws: routing (404/405), validation (400),
   * HttpError (its status), anything else a generic 500 with the error logged in full.
   * With `fn`, the request goes to that function (a provider that routes per function); with `fn`
   * and `params` too, routing is skipped (the host matched the route and decoded the params).
   */
  handleHttp(
    req: HttpRequest,
    init: InvocationInit = {},
    fn?: CompiledFunction,
    params?: Record<string, string>,
  ): Promise<HttpResponse> {
    try {
      const out = this.dispatchHttp(req, init, fn, params);
      return out instanceof Promise ? out : Promise.resolve(out);
    } catch (error) {
      // Only a logger that throws while reporting an error gets here.
      return Promise.reject(error);
    }
  }

  /**
   * `handleHttp` without the promise when nothing is asynchronous: a synchronous handler without
   * middleware or schema answers in the same tick (adapters sit on every invocation; each promise
   * hop costs). Never throws and never rejects.
   */
  dispatchHttp(
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
        const match = this.route(req.method, req.rawPath);
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
        error.details === undefined ? undefined : { details: error.details },
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

  /**
   * Runs one non-http event. Resolves when handled (or filtered out); rejects when the handler
   * failed, so the adapter reports the message as failed and the provider retries it.
   */
  handle(
    fn: CompiledFunction,
    event: Message | StorageEvent | CloudEvent | unknown,
    init: InvocationInit = {},
  ): Promise<unknown> {
    try {
      const out = this.dispatch(fn, event, init);
      return out instanceof Promise ? out : Promise.resolve(out);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `handle` without a promise when the handler is synchronous: returns its result, or throws its
   * error (logged here, once); a promise only when the handler returned one (or a thenable). The
   * ordered batch loop calls this, so a batch of synchronous handlers settles without a promise per
   * message.
   */
  dispatch(fn: CompiledFunction, event: unknown, init: InvocationInit): unknown {
    const ctx = this.begin(fn, event, init);
    let out: unknown;
    try {
      out = fn.run(event, ctx);
    } catch (error) {
      this.fail(fn, event, ctx, error);
      throw error;
    }
    const pending = pendingResult(out);
    return pending ? this.settle(fn, event, ctx, pending) : this.end(ctx, out);
  }

  /**
   * The parts of `dispatch`, for a caller that runs `fn.run(event, ctx)` itself (core's batch loop:
   * one frame fewer between the provider and the user's handler, so their error stacks stay short).
   */
  begin<E>(fn: CompiledFunction, event: E, init: InvocationInit): InvocationContext<E> {
    return this.#context(fn, event, init, fn.def.kind);
  }

  end<T>(ctx: InvocationContext<unknown>, value: T): T {
    ctx.dispose();
    return value;
  }

  settle(
    fn: CompiledFunction,
    event: unknown,
    ctx: InvocationContext<unknown>,
    out: Promise<unknown>,
  ): Promise<unknown> {
    return out.then(
      (value) => this.end(ctx, value),
      (error) => {
        this.fail(fn, event, ctx, error);
        throw error;
      },
    );
  }

  /** Ends a failed invocation: the error is logged here, once, with the message's id. */
  fail(fn: CompiledFunction, event: unknown, ctx: InvocationContext<unknown>, error: unknown): void {
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
    const { eventForInvoke, resultFromHttpResponse } = await import('./clients/invoke-envelope.ts');
    const id = init.requestId ?? newRequestId();
    const event = eventForInvoke(name, fn.def, payload, id);
    if (fn.def.kind === 'http') {
      return resultFromHttpResponse(
        name,
        await this.handleHttp(event as HttpRequest, withRequestId(init, id), fn),
      );
    }
    return this.handle(fn, event, withRequestId(init, id));
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
}

/** Field by field, not a spread: an adapter's init may compute fields in getters (Lambda's lazy `raw`). */
function withRequestId(init: InvocationInit, requestId: string): InvocationInit {
  const remaining = init.deadline === undefined ? init.remainingMs?.() : undefined;
  const deadline =
    remaining !== undefined && Number.isFinite(remaining) ? Date.now() + remaining : init.deadline;
  return { requestId, deadline, raw: init.raw, log: init.log, signal: init.signal };
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && 'deliveryCount' in value && 'source' in value;
}

/** Builds each function's call chain once per cold start: middleware → validation → handler. */
function compile(def: FunctionDefinition, app: App): (event: any, ctx: Context<any>) => unknown {
  const middleware: Middleware<any>[] = [
    ...app.middleware,
    ...((def.options.middleware ?? []) as Middleware<any>[]),
  ];
  const handler = def.handler as (event: unknown, ctx: Context<unknown>) => unknown;
  switch (def.kind) {
    case 'http': {
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
        let result = handler(req, ctx);
        if (result instanceof Promise) result = await result;
        return toHttpResponse(result);
      });
    }
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
