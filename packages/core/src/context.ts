import type { FunctionKind } from './function-kind.ts';
import type { InvocationInit } from './invocation-init.ts';
import type { Logger } from './logger.ts';
import { newRequestId } from './request-id.ts';
import type { ProviderName } from './services.ts';
import type { ServiceKey } from './tokens.ts';

/**
 * What a handler and its middleware see about the current invocation.
 *
 * @example
 * http('GET /me', (req, ctx: Context) => ({ requestId: ctx.requestId, left: ctx.remainingMs() }));
 */
export interface Context<E = unknown> {
  readonly requestId: string;
  readonly functionName: string;
  readonly kind: FunctionKind;
  readonly provider: ProviderName;
  /** Epoch milliseconds at which the provider stops the invocation. */
  readonly deadline: number;
  remainingMs(): number;
  /** Aborts a safety margin before the deadline, so work can stop cleanly instead of being killed. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /**
   * Resolves a service from the app's container (built once per cold start): a token
   * (`ctx.get(Queue)` is a `Queue`) or a bound class (`ctx.get(OrderStore)` is an `OrderStore`).
   */
  get<T>(key: ServiceKey<T>): T;
  /** The neutral event being handled (middleware reads it here). */
  event: E;
  /** The untouched provider input and context: an explicit, greppable escape hatch. */
  readonly raw: unknown;
  /** Per-invocation scratch space for middleware to pass values to handlers. */
  readonly state: Map<string | symbol, unknown>;
}

/** What a context needs from the runtime: passed as one object, not closures, so an invocation allocates little. */
export interface ContextHost {
  readonly log: Logger;
  readonly provider: ProviderName;
  /** How long before the deadline `signal` fires (default 500 ms, clamped to half the remaining time). */
  readonly abortMarginMs: number | undefined;
  resolve<T>(key: ServiceKey<T>): T;
}

/**
 * The provider's facts about one invocation: the runtime's `InvocationInit`, kept by reference (an
 * adapter may compute `raw` in a getter). Without `log`, a child of `host.log` is built on first use;
 * `signal` (client disconnect, host cancellation) also aborts the context's signal.
 */
export type ContextFacts = Pick<InvocationInit, 'raw' | 'log' | 'signal' | 'remainingMs'>;

export class InvocationContext<E> implements Context<E> {
  #requestId: string | undefined;
  readonly functionName: string;
  readonly kind: FunctionKind;
  event: E;
  #deadline: number | undefined;
  readonly #timeoutMs: number;
  #host: ContextHost;
  #facts: ContextFacts;
  #log?: Logger;
  #controller?: AbortController;
  #timer?: NodeJS.Timeout;
  #state?: Map<string | symbol, unknown>;

  constructor(
    host: ContextHost,
    facts: ContextFacts,
    functionName: string,
    kind: FunctionKind,
    requestId: string | undefined,
    deadline: number | undefined,
    timeoutMs: number,
    event: E,
  ) {
    this.#host = host;
    this.#facts = facts;
    this.#requestId = requestId;
    this.functionName = functionName;
    this.kind = kind;
    this.#deadline = deadline;
    this.#timeoutMs = timeoutMs;
    this.event = event;
  }

  /** Epoch milliseconds at which the provider stops the invocation (asked of the provider on first read). */
  /**
   * The provider's id of this invocation, or one made up on first read: most requests of a
   * self-hosted server never read it, and the first one made loads node:crypto (issue 12).
   */
  get requestId(): string {
    this.#requestId ??= newRequestId();
    return this.#requestId;
  }

  get deadline(): number {
    if (this.#deadline === undefined) {
      const remaining = this.#facts.remainingMs?.();
      this.#deadline =
        Date.now() + (remaining !== undefined && Number.isFinite(remaining) ? remaining : this.#timeoutMs);
    }
    return this.#deadline;
  }

  get provider(): ProviderName {
    return this.#host.provider;
  }

  get raw(): unknown {
    return this.#facts.raw;
  }

  get log(): Logger {
    this.#log ??=
      this.#facts.log ?? this.#host.log.child({ function: this.functionName, requestId: this.requestId });
    return this.#log;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  get<T>(key: ServiceKey<T>): T {
    return this.#host.resolve(key);
  }

  get state(): Map<string | symbol, unknown> {
    this.#state ??= new Map();
    return this.#state;
  }

  /** Created on first read: invocations that never look at it pay for no timer. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      const remaining = this.remainingMs();
      const margin = Math.min(this.#host.abortMarginMs ?? 500, remaining / 2);
      const reason = () =>
        new DOMException(`${this.functionName} is about to reach its deadline`, 'TimeoutError');
      // Stryker disable next-line ArithmeticOperator: the margin is at most half the time left, so both sums reach 0 only when nothing is left
      if (remaining - margin <= 0) controller.abort(reason());
      else {
        this.#timer = setTimeout(() => controller.abort(reason()), remaining - margin);
        this.#timer.unref();
      }
      const outer = this.#facts.signal;
      if (outer) {
        if (outer.aborted) controller.abort(outer.reason);
        else {
          // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once, so the listener runs once either way; `once` only lets it go
          outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
        }
      }
    }
    return this.#controller.signal;
  }

  /** Called by the runtime when the invocation ends. */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }
}
