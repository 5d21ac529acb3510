/**
 * What the runtime answers and logs for each way a handler ends, as a client and an operator meet it:
 * the 500's fixed text and its log line, an HttpError's status, details and server-error line from
 * 500 up, the 400's warning, the 405's Allow header, and event and storage functions skipping what
 * they did not subscribe to (acknowledged, the handler not run).
 */
import { describe, expect, it } from 'vitest';
import { AppRuntime, bindApp, bindFunction, type LogLevel, responseText } from '../src/adapter.ts';
import { defineApp, event, HttpError, HttpRequest, http, InvalidEventError, storage } from '../src/index.ts';

type Line = { level: LogLevel; message: string; fields: Record<string, unknown> };

function runtimeOf(functions: Parameters<typeof defineApp>[0]['functions']) {
  const lines: Line[] = [];
  const runtime = new AppRuntime(defineApp({ name: 'answers', functions }), {
    name: 'node',
    sink: (level, message, fields) => lines.push({ level, message, fields }),
  });
  return { runtime, lines };
}

const request = (method: string, rawPath: string) => () => new HttpRequest({ method, rawPath });

describe('http answers and their log lines', () => {
  it('a handler that throws: 500 "Internal Server Error", one "handler failed" line with the error', async () => {
    const { runtime, lines } = runtimeOf({
      boom: http('GET /boom', () => {
        throw new Error('db password in here');
      }),
    });
    const res = await bindApp(runtime).http(request('GET', '/boom'));
    expect(res.status).toBe(500);
    expect(JSON.parse(responseText(res))).toEqual({ error: 'Internal Server Error' });
    expect(lines.map((l) => [l.level, l.message])).toEqual([['error', 'handler failed']]);
    expect(lines[0]!.fields.error).toMatchObject({ message: 'db password in here' });
  });

  it('an HttpError of 500 and up is logged as a server error; below 500 it is not; details are sent', async () => {
    const { runtime, lines } = runtimeOf({
      down: http('GET /down', () => {
        throw new HttpError(500, 'down for maintenance');
      }),
      gone: http('GET /gone', () => {
        throw new HttpError(410, 'gone', { since: '2026-01-01' });
      }),
    });
    const down = await bindApp(runtime).http(request('GET', '/down'));
    expect(down.status).toBe(500);
    expect(lines.map((l) => [l.level, l.message])).toEqual([['error', 'handler answered a server error']]);
    lines.length = 0;
    const gone = await bindApp(runtime).http(request('GET', '/gone'));
    expect(gone.status).toBe(410);
    expect(JSON.parse(responseText(gone))).toEqual({ error: 'gone', details: { since: '2026-01-01' } });
    expect(lines).toEqual([]);
  });

  it('an InvalidEventError from a handler: 400 with its message, one "rejected invalid request" warning', async () => {
    const { runtime, lines } = runtimeOf({
      picky: http('POST /picky', () => {
        throw new InvalidEventError('missing field', 'name');
      }),
    });
    const res = await bindApp(runtime).http(request('POST', '/picky'));
    expect(res.status).toBe(400);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'rejected invalid request',
        fields: expect.objectContaining({ error: 'name: missing field' }),
      },
    ]);
  });

  it('405: the Allow header lists the methods separated by ", "', async () => {
    const { runtime } = runtimeOf({ items: http('GET,PUT /items', () => 'ok') });
    const res = await bindApp(runtime).http(request('DELETE', '/items'));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, PUT');
  });
});

describe('subscriptions', () => {
  it('an event function with a source filter only: any type from that source, nothing from another', async () => {
    const seen: string[] = [];
    const { runtime } = runtimeOf({
      e: event({ source: '/mine' }, (ev) => {
        seen.push(`${ev.type}@${ev.source}`);
      }),
    });
    const runner = bindFunction(runtime, 'e');
    for (const source of ['/mine', '/other']) {
      const outcome = await runner.event(() => ({ specversion: '1.0', id: '1', type: 't', source }));
      expect(outcome).toMatchObject({ outcome: 'handled' });
    }
    expect(seen).toEqual(['t@/mine']);
  });

  it('a storage function gets only the event types it asked for', async () => {
    const seen: string[] = [];
    const { runtime, lines } = runtimeOf({
      removed: storage('uploads', { events: ['deleted'] }, (ev) => {
        seen.push(`${ev.type}:${ev.key}`);
      }),
    });
    const runner = bindFunction(runtime, 'removed');
    for (const type of ['created', 'deleted'] as const) {
      const outcome = await runner.event(() => ({ id: type, type, bucket: 'uploads', key: 'a.txt' }));
      expect(outcome).toMatchObject({ outcome: 'handled' });
    }
    expect(seen).toEqual(['deleted:a.txt']);
    expect(lines.filter((l) => l.level !== 'debug')).toEqual([]);
  });
});
