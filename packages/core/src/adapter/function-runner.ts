import { type BatchOrder, type BatchResult, processBatch } from '../batch.ts';
import { InvalidEventError } from '../errors.ts';
import type { HttpRequest } from '../http-request.ts';
import { errorResponse, type HttpResponse } from '../http-response.ts';
import type { InvocationInit } from '../invocation-init.ts';
import type { Logger } from '../logger.ts';
import type { Message } from '../message.ts';
import { type AppRuntime, type CompiledFunction, invocationSteps as steps } from '../runtime.ts';
import { toError } from './to-error.ts';

/**
 * The provider input could not be turned into a neutral event. Already logged (one line: a warning
 * for `InvalidEventError`, an error otherwise); the adapter rejects the input its provider's way
 * (a 400, a failed message), never acknowledges it.
 */
export interface TranslationFailure {
  readonly outcome: 'rejected';
  readonly error: Error;
}

/**
 * How one event ended, for the adapter to report its provider's way. Every outcome is already logged
 * once: `handled` (acknowledge), `rejected` (the input could not be translated: never acknowledge, a
 * 400 where the provider speaks http), `failed` (the handler threw: never acknowledge, let the
 * provider retry).
 */
export type EventOutcome =
  | { readonly outcome: 'handled'; readonly value: unknown }
  | TranslationFailure
  | { readonly outcome: 'failed'; readonly error: Error };

/**
 * The invocation fields of one event: fixed, or computed once translation succeeded (when the
 * request id or `raw` come out of the translated input, a CloudEvent's id say).
 */
export type EventInit = InvocationInit | (() => InvocationInit);

/**
 * One function bound once per cold start. Its entry points never throw and never reject: translation
 * failures and handler failures come back as responses (`http`) or outcomes (`event`, `batch`), each
 * logged once, so every adapter answers bad input and failing handlers the same way.
 */
export interface FunctionRunner {
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
  /**
   * Translates one event and runs the function on it. Synchronous when the handler is. A
   * translation to `undefined` is input this function does not take (an event type it did not ask
   * for): handled, without running the handler.
   */
  event(translate: () => unknown, init?: EventInit): EventOutcome | Promise<EventOutcome>;
  /**
   * Translates a batch and runs the function on each message as `order` allows (see `BatchOrder`);
   * `failed` lists the messages the provider must redeliver. `order` as a function is asked once the
   * batch is translated (a push body that says whether it is ordered).
   */
  batch(
    translate: () => readonly Message[],
    order: BatchOrder | (() => BatchOrder),
    init: (message: Message) => InvocationInit,
  ): Promise<BatchResult | TranslationFailure>;
}

/**
 * Binds a function (by name or compiled) of the runtime once; the adapter keeps the runner for the
 * life of the cold start.
 *
 * @example
 * const runner = bindFunction(runtime, 'orders');
 * const outcome = await runner.event(() => messageFromCloudEvent(ce, 'orders'), { requestId: ce.id });
 * if (outcome.outcome !== 'handled') throw outcome.error; // the provider retries
 * @coldStart
 */
export function bindFunction(runtime: AppRuntime, fn: CompiledFunction | string): FunctionRunner {
  const compiled = typeof fn === 'string' ? runtime.function(fn) : fn;
  return new BoundFunction(runtime, compiled);
}

class BoundFunction implements FunctionRunner {
  readonly runtime: AppRuntime;
  readonly fn: CompiledFunction;

  constructor(runtime: AppRuntime, fn: CompiledFunction) {
    this.runtime = runtime;
    this.fn = fn;
  }

  http(
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
      return rejectionResponse(rejectInput(error, logFor(this.runtime, this.fn.name, init), 'request'));
    }
    return steps.http(this.runtime, req, init, this.fn, params);
  }

  event(translate: () => unknown, init: EventInit = {}): EventOutcome | Promise<EventOutcome> {
    const loading = this.runtime.ready();
    if (loading) return loading.then(() => this.event(translate, init));
    let event: unknown;
    try {
      event = translate();
    } catch (error) {
      const log = typeof init === 'function' ? undefined : init;
      return rejectInput(error, logFor(this.runtime, this.fn.name, log), 'event');
    }
    if (event === undefined) return { outcome: 'handled', value: undefined };
    let out: unknown;
    try {
      out = steps.event(this.runtime, this.fn, event, typeof init === 'function' ? init() : init);
    } catch (error) {
      // Logged by the runtime, once, with the message id.
      return { outcome: 'failed', error: toError(error) };
    }
    if (out instanceof Promise) {
      return out.then(
        (value): EventOutcome => ({ outcome: 'handled', value }),
        (error): EventOutcome => ({ outcome: 'failed', error: toError(error) }),
      );
    }
    return { outcome: 'handled', value: out };
  }

  async batch(
    translate: () => readonly Message[],
    order: BatchOrder | (() => BatchOrder),
    init: (message: Message) => InvocationInit,
  ): Promise<BatchResult | TranslationFailure> {
    const loading = this.runtime.ready();
    if (loading) await loading;
    let messages: readonly Message[];
    try {
      messages = translate();
    } catch (error) {
      return rejectInput(error, this.runtime.log.child({ function: this.fn.name }), 'batch');
    }
    return processBatch(this.runtime, this.fn, messages, typeof order === 'function' ? order() : order, init);
  }
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
  const runner: AppHttpRunner = {
    runtime,
    http(translate, init = {}) {
      const loading = runtime.ready();
      if (loading) return loading.then(() => runner.http(translate, init));
      let req: HttpRequest;
      try {
        req = translate();
      } catch (error) {
        return rejectionResponse(rejectInput(error, logFor(runtime, undefined, init), 'request'));
      }
      return steps.http(runtime, req, init);
    },
  };
  return runner;
}

/**
 * The one answer to input that could not be translated, where the provider speaks http: a 400
 * naming what was wrong for an `InvalidEventError`, otherwise a generic 500 (the error was logged;
 * its message never reaches the client).
 */
export function rejectionResponse(failure: TranslationFailure): HttpResponse {
  return failure.error instanceof InvalidEventError
    ? errorResponse(400, failure.error.message)
    : errorResponse(500, 'Internal Server Error');
}

function logFor(runtime: AppRuntime, fn: string | undefined, init: InvocationInit | undefined): Logger {
  return init?.log ?? runtime.log.child({ function: fn, requestId: init?.requestId });
}

/** The one translation-failure policy: one log line, the input rejected, nothing acknowledged. */
function rejectInput(error: unknown, log: Logger, what: string): TranslationFailure {
  if (error instanceof InvalidEventError) {
    log.warn(`rejected invalid ${what}`, { error: error.message });
    return { outcome: 'rejected', error };
  }
  const failure = toError(error);
  log.error(`could not translate the ${what}`, { error: failure });
  return { outcome: 'rejected', error: failure };
}
