import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  HttpRequest,
  InvalidEventError,
  Message,
  type ScheduleEvent,
  type StorageEvent,
} from '@polycloud/core';
import {
  type FunctionDefinition,
  fromBase64,
  isBinaryBody,
  responseBytes,
  responseText,
  toBase64,
  utf8,
  validateCloudEvent,
} from '@polycloud/core/adapter';
import { createNodeRuntime, neutralFromCloudEvent } from '@polycloud/node';
import { loadApp, UsageError } from './load-app.ts';
import { loadConfig } from './load-config.ts';

/** `polycloud invoke <fn> --event file.json [dir]`: runs one function once on the node runtime and prints the result. */
export async function invokeCommand(dir: string, name: string, eventFile: string): Promise<number> {
  const app = await loadApp(dir);
  const config = await loadConfig(dir);
  const def = app.functions.get(name);
  if (!def)
    throw new UsageError(
      `no function "${name}" in ${app.name} (functions: ${[...app.functions.keys()].join(', ')})`,
    );
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(eventFile, 'utf8'));
  } catch (error) {
    throw new UsageError(`--event ${eventFile}: ${(error as Error).message}`);
  }
  const runtime = createNodeRuntime(app, { config: { ...config, provider: 'node' } });
  const fn = runtime.function(name);
  const requestId = randomUUID();
  if (def.kind === 'http') {
    const res = await runtime.handleHttp(httpFromJson(input), { requestId, raw: input }, fn);
    const text = isBinaryBody(res.headers)
      ? { bodyBase64: toBase64(responseBytes(res)) }
      : { body: responseText(res) };
    console.log(
      JSON.stringify({ status: res.status, headers: res.headers, cookies: res.cookies, ...text }, null, 2),
    );
    return res.status >= 500 ? 1 : 0;
  }
  const event = neutralFromJson(def, input);
  try {
    const result = await runtime.handle(fn, event, { requestId, raw: input });
    console.log(JSON.stringify({ ok: true, result: result ?? null }, null, 2));
    return 0;
  } catch (error) {
    console.error(
      JSON.stringify({
        ok: false,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );
    return 1;
  }
}

type Json = Record<string, unknown>;

function object(input: unknown, what: string): Json {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new InvalidEventError(`expected a JSON object for ${what}`, 'event');
  return input as Json;
}

function bodyOf(e: Json): Uint8Array {
  if (typeof e.bodyBase64 === 'string') {
    const bytes = fromBase64(e.bodyBase64);
    if (!bytes) throw new InvalidEventError('not valid base64', 'event.bodyBase64');
    return bytes;
  }
  if (e.body === undefined) return new Uint8Array(0);
  return utf8(typeof e.body === 'string' ? e.body : JSON.stringify(e.body));
}

/** `{ method, path, query: {k: v|[v]}, headers: {k: v|[v]}, body | bodyBase64 }` */
function httpFromJson(input: unknown): HttpRequest {
  const e = object(input, 'an http request');
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(object(e.query ?? {}, 'query')))
    for (const x of [v].flat()) pairs.push([k, String(x)]);
  return new HttpRequest({
    method: typeof e.method === 'string' ? e.method : 'GET',
    rawPath: typeof e.path === 'string' ? e.path : '/',
    query: pairs,
    headers: object(e.headers ?? {}, 'headers') as Record<string, string | string[]>,
    body: bodyOf(e),
  });
}

/** A CloudEvent (has `specversion`), or the neutral event's own JSON shape. */
function neutralFromJson(def: FunctionDefinition, input: unknown): unknown {
  const e = object(input, 'an event');
  if ('specversion' in e) return neutralFromCloudEvent(def, validateCloudEvent(e));
  switch (def.kind) {
    case 'queue':
    case 'topic':
      return new Message({
        id: typeof e.id === 'string' ? e.id : randomUUID(),
        body: bodyOf(e),
        attributes: (e.attributes ?? {}) as Record<string, string>,
        deliveryCount: typeof e.deliveryCount === 'number' ? e.deliveryCount : 1,
        source: def.kind === 'queue' ? def.queue : def.topic,
        groupId: typeof e.groupId === 'string' ? e.groupId : undefined,
        enqueuedAt: new Date(),
      });
    case 'storage': {
      if (typeof e.key !== 'string') throw new InvalidEventError('a storage event needs "key"', 'event.key');
      return { id: randomUUID(), type: 'created', bucket: def.bucket, ...e, raw: input } as StorageEvent;
    }
    case 'schedule':
      return {
        id: randomUUID(),
        name: def.name,
        scheduledTime: new Date(typeof e.scheduledTime === 'string' ? e.scheduledTime : Date.now()),
        isPastDue: false,
        raw: input,
      } satisfies ScheduleEvent;
    default:
      throw new InvalidEventError(
        'event functions take a CloudEvent (with specversion, id, source, type)',
        'event',
      );
  }
}
