/**
 * `AppRuntime.invokeByName`, the target side of `FunctionClient.invoke` (node in-process, Lambda
 * Invoke): what the target sees (its request id, deadline, raw input, logger and signal from the
 * caller's init) and what the caller gets back, for an http target and an event-kind target; and
 * `runtime.function()` of a name the app does not have.
 */
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { AppRuntime, createLogger, type InvocationInit, type LogLevel } from '../src/adapter.ts';
import {
  type Context,
  defineApp,
  FunctionInvokeError,
  HttpError,
  http,
  type Logger,
  queue,
  schedule,
  token,
} from '../src/index.ts';

type Line = { level: LogLevel; message: string; fields: Record<string, unknown> };

function runtimeOf(definition: Omit<Parameters<typeof defineApp>[0], 'name'>) {
  const lines: Line[] = [];
  const runtime = new AppRuntime(defineApp({ name: 'invoke', ...definition }), {
    name: 'node',
    sink: (level, message, fields) => lines.push({ level, message, fields }),
  });
  return { runtime, lines };
}

describe('invokeByName', () => {
  it('an http target: gets the payload as its JSON body, the caller gets its JSON answer', async () => {
    const { runtime } = runtimeOf({
      functions: {
        price: http('POST /price/:sku', async (req) => {
          const body = req.json() as { sku: string; qty: number };
          return { sku: req.params.sku, total: body.qty * 3 };
        }),
      },
    });
    await expect(runtime.invokeByName('price', { sku: 'A1', qty: 4 })).resolves.toEqual({
      sku: 'A1',
      total: 12,
    });
  });

  it('an http target that answers an error: the caller gets a FunctionInvokeError with its status', async () => {
    const { runtime } = runtimeOf({
      functions: {
        gone: http('POST /gone', () => {
          throw new HttpError(410, 'no longer sold');
        }),
      },
    });
    const error = await runtime.invokeByName('gone', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvokeError);
    expect(error).toMatchObject({ status: 410, errorMessage: 'no longer sold' });
  });

  it('a queue target: its synchronous result is the answer, its id the caller’s request id', async () => {
    const seen: { id: string; requestId: string; text: string }[] = [];
    const { runtime } = runtimeOf({
      functions: {
        audit: queue('audit', (msg, ctx) => {
          seen.push({ id: msg.id, requestId: ctx.requestId, text: msg.text() });
          return 'logged';
        }),
      },
    });
    await expect(runtime.invokeByName('audit', { who: 'ana' }, { requestId: 'call-7' })).resolves.toBe(
      'logged',
    );
    expect(seen).toEqual([{ id: 'call-7', requestId: 'call-7', text: '{"who":"ana"}' }]);
  });

  it('without a request id from the caller, one is made and used for both the message and the context', async () => {
    const seen: { id: string; requestId: string }[] = [];
    const { runtime } = runtimeOf({
      functions: {
        audit: queue('audit', (msg, ctx) => {
          seen.push({ id: msg.id, requestId: ctx.requestId });
        }),
      },
    });
    await runtime.invokeByName('audit', 1);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[0]!.requestId).toBe(seen[0]!.id);
  });

  it('a target that throws synchronously: the call rejects with its error, logged once', async () => {
    const { runtime, lines } = runtimeOf({
      functions: {
        tick: schedule('tick', '* * * * *', () => {
          throw new Error('tick failed');
        }),
      },
    });
    await expect(runtime.invokeByName('tick', undefined)).rejects.toThrow('tick failed');
    expect(lines.map((l) => [l.level, l.message])).toEqual([['error', 'schedule handler failed']]);
  });

  it('a target that rejects: the call rejects with its error', async () => {
    const { runtime } = runtimeOf({
      functions: { later: queue('later', async () => Promise.reject(new RangeError('too late'))) },
    });
    await expect(runtime.invokeByName('later', 1)).rejects.toThrow(RangeError);
  });

  it('an app with container modules, invoked cold: inversify is loaded before the target runs', async () => {
    const Greeting = token<string>('test.invoke.Greeting');
    const { runtime } = runtimeOf({
      modules: [new ContainerModule(({ bind }) => void bind(Greeting).toConstantValue('hej'))],
      functions: { greet: queue('greet', (_msg, ctx) => ctx.get(Greeting)) },
    });
    await expect(runtime.invokeByName('greet', 1)).resolves.toBe('hej');
  });

  it('an unknown name: a TypeError naming it and the functions there are', async () => {
    const { runtime } = runtimeOf({
      functions: { a: queue('a', () => undefined), b: queue('b', () => undefined) },
    });
    await expect(runtime.invokeByName('c', 1)).rejects.toThrow(
      new TypeError('no function named "c" (functions: a, b)'),
    );
    expect(() => runtime.function('c')).toThrow(new TypeError('no function named "c" (functions: a, b)'));
    expect(runtime.function('b').name).toBe('b');
  });
});

describe('invokeByName hands the caller’s init to the target', () => {
  function capture() {
    let ctx: Context | undefined;
    const { runtime } = runtimeOf({
      functions: {
        target: queue('target', { timeoutMs: 60_000 }, (_msg, c) => {
          ctx = c;
        }),
      },
    });
    return {
      invoke: async (init: InvocationInit) => {
        await runtime.invokeByName('target', 1, init);
        return ctx!;
      },
    };
  }

  it('the caller’s remaining time becomes the deadline, fixed when the call is made', async () => {
    const { invoke } = capture();
    let asked = 0;
    const before = Date.now();
    const ctx = await invoke({
      remainingMs: () => {
        asked++;
        return 5_000;
      },
    });
    const after = Date.now();
    expect(asked).toBe(1);
    expect(ctx.deadline).toBeGreaterThanOrEqual(before + 5_000);
    expect(ctx.deadline).toBeLessThanOrEqual(after + 5_000);
  });

  it('a caller’s deadline is kept as given, and its remaining time is not asked then', async () => {
    const { invoke } = capture();
    let asked = 0;
    const ctx = await invoke({
      deadline: 1_234_567,
      remainingMs: () => {
        asked++;
        return 1;
      },
    });
    expect(ctx.deadline).toBe(1_234_567);
    expect(asked).toBe(0);
  });

  it('a remaining time that is not finite: the target’s own timeout', async () => {
    const { invoke } = capture();
    const before = Date.now();
    const ctx = await invoke({ remainingMs: () => Number.POSITIVE_INFINITY });
    expect(ctx.deadline).toBeGreaterThanOrEqual(before + 60_000);
    expect(ctx.deadline).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('no remaining time at all: the target’s own timeout', async () => {
    const { invoke } = capture();
    const before = Date.now();
    const ctx = await invoke({});
    expect(ctx.deadline).toBeGreaterThanOrEqual(before + 60_000);
    expect(ctx.deadline).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('raw, logger and signal reach the target', async () => {
    const { invoke } = capture();
    const lines: string[] = [];
    const log: Logger = createLogger((_level, message) => lines.push(message), {}, 'debug');
    const controller = new AbortController();
    const raw = { from: 'caller' };
    const ctx = await invoke({ raw, log, signal: controller.signal });
    expect(ctx.raw).toBe(raw);
    ctx.log.info('through the caller’s logger');
    expect(lines).toEqual(['through the caller’s logger']);
    const signal = ctx.signal;
    expect(signal.aborted).toBe(false);
    controller.abort(new Error('caller gone'));
    expect(signal.aborted).toBe(true);
  });
});
