import { randomUUID } from 'node:crypto';
import { Container, type ContainerModule } from 'inversify';
import type { App } from './app.ts';
import type { CloudEvent } from './cloud-event.ts';
import { Config, type PolycloudConfig, resolveConfig } from './config.ts';
import { type Context, InvocationContext } from './context.ts';
import { HttpError, InvalidEventError } from './errors.ts';
import type { HttpRequest } from './http-request.ts';
import { errorResponse, type HttpResponse, toHttpResponse } from './http-response.ts';
import { eventForInvoke, resultFromHttpResponse } from './invoke-envelope.ts';
import type { FunctionDefinition, FunctionKind, HttpFunction } from './kinds.ts';
import { createLogger, jsonLineSink, Logger, type LogSink } from './logger.ts';
import type { Message } from './message.ts';
import { compose, type Middleware } from './middleware.ts';
import { type RouteMatch, Router } from './router.ts';
import { type ProviderInfo, ProviderInfo as ProviderInfoToken, type ProviderName } from './services.ts';
import type { StorageEvent } from './storage-event.ts';
import type { Token } from './tokens.ts';
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

export interface InvocationInit {
  requestId?: string;
  /** Epoch ms; defaults to now + the function's timeout. */
  deadline?: number;
  raw?: unknown;
  /** A per-invocation logger in the provider's native format (Azure's InvocationContext). */
  log?: Logger;
  signal?: AbortSignal;
}

export interface CompiledFunction<D extends FunctionDefinition = FunctionDefinition> {
  readonly name: string;
  readonly def: D;
  readonly run: (ctx: Context<any>) => Promise<unknown>;
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
  readonly functions: ReadonlyMap<string, CompiledFunction>;
  readonly #binding: ProviderBinding;
  readonly #router = new Router<CompiledFunction<HttpFunction>>();
  #container?: Container;

  constructor(app: App, binding: ProviderBinding, options: RuntimeOptions = {}) {
    this.app = app;
    this.#binding = binding;
    this.provider = binding.name;
    this.config = options.config ?? resolveConfig({ provider: binding.name }, {});
    this.log = createLogger(binding.sink ?? jsonLineSink, { app: app.name });
    const functions = new Map<string, CompiledFunction>();
    for (const [name, def] of app.functions) {
      const compiled: CompiledFunction = { name, def, run: compile(def, app) };
      functions.set(name, compiled);
      if (def.kind === 'http') this.#router.add(def.route, compiled as CompiledFunction<HttpFunction>);
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

  resolve<T>(token: Token<T>): T {
    return this.container.get(token);
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
  async handleHttp(
    req: HttpRequest,
    init: InvocationInit = {},
    fn?: CompiledFunction,
    params?: Record<string, string>,
  ): Promise<HttpResponse> {
    let target = fn;
    let ctx: InvocationContext<HttpRequest> | undefined;
    try {
      // The host already routed (Azure route templates): trust its params and skip the router.
      if (fn && params) {
        req.params = params;
        ctx = this.#context(fn, req, init, 'http');
        return (await fn.run(ctx)) as HttpResponse;
      }
      const match = this.route(req.method, req.rawPath);
      if (match.status === 200 && (!fn || match.target === fn)) {
        target = match.target;
        req.params = match.params;
      } else if (!fn) {
        if (match.status === 405)
          return {
            ...errorResponse(405, 'Method Not Allowed'),
            headers: { 'content-type': 'application/json', allow: match.allow.join(', ') },
          };
        return errorResponse(404, 'Not Found');
      }
      ctx = this.#context(target!, req, init, 'http');
      return (await target!.run(ctx)) as HttpResponse;
    } catch (error) {
      return this.#httpError(error, ctx?.log ?? init.log ?? this.log.child({ function: target?.name }));
    } finally {
      ctx?.dispose();
    }
  }

  #httpError(error: unknown, log: Logger): HttpResponse {
    if (error instanceof HttpError) {
      if (error.status >= 500) log.error('handler answered a server error', { error });
      return errorResponse(
        error.status,
        error.message,
        error.details === undefined ? undefined : { details: error.details },
      );
    }
    if (error instanceof InvalidEventError) {
      log.warn('rejected invalid request', { error: error.message });
      return errorResponse(400, error.message, error.issues ? { issues: error.issues } : undefined);
    }
    log.error('handler failed', { error: error instanceof Error ? error : new Error(String(error)) });
    return errorResponse(500, 'Internal Server Error');
  }

  /**
   * Runs one non-http event. Resolves when handled (or filtered out); rejects when the handler
   * failed, so the adapter reports the message as failed and the provider retries it.
   */
  async handle(
    fn: CompiledFunction,
    event: Message | StorageEvent | CloudEvent | unknown,
    init: InvocationInit = {},
  ): Promise<unknown> {
    const ctx = this.#context(fn, event, init, fn.def.kind);
    try {
      return await fn.run(ctx);
    } catch (error) {
      ctx.log.error(`${fn.def.kind} handler failed`, {
        error: error instanceof Error ? error : new Error(String(error)),
        ...(isMessage(event) ? { messageId: event.id, deliveryCount: event.deliveryCount } : {}),
      });
      throw error;
    } finally {
      ctx.dispose();
    }
  }

  /**
   * In-process invocation by name (node FunctionClient; the target side of Lambda Invoke): the
   * payload becomes the target's neutral event, see `eventForInvoke`.
   */
  async invokeByName(name: string, payload: unknown, init: InvocationInit = {}): Promise<unknown> {
    const fn = this.function(name);
    const id = init.requestId ?? randomUUID();
    const event = eventForInvoke(name, fn.def, payload, id);
    if (fn.def.kind === 'http') {
      return resultFromHttpResponse(
        name,
        await this.handleHttp(event as HttpRequest, { ...init, requestId: id }, fn),
      );
    }
    return this.handle(fn, event, { ...init, requestId: id });
  }

  #context<E>(
    fn: CompiledFunction,
    event: E,
    init: InvocationInit,
    kind: FunctionKind,
  ): InvocationContext<E> {
    const requestId = init.requestId ?? randomUUID();
    const timeout = fn.def.options.timeoutMs ?? this.#binding.defaultTimeoutMs ?? 30_000;
    return new InvocationContext(
      {
        requestId,
        functionName: fn.name,
        kind,
        provider: this.provider,
        deadline: init.deadline ?? Date.now() + timeout,
        abortMarginMs: this.#binding.abortMarginMs,
        log: init.log,
        host: this,
        raw: init.raw,
        signal: init.signal,
      },
      event,
    );
  }
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && 'deliveryCount' in value && 'source' in value;
}

/** Builds each function's call chain once per cold start: middleware → validation → handler. */
function compile(def: FunctionDefinition, app: App): (ctx: Context<any>) => Promise<unknown> {
  const middleware: Middleware<any>[] = [
    ...app.middleware,
    ...((def.options.middleware ?? []) as Middleware<any>[]),
  ];
  const handler = def.handler as (event: unknown, ctx: Context<unknown>) => unknown;
  switch (def.kind) {
    case 'http': {
      const schema = def.body;
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
      return compose(middleware, async (ctx) => handler(ctx.event, ctx));
  }
}
