/**
 * The function runner's remaining rules, as an adapter meets them: an app with container modules
 * served from a cold runtime (inversify loaded first, for http and batch), an event the function does
 * not take, and the log lines and answers of each translation failure (fields, generic 500 text).
 */
import { ContainerModule } from 'inversify';
import { describe, expect, it, vi } from 'vitest';
import { AppRuntime, bindFunction, type LogLevel, responseText } from '../src/adapter.ts';
import { defineApp, HttpRequest, http, InvalidEventError, Message, queue } from '../src/index.ts';
import { createLogger } from '../src/logger.ts';

type Line = { level: LogLevel; message: string; fields: Record<string, unknown> };

class Greeter {
  greet(name: string) {
    return `hello ${name}`;
  }
}

const seen: string[] = [];
const app = defineApp({
  name: 'runner-edges',
  modules: [new ContainerModule(({ bind }) => void bind(Greeter).toSelf())],
  functions: {
    greet: http('GET /greet/:name', (req, ctx) => ctx.get(Greeter).greet(req.params.name)),
    jobs: queue('jobs', (msg, ctx) => {
      seen.push(ctx.get(Greeter).greet(msg.text()));
    }),
    ids: queue('ids', (_msg, ctx) => {
      seen.push(ctx.requestId);
    }),
  },
});

function setup() {
  const lines: Line[] = [];
  const runtime = new AppRuntime(app, {
    name: 'node',
    sink: (level, message, fields) => lines.push({ level, message, fields }),
  });
  return { runtime, lines };
}

const message = (text: string) =>
  new Message({ id: text, body: new TextEncoder().encode(text), source: 'jobs' });

describe('a cold runtime with container modules', () => {
  it('http: the first request waits for the container and resolves the bound service', async () => {
    const { runtime } = setup();
    const res = await bindFunction(runtime, 'greet').http(
      () => new HttpRequest({ method: 'GET', rawPath: '/greet/ada' }),
    );
    expect(res.status).toBe(200);
    expect(responseText(res)).toBe('hello ada');
  });

  it('batch: the first batch waits for the container too', async () => {
    const { runtime } = setup();
    seen.length = 0;
    const result = await bindFunction(runtime, 'jobs').batch(
      () => [message('bob')],
      'none',
      () => ({}),
    );
    expect(result).toEqual({ failed: [] });
    expect(seen).toEqual(['hello bob']);
  });

  it('loads the container when the runtime is created, before any invocation asks for it', async () => {
    const { runtime } = setup();
    // `container` never starts the load itself: it answers once the load begun at construction settled.
    await vi.waitFor(() => runtime.container, { timeout: 5_000 });
    expect(runtime.ready()).toBeUndefined();
    expect(runtime.container.get(Greeter).greet('eve')).toBe('hello eve');
  });
});

describe('translation failures and skipped events', () => {
  it('an event translated to undefined is handled without running the handler', async () => {
    const { runtime } = setup();
    await runtime.ready();
    seen.length = 0;
    expect(bindFunction(runtime, 'jobs').event(() => undefined)).toEqual({
      outcome: 'handled',
      value: undefined,
    });
    expect(seen).toEqual([]);
  });

  it('invocation fields given as a function are what the handler sees', async () => {
    const { runtime } = setup();
    await runtime.ready();
    seen.length = 0;
    const outcome = bindFunction(runtime, 'ids').event(
      () => message('m'),
      () => ({ requestId: 'from-the-input' }),
    );
    expect(outcome).toEqual({ outcome: 'handled', value: undefined });
    expect(seen).toEqual(['from-the-input']);
  });

  it('an invalid event is logged on the invocation’s own logger when it has one, with the message', async () => {
    const { runtime, lines } = setup();
    await runtime.ready();
    const own: Line[] = [];
    const log = createLogger((level, msg, fields) => own.push({ level, message: msg, fields }), {}, 'debug');
    const outcome = bindFunction(runtime, 'jobs').event(
      () => {
        throw new InvalidEventError('no body', 'body');
      },
      { log },
    );
    expect(outcome).toMatchObject({ outcome: 'rejected' });
    expect(own).toEqual([
      { level: 'warn', message: 'rejected invalid event', fields: { error: 'body: no body' } },
    ]);
    expect(lines).toEqual([]);
  });

  it('an unexpected translation failure: one error line with the error, the function and request id', async () => {
    const { runtime, lines } = setup();
    await runtime.ready();
    const boom = new Error('parser crashed');
    const outcome = bindFunction(runtime, 'jobs').event(
      () => {
        throw boom;
      },
      { requestId: 'r-1' },
    );
    expect(outcome).toEqual({ outcome: 'rejected', error: boom });
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'could not translate the event',
        fields: expect.objectContaining({
          function: 'jobs',
          requestId: 'r-1',
          error: expect.objectContaining({ name: 'Error', message: 'parser crashed' }),
        }),
      },
    ]);
  });

  it('http: an unexpected translation failure is a 500 saying only "Internal Server Error"', async () => {
    const { runtime } = setup();
    await runtime.ready();
    const res = await bindFunction(runtime, 'greet').http(() => {
      throw new Error('secret');
    });
    expect(res.status).toBe(500);
    expect(JSON.parse(responseText(res))).toEqual({ error: 'Internal Server Error' });
  });

  it('batch: a batch that cannot be translated is logged naming the function', async () => {
    const { runtime, lines } = setup();
    await runtime.ready();
    const result = await bindFunction(runtime, 'jobs').batch(
      () => {
        throw new InvalidEventError('not a batch', 'Records');
      },
      'none',
      () => ({}),
    );
    expect(result).toMatchObject({ outcome: 'rejected' });
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'rejected invalid batch',
        fields: expect.objectContaining({ function: 'jobs', error: 'Records: not a batch' }),
      },
    ]);
  });
});
