import { randomUUID } from 'node:crypto';
import { type App, HttpRequest, Message, type PolycloudConfig } from '@polycloud/core';
import {
  type AppRuntime,
  bindApp,
  bindFunction,
  type EventOutcome,
  resolveConfig,
  responseText,
  utf8,
} from '@polycloud/core/adapter';
import { createNodeRuntime } from '@polycloud/node';

/** What an http function answered, read as a test reads it. */
export interface TestHttpResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  cookies: string[];
  text: string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

export interface TestHttpInit {
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with `content-type: application/json`). */
  body?: unknown;
}

/** An app under test: its functions called in-process on the node runtime (in-memory queues and topics). */
export interface TestApp {
  readonly runtime: AppRuntime;
  /** Routes `method path` as a server would (`404` when no function matches) and answers. */
  http(method: string, path: string, init?: TestHttpInit): Promise<TestHttpResponse>;
  /** Delivers one message to a queue or topic function; rejects when the handler throws (no ack). */
  message(functionName: string, body: unknown, attributes?: Record<string, string>): Promise<void>;
  /** Runs a schedule function once, as its cron would at `scheduledTime` (default: now). */
  schedule(functionName: string, scheduledTime?: Date): Promise<void>;
}

/**
 * Runs an app's functions in a test without a server or a cloud: the node runtime, called directly.
 *
 * @example
 * ```ts
 * import { testApp } from '@polycloud/testing';
 * import app from '../src/app.ts';
 *
 * const res = await testApp(app).http('GET', '/hello/ada');
 * expect(res.json()).toEqual({ hello: 'ada' });
 * ```
 */
export function testApp(app: App, config: Partial<PolycloudConfig> = {}): TestApp {
  const runtime = createNodeRuntime(app, { config: resolveConfig({ ...config, provider: 'node' }, {}) });
  return {
    runtime,
    async http(method, path, init = {}) {
      const [rawPath = '/', query = ''] = path.split('?', 2) as [string, string?];
      const headers: Record<string, string> = { ...init.headers };
      let body: string | undefined;
      if (typeof init.body === 'string') body = init.body;
      else if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const request = new HttpRequest({ method, rawPath, query, headers, body: utf8(body ?? '') });
      const res = await bindApp(runtime).http(() => request, { requestId: randomUUID() });
      const text = responseText(res);
      return {
        status: res.status,
        headers: res.headers,
        cookies: res.cookies,
        text,
        json: <T>() => JSON.parse(text) as T,
      };
    },
    async message(functionName, body, attributes = {}) {
      const fn = runtime.function(functionName);
      const def = fn.def;
      if (def.kind !== 'queue' && def.kind !== 'topic')
        throw new TypeError(`${functionName} is a ${def.kind} function, not a queue or topic one`);
      const message = new Message({
        id: randomUUID(),
        body: utf8(typeof body === 'string' ? body : JSON.stringify(body)),
        attributes,
        deliveryCount: 1,
        source: def.kind === 'queue' ? def.queue : def.topic,
      });
      handled(await bindFunction(runtime, fn).event(() => message, { requestId: randomUUID() }));
    },
    async schedule(functionName, scheduledTime = new Date()) {
      const fn = runtime.function(functionName);
      const def = fn.def;
      if (def.kind !== 'schedule')
        throw new TypeError(`${functionName} is a ${def.kind} function, not a schedule`);
      const event = {
        id: `${def.name}@${scheduledTime.toISOString()}`,
        name: def.name,
        scheduledTime,
        isPastDue: false,
      };
      handled(await bindFunction(runtime, fn).event(() => event, { requestId: randomUUID() }));
    },
  };
}

/** A test sees a failed handler as the error it threw (logged once by the runtime). */
function handled(outcome: EventOutcome): void {
  if (outcome.outcome !== 'handled') throw outcome.error;
}
