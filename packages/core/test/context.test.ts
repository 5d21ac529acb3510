/**
 * The invocation context a handler sees (`ctx`): request id, deadline, remaining time, logger,
 * services, state and the abort signal, each as documented on `Context` (packages/core/src/context.ts).
 * Fake timers drive the clock, so deadlines and the signal's margin are exact.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ContextFacts, type ContextHost, InvocationContext } from '../src/context.ts';
import { createLogger, type LogFields, type Logger } from '../src/logger.ts';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function hostWith(overrides: Partial<ContextHost> = {}): ContextHost & { lines: [string, LogFields][] } {
  const lines: [string, LogFields][] = [];
  return {
    lines,
    log: createLogger((_level, message, fields) => lines.push([message, fields]), {}, 'debug'),
    provider: 'node',
    abortMarginMs: undefined,
    resolve: (key) => `resolved ${String((key as { description?: string }).description ?? key)}` as never,
    ...overrides,
  };
}

function contextOf(
  facts: ContextFacts = {},
  options: { host?: ContextHost; requestId?: string; deadline?: number; timeoutMs?: number } = {},
) {
  return new InvocationContext(
    options.host ?? hostWith(),
    facts,
    'orders',
    'queue',
    options.requestId,
    options.deadline,
    options.timeoutMs ?? 60_000,
    { id: 'm1' },
  );
}

describe('InvocationContext', () => {
  it('keeps the provider’s request id, else makes one up once', () => {
    expect(contextOf({}, { requestId: 'req-1' }).requestId).toBe('req-1');
    const ctx = contextOf();
    const id = ctx.requestId;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ctx.requestId).toBe(id);
    expect(contextOf().requestId).not.toBe(id);
  });

  it('the deadline: given, else asked of the provider once, else the function’s timeout', () => {
    expect(contextOf({}, { deadline: T0 + 5 }).deadline).toBe(T0 + 5);
    const remainingMs = vi.fn(() => 1_234);
    const asked = contextOf({ remainingMs });
    expect(asked.deadline).toBe(T0 + 1_234);
    vi.advanceTimersByTime(100);
    expect(asked.deadline).toBe(T0 + 1_234);
    expect(remainingMs).toHaveBeenCalledTimes(1);
    expect(contextOf({}, { timeoutMs: 9_000 }).deadline).toBe(Date.now() + 9_000);
    // A provider that answers no finite time (Infinity, NaN) leaves the function's own timeout.
    expect(contextOf({ remainingMs: () => Number.POSITIVE_INFINITY }, { timeoutMs: 7_000 }).deadline).toBe(
      Date.now() + 7_000,
    );
    expect(contextOf({ remainingMs: () => Number.NaN }, { timeoutMs: 7_000 }).deadline).toBe(
      Date.now() + 7_000,
    );
    expect(contextOf({ remainingMs: () => undefined as never }, { timeoutMs: 7_000 }).deadline).toBe(
      Date.now() + 7_000,
    );
    expect(contextOf({ remainingMs: () => 0 }, { timeoutMs: 7_000 }).deadline).toBe(Date.now());
  });

  it('remainingMs counts down to the deadline and never below 0', () => {
    const ctx = contextOf({}, { deadline: T0 + 1_000 });
    expect(ctx.remainingMs()).toBe(1_000);
    vi.advanceTimersByTime(400);
    expect(ctx.remainingMs()).toBe(600);
    vi.advanceTimersByTime(5_000);
    expect(ctx.remainingMs()).toBe(0);
  });

  it('provider, raw, services and state', () => {
    const raw = { event: 'as sent' };
    const ctx = contextOf({ raw }, { host: hostWith({ provider: 'gcp' }) });
    expect(ctx.provider).toBe('gcp');
    expect(ctx.raw).toBe(raw);
    expect(ctx.get(Symbol('Queue') as never)).toBe('resolved Queue');
    expect(ctx.functionName).toBe('orders');
    expect(ctx.kind).toBe('queue');
    expect(ctx.event).toEqual({ id: 'm1' });
    ctx.state.set('user', 'ada');
    expect(ctx.state.get('user')).toBe('ada');
    expect(ctx.state).toBe(ctx.state);
  });

  it('the logger: the provider’s when given, else a child naming the function and request id', () => {
    const own: Logger = createLogger(() => undefined);
    expect(contextOf({ log: own }).log).toBe(own);
    const host = hostWith();
    const ctx = contextOf({}, { host, requestId: 'req-9' });
    expect(ctx.log).toBe(ctx.log);
    ctx.log.info('hello', { n: 1 });
    expect(host.lines).toEqual([['hello', { function: 'orders', requestId: 'req-9', n: 1 }]]);
  });

  it('the signal aborts 500 ms before the deadline by default, with a TimeoutError naming the function', () => {
    const ctx = contextOf({}, { deadline: T0 + 10_000 });
    const signal = ctx.signal;
    expect(ctx.signal).toBe(signal);
    vi.advanceTimersByTime(9_499);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    expect((signal.reason as DOMException).message).toBe('orders is about to reach its deadline');
  });

  it('the margin: the host’s, clamped to half the time left', () => {
    const own = contextOf({}, { deadline: T0 + 10_000, host: hostWith({ abortMarginMs: 2_000 }) }).signal;
    vi.advanceTimersByTime(7_999);
    expect(own.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(own.aborted).toBe(true);
    const short = contextOf({}, { deadline: Date.now() + 600 }).signal;
    vi.advanceTimersByTime(299);
    expect(short.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(short.aborted).toBe(true);
  });

  it('a deadline already past: aborted at once', () => {
    const signal = contextOf({}, { deadline: T0 - 1 }).signal;
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('the provider’s signal (client gone, host cancel) aborts it too, with its reason', () => {
    const gone = new AbortController();
    const ctx = contextOf({ signal: gone.signal }, { deadline: T0 + 60_000 });
    expect(ctx.signal.aborted).toBe(false);
    gone.abort(new Error('client disconnected'));
    expect(ctx.signal.aborted).toBe(true);
    expect((ctx.signal.reason as Error).message).toBe('client disconnected');
    const already = new AbortController();
    already.abort('cancelled');
    const late = contextOf({ signal: already.signal }, { deadline: T0 + 60_000 }).signal;
    expect(late.aborted).toBe(true);
    expect(late.reason).toBe('cancelled');
  });

  it('dispose() stops the deadline timer: an ended invocation’s signal never fires', () => {
    const ctx = contextOf({}, { deadline: T0 + 1_000 });
    const signal = ctx.signal;
    ctx.dispose();
    vi.advanceTimersByTime(5_000);
    expect(signal.aborted).toBe(false);
    contextOf().dispose();
  });
});
