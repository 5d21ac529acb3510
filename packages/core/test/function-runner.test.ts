import { describe, expect, it } from 'vitest';
import { AppRuntime, bindFunction, type LogLevel, responseText } from '../src/adapter.ts';
import { defineApp, HttpError, HttpRequest, http, InvalidEventError, Message, queue } from '../src/index.ts';

type Line = { level: LogLevel; message: string; fields: Record<string, unknown> };

const app = defineApp({
  name: 'runner-test',
  functions: {
    hello: http('GET /hello', () => 'hi'),
    teapot: http('GET /teapot', () => {
      throw new HttpError(418, 'short and stout');
    }),
    boom: http('GET /boom', () => {
      throw new Error('secret database password');
    }),
    jobs: queue('jobs', (msg) => {
      if (msg.text() === 'fail') throw new Error('job failed');
      return msg.text().toUpperCase();
    }),
    slowJobs: queue('slow-jobs', async (msg) => {
      if (msg.text() === 'fail') throw new Error('job failed');
      return msg.text();
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

const get = (rawPath: string) => () => new HttpRequest({ method: 'GET', rawPath });
const message = (text: string, id = text) =>
  new Message({ id, body: new TextEncoder().encode(text), source: 'jobs' });

describe('bindFunction: http', () => {
  it('answers a synchronous handler without a promise', () => {
    const { runtime } = setup();
    const res = bindFunction(runtime, 'hello').http(get('/hello'), { requestId: 'r1' });
    expect(res).not.toBeInstanceOf(Promise);
    expect(responseText(res as Exclude<typeof res, Promise<unknown>>)).toBe('hi');
  });

  it('answers an input that cannot be translated with a 400 carrying the InvalidEventError message, logged once', async () => {
    const { runtime, lines } = setup();
    const res = await bindFunction(runtime, 'hello').http(() => {
      throw new InvalidEventError('must be a string', 'headers.host');
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(responseText(res)).error).toBe('headers.host: must be a string');
    expect(lines.map((l) => [l.level, l.message])).toEqual([['warn', 'rejected invalid request']]);
  });

  it('answers an unexpected translation failure with a generic 500: no message reaches the client', async () => {
    const { runtime, lines } = setup();
    const res = await bindFunction(runtime, 'hello').http(() => {
      throw new TypeError('adapter bug with secret detail');
    });
    expect(res.status).toBe(500);
    expect(responseText(res)).not.toContain('secret');
    expect(lines.map((l) => [l.level, l.message])).toEqual([['error', 'could not translate the request']]);
  });

  it('keeps the handler failure policy: HttpError its status, anything else a generic 500', async () => {
    const { runtime } = setup();
    expect((await bindFunction(runtime, 'teapot').http(get('/teapot'))).status).toBe(418);
    const res = await bindFunction(runtime, 'boom').http(get('/boom'));
    expect(res.status).toBe(500);
    expect(responseText(res)).not.toContain('secret');
  });
});

describe('bindFunction: event', () => {
  it('reports a handled event synchronously when the handler is synchronous', () => {
    const { runtime } = setup();
    expect(bindFunction(runtime, 'jobs').event(() => message('a'))).toEqual({
      outcome: 'handled',
      value: 'A',
    });
  });

  it('reports a failing handler as failed (logged once by the runtime), never throwing', async () => {
    const { runtime, lines } = setup();
    const sync = bindFunction(runtime, 'jobs').event(() => message('fail'));
    expect(sync).toMatchObject({ outcome: 'failed', error: { message: 'job failed' } });
    const later = await bindFunction(runtime, 'slowJobs').event(() => message('fail', 'm2'));
    expect(later).toMatchObject({ outcome: 'failed', error: { message: 'job failed' } });
    expect(lines.filter((l) => l.level === 'error').map((l) => l.fields.messageId)).toEqual(['fail', 'm2']);
  });

  it('reports an untranslatable event as rejected with one warning, without running the handler', () => {
    const { runtime, lines } = setup();
    const outcome = bindFunction(runtime, 'jobs').event(() => {
      throw new InvalidEventError('is not valid base64', 'message.data');
    });
    expect(outcome).toMatchObject({
      outcome: 'rejected',
      error: { message: 'message.data: is not valid base64' },
    });
    expect(lines.map((l) => [l.level, l.message])).toEqual([['warn', 'rejected invalid event']]);
  });
});

describe('bindFunction: batch', () => {
  it('lists the failed messages for redelivery', async () => {
    const { runtime } = setup();
    const result = await bindFunction(runtime, 'jobs').batch(
      () => [message('a'), message('fail'), message('b')],
      'none',
      (m) => ({ requestId: m.id }),
    );
    expect('failed' in result && result.failed.map((m) => m.id)).toEqual(['fail']);
  });

  it('rejects a batch that cannot be translated, with one log line', async () => {
    const { runtime, lines } = setup();
    const result = await bindFunction(runtime, 'jobs').batch(
      () => {
        throw new InvalidEventError('must be an array', 'Records');
      },
      'batch',
      () => ({}),
    );
    expect(result).toMatchObject({ outcome: 'rejected', error: { message: 'Records: must be an array' } });
    expect(lines).toHaveLength(1);
  });
});
