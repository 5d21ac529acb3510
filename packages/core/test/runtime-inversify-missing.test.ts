/**
 * An app with container modules whose DI container (inversify) cannot be loaded: `ready()` never
 * rejects, each failed load is logged once with its error, the invocation runs without the
 * container and fails as a handler error when it asks for a service (a 500, the message not
 * acknowledged), and the next invocation tries the load again. Before this was pinned down, the
 * runners asked `ready()` again after a failed load, which started the next load at once: a
 * missing inversify kept one request loading forever, an error line per attempt.
 *
 * inversify is mocked so that its import fails while `state.fail` is set (as a bundle missing it
 * would), then loads for real.
 */
import { describe, expect, it, vi } from 'vitest';
import { AppRuntime, bindApp, bindFunction, type LogLevel } from '../src/adapter.ts';
import { defineApp, HttpRequest, http, queue, token } from '../src/index.ts';

const state = vi.hoisted(() => ({ fail: true, imports: 0 }));
vi.mock('inversify', async (importOriginal) => {
  state.imports++;
  if (state.fail) throw new Error('Cannot find package inversify');
  return importOriginal();
});

type Line = { level: LogLevel; message: string; fields: Record<string, unknown> };

describe('a DI container that cannot be loaded', () => {
  it('at construction, with nobody waiting: the first invocation tries the load again', async () => {
    const Greeting = token<string>('test.missing.eager');
    const lines: Line[] = [];
    const { ContainerModule } = await vi.importActual<typeof import('inversify')>('inversify');
    const base = state.imports;
    const runtime = new AppRuntime(
      defineApp({
        name: 'eager',
        modules: [new ContainerModule(({ bind }) => void bind(Greeting).toConstantValue('hej'))],
        functions: { greet: http('GET /greet', (_req, ctx) => ctx.get(Greeting)) },
      }),
      { name: 'node', sink: (level, message, fields) => lines.push({ level, message, fields }) },
    );
    // The constructor starts the load; it fails with no invocation waiting for it.
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(state.imports - base).toBe(1);
    expect(lines[0]!.message).toBe('could not load the DI container (inversify)');
    const res = await bindApp(runtime).http(() => new HttpRequest({ method: 'GET', rawPath: '/greet' }));
    expect(res.status).toBe(500);
    expect(state.imports - base).toBe(2);
    expect(lines.map((l) => l.message)).toEqual([
      'could not load the DI container (inversify)',
      'could not load the DI container (inversify)',
      'handler failed',
    ]);
  });

  it('is logged per attempt, fails the invocations that need it, and is loaded by a later one', async () => {
    const { ContainerModule } = await vi.importActual<typeof import('inversify')>('inversify');
    const Greeting = token<string>('test.missing.Greeting');
    const lines: Line[] = [];
    const base = state.imports;
    const runtime = new AppRuntime(
      defineApp({
        name: 'missing',
        modules: [new ContainerModule(({ bind }) => void bind(Greeting).toConstantValue('hej'))],
        functions: {
          greet: http('GET /greet', (_req, ctx) => ctx.get(Greeting)),
          plain: http('GET /plain', () => 'no services'),
          q: queue('q', (_msg, ctx) => ctx.get(Greeting)),
        },
      }),
      { name: 'node', sink: (level, message, fields) => lines.push({ level, message, fields }) },
    );
    const get = (rawPath: string) => bindApp(runtime).http(() => new HttpRequest({ method: 'GET', rawPath }));

    // Asked directly (joining the load the constructor started): a promise that resolves, one line
    // with the error, no container.
    const first = runtime.ready();
    expect(first).toBeInstanceOf(Promise);
    await expect(first).resolves.toBeUndefined();
    expect(state.imports - base).toBe(1);
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'could not load the DI container (inversify)',
        fields: {
          app: 'missing',
          error: expect.objectContaining({ name: 'Error', message: expect.any(String) }),
        },
      },
    ]);
    expect(() => runtime.container).toThrow(
      new TypeError('the container is built once inversify is loaded: await runtime.ready() first'),
    );
    expect(() => runtime.resolve(Greeting)).toThrow(
      new TypeError(
        'cannot resolve polycloud.test.missing.Greeting before inversify is loaded: await runtime.ready()',
      ),
    );
    // The caller that waited for that failed load, asking again, runs without it.
    expect(runtime.ready()).toBeUndefined();
    lines.length = 0;

    // An http request tries once more, then runs: a handler that needs a service is a 500.
    const refused = await get('/greet');
    expect(refused.status).toBe(500);
    expect(state.imports - base).toBe(2);
    expect(lines.map((l) => l.message)).toEqual([
      'could not load the DI container (inversify)',
      'handler failed',
    ]);
    lines.length = 0;
    // One that needs none answers.
    const plain = await get('/plain');
    expect(plain.status).toBe(200);
    expect(state.imports - base).toBe(3);
    lines.length = 0;

    // A message: one more attempt, then the handler fails and the message is not acknowledged.
    const failed = await bindFunction(runtime, 'q').event(() => ({
      id: 'm1',
      deliveryCount: 1,
      source: 'q',
    }));
    expect(failed).toMatchObject({ outcome: 'failed' });
    expect(state.imports - base).toBe(4);
    expect(lines.map((l) => l.message)).toEqual([
      'could not load the DI container (inversify)',
      'queue handler failed',
    ]);

    // invokeByName waits the same way and is refused the same way.
    await expect(runtime.invokeByName('q', 1)).rejects.toThrow(/before inversify is loaded/);
    expect(state.imports - base).toBe(5);

    // Once inversify is there, the next invocation loads it and every later one runs without waiting.
    state.fail = false;
    const res = await get('/greet');
    expect(res.status).toBe(200);
    expect(state.imports - base).toBe(6);
    expect(runtime.ready()).toBeUndefined();
    // Synchronous now: nothing is left to wait for.
    expect(bindFunction(runtime, 'q').event(() => ({ id: 'm2', deliveryCount: 1, source: 'q' }))).toEqual({
      outcome: 'handled',
      value: 'hej',
    });
    await expect(runtime.invokeByName('q', 1)).resolves.toBe('hej');
    expect(state.imports - base).toBe(6);
  });
});
