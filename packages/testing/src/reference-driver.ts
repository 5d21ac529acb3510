/**
 * The kit's own test double: a "provider" whose native input is plain JSON and whose runtime is
 * AppRuntime called directly. It exists to prove the kit (every scenario passes on it, and a
 * broken wrapper around it fails). Real adapters never do this: their drivers go through the
 * adapter's real entry point.
 */
import {
  type App,
  type CloudEvent,
  HttpRequest,
  InvalidEventError,
  Message,
  type ScheduleEvent,
  type StorageEvent,
} from '@polycloud/core';
import {
  AppRuntime,
  bindFunction,
  type EventOutcome,
  type FunctionRunner,
  fromBase64,
  type LogSink,
  responseBytes,
  responseText,
  STORAGE_EVENT_TYPES,
  toBase64,
} from '@polycloud/core/adapter';
import { validateCloudEvent } from '@polycloud/core/cloud-events';
import type { AdapterDriver, DriverSession, NeutralStorageChange, Outcome } from './driver.ts';

/** The reference "provider" wire format of one message. */
export interface ReferenceWireMessage {
  id: string;
  bodyBase64: string;
  attributes?: Record<string, string>;
  groupId?: string;
  deliveryCount?: number;
}

/** Logs stay in memory: the kit's output is the test report, not handler logs. */
export const referenceLog: { level: string; message: string }[] = [];
const memorySink: LogSink = (level, message) => {
  referenceLog.push({ level, message });
  if (referenceLog.length > 500) referenceLog.splice(0, referenceLog.length - 500);
};

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEventError('must be an object', path);
  }
  return value as Record<string, unknown>;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new InvalidEventError('must be a string', path);
  return value;
}

/** Decodes one wire message strictly; every error names its path. */
export function decodeReferenceMessage(raw: unknown, source: string, path = 'message'): Message {
  const m = object(raw, path);
  const id = string(m.id, `${path}.id`);
  const body = fromBase64(string(m.bodyBase64, `${path}.bodyBase64`));
  if (!body) throw new InvalidEventError('is not valid base64', `${path}.bodyBase64`);
  const attributes: Record<string, string> = {};
  if (m.attributes !== undefined) {
    const a = object(m.attributes, `${path}.attributes`);
    for (const key of Object.keys(a)) attributes[key] = string(a[key], `${path}.attributes.${key}`);
  }
  const count = m.deliveryCount ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new InvalidEventError('must be a positive integer', `${path}.deliveryCount`);
  }
  const groupId = m.groupId === undefined ? undefined : string(m.groupId, `${path}.groupId`);
  return new Message({ id, body, attributes, deliveryCount: count, source, groupId, raw });
}

export function decodeReferenceStorage(raw: unknown): StorageEvent {
  const s = object(raw, 'storage');
  const type = string(s.type, 'storage.type');
  if (!(STORAGE_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new InvalidEventError(`unknown type "${type}"`, 'storage.type');
  }
  const size = s.size;
  if (size !== undefined && (typeof size !== 'number' || !Number.isInteger(size) || size < 0)) {
    throw new InvalidEventError('must be a non-negative integer', 'storage.size');
  }
  return {
    id: `${string(s.bucket, 'storage.bucket')}/${string(s.key, 'storage.key')}`,
    type: type as StorageEvent['type'],
    bucket: s.bucket as string,
    key: s.key as string,
    size: size as number | undefined,
    raw,
  };
}

export function decodeReferenceSchedule(raw: unknown, name: string): ScheduleEvent {
  const s = object(raw, 'schedule');
  const time = string(s.time, 'schedule.time');
  const scheduledTime = new Date(time);
  if (Number.isNaN(scheduledTime.getTime()))
    throw new InvalidEventError('must be an ISO time', 'schedule.time');
  return { id: `${name}@${time}`, name, scheduledTime, isPastDue: false, raw };
}

function outcome(result: EventOutcome): Outcome {
  if (result.outcome === 'handled') return { ok: true };
  return {
    ok: false,
    error:
      result.outcome === 'rejected' && result.error instanceof InvalidEventError
        ? result.error.message
        : 'handler failed',
  };
}

/** Feeds the reference wire format to the runtime through each function's runner; none throws. */
export class ReferenceEntryPoints {
  readonly #runners = new Map<string, FunctionRunner>();

  constructor(readonly runtime: AppRuntime) {}

  /** Each function bound once, as an adapter binds it per cold start. */
  runner(name: string): FunctionRunner {
    let runner = this.#runners.get(name);
    if (!runner) {
      runner = bindFunction(this.runtime, name);
      this.#runners.set(name, runner);
    }
    return runner;
  }

  /** The failed ids; a batch that cannot be read at all fails every message it sent. */
  async messages(fn: string, raw: unknown, ordered: boolean): Promise<{ failed: string[] }> {
    const runner = this.runner(fn);
    const def = runner.fn.def;
    const source = def.kind === 'queue' ? def.queue : def.kind === 'topic' ? def.topic : fn;
    const invalid: string[] = [];
    const result = await runner.batch(
      () => {
        if (!Array.isArray(raw)) throw new InvalidEventError('must be an array of messages', 'messages');
        const messages: Message[] = [];
        raw.forEach((item, i) => {
          try {
            messages.push(decodeReferenceMessage(item, source, `messages[${i}]`));
          } catch (error) {
            // An undecodable record is failed by its id when it has one; without one, the whole batch fails.
            const id = (item as { id?: unknown } | null)?.id;
            if (typeof id !== 'string') throw error;
            invalid.push(id);
          }
        });
        return messages;
      },
      // Ordered batches stop at the first failure (the strictest documented rule, SQS FIFO's).
      ordered ? 'batch' : 'none',
      (m) => ({ raw: m.raw }),
    );
    if ('outcome' in result) {
      const ids = Array.isArray(raw) ? raw.map((item) => (item as { id?: unknown } | null)?.id) : [];
      return { failed: ids.filter((id): id is string => typeof id === 'string') };
    }
    return { failed: [...invalid, ...result.failed.map((m) => m.id)] };
  }

  async storage(fn: string, raw: unknown): Promise<Outcome> {
    return outcome(await this.runner(fn).event(() => decodeReferenceStorage(raw), { raw }));
  }

  async schedule(fn: string, raw: unknown): Promise<Outcome> {
    const runner = this.runner(fn);
    const name = runner.fn.def.kind === 'schedule' ? runner.fn.def.name : fn;
    return outcome(await runner.event(() => decodeReferenceSchedule(raw, name), { raw }));
  }

  async event(fn: string, raw: unknown): Promise<Outcome> {
    const translate = (): CloudEvent => {
      const ev = validateCloudEvent(raw);
      if (typeof ev.data_base64 === 'string') {
        const bytes = fromBase64(ev.data_base64);
        if (!bytes) throw new InvalidEventError('is not valid base64', 'event.data_base64');
        delete ev.data_base64;
        ev.data = bytes;
      }
      return ev;
    };
    return outcome(await this.runner(fn).event(translate, { raw }));
  }
}

function wireMessage(m: {
  id: string;
  body: Uint8Array;
  attributes?: Record<string, string>;
  groupId?: string;
  deliveryCount?: number;
}): ReferenceWireMessage {
  const { body, ...rest } = m;
  return { ...rest, bodyBase64: toBase64(body) };
}

function wireStorage(change: NeutralStorageChange): unknown {
  return { ...change };
}

function wireEvent(ev: CloudEvent): unknown {
  if (ev.data instanceof Uint8Array) return { ...ev, data: undefined, data_base64: toBase64(ev.data) };
  return JSON.parse(JSON.stringify(ev));
}

/** Starts the reference "provider" over `app`. */
export function startReference(app: App): DriverSession {
  const runtime = new AppRuntime(app, { name: 'node', sink: memorySink });
  const entry = new ReferenceEntryPoints(runtime);
  return {
    runtime,
    async http(fn, request) {
      const translate = () =>
        new HttpRequest({
          method: request.method,
          rawPath: request.path,
          query: request.query ?? [],
          headers: request.headers ?? [],
          body: request.body,
        });
      const res = await entry.runner(fn).http(translate);
      return { status: res.status, headers: res.headers, cookies: res.cookies, body: responseBytes(res) };
    },
    messages: (fn, batch, { ordered }) => entry.messages(fn, batch.map(wireMessage), ordered),
    storage: (fn, change) => entry.storage(fn, wireStorage(change)),
    schedule: (fn, time) => entry.schedule(fn, { time: time.toISOString() }),
    event: (fn, ev) => entry.event(fn, wireEvent(ev)),
    async malformed(kind, fn) {
      switch (kind) {
        case 'http': {
          // A truncated percent-escape: the provider would pass the path through as is.
          const res = await entry
            .runner(fn)
            .http(() => new HttpRequest({ method: 'GET', rawPath: '/echo/%E0%A4%A' }));
          return { ok: res.status < 400, status: res.status, body: responseText(res) };
        }
        case 'queue':
        case 'topic': {
          const { failed } = await entry.messages(fn, [{ id: 'bad-1', bodyBase64: 'not base64!' }], false);
          return failed.length > 0 ? { ok: false, error: 'message bad-1 rejected' } : { ok: true };
        }
        case 'storage':
          return entry.storage(fn, { type: 'created', bucket: 42 });
        case 'schedule':
          return entry.schedule(fn, { time: 'yesterday-ish' });
        case 'event':
          return entry.event(fn, { specversion: '1.0', source: '/x' });
      }
    },
    async close() {},
  };
}

/** The reference driver: the kit's self-test double (AppRuntime directly, no provider translation). */
export const referenceDriver: AdapterDriver = {
  name: 'reference (kit self-test)',
  start: async (app) => startReference(app),
};
