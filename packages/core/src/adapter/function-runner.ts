import { type BatchOrder, type BatchResult, processBatch } from '../batch.ts';
import type { InvocationInit } from '../invocation-init.ts';
import type { Message } from '../message.ts';
import { type AppRuntime, type CompiledFunction, invocationSteps as steps } from '../runtime.ts';
import { type HttpRunner, runHttp } from './http-runner.ts';
import { toError } from './to-error.ts';
import { logFor, rejectInput, type TranslationFailure } from './translation-failure.ts';

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
 * One function bound once per cold start: the http runner's `http`, and `event` and `batch`. Its
 * entry points never throw and never reject: translation failures and handler failures come back as
 * responses (`http`) or outcomes (`event`, `batch`), each logged once, so every adapter answers bad
 * input and failing handlers the same way. An http function needs only `bindHttpFunction`.
 */
export interface FunctionRunner extends HttpRunner {
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
  return { runtime, fn: compiled, http: runHttp, event: runEvent, batch: runBatch };
}

/** `FunctionRunner#event`. */
function runEvent(
  this: FunctionRunner,
  translate: () => unknown,
  init: EventInit = {},
): EventOutcome | Promise<EventOutcome> {
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

/** `FunctionRunner#batch`. */
async function runBatch(
  this: FunctionRunner,
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
