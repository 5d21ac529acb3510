/**
 * The kit's own probe app. Function names and triggers mirror examples/echo (so a driver that maps
 * echo's triggers maps these), plus three http probes for what echo cannot show: response shapes,
 * named route params, and the invocation context. Non-http functions record the neutral events they
 * receive in memory so scenarios can assert on them; they fail on demand.
 */
import { createHash } from 'node:crypto';
import {
  type CloudEvent,
  type Context,
  defineApp,
  event,
  HttpError,
  type HttpRequest,
  http,
  type Message,
  queue,
  type ScheduleEvent,
  type StorageEvent,
  schedule,
  storage,
  token,
  topic,
} from '@polycloud/core';
import { toBase64 } from '@polycloud/core/adapter';
import { ContainerModule } from 'inversify';

/** A service the context probe resolves with `ctx.get`; the kit rebinds it in the session's container. */
export interface ProbeService {
  readonly name: string;
}
export const ProbeService = token<ProbeService>('testing.probe-service');

export const PROBE_NAMES = {
  http: 'echoHttp',
  respond: 'probeRespond',
  params: 'probeParams',
  context: 'probeContext',
  queue: 'echoQueue',
  topic: 'echoTopic',
  storage: 'echoStorage',
  schedule: 'echoSchedule',
  event: 'echoEvent',
} as const;

export const PROBE_TRIGGERS = {
  queue: 'echo-queue',
  topic: 'echo-topic',
  bucket: 'echo-bucket',
  schedule: 'echo-schedule',
  cron: '*/5 * * * *',
  eventType: 'com.example.echo',
  /** The context probe's timeout: short so `ctx.signal` visibly aborts before the deadline. */
  contextTimeoutMs: 1500,
} as const;

/** A storage key containing this makes echoStorage throw. */
export const FAIL_STORAGE_MARKER = 'fail-on-purpose';
/** Text the thrown-error probe puts in its message and stack; it must never reach a client. */
export const SECRET_ERROR_TEXT = 'probe-secret-db-password-hunter2';

export interface RecordedMessage {
  kind: 'queue' | 'topic';
  id: string;
  body: Uint8Array;
  attributes: Record<string, string>;
  deliveryCount: number;
  groupId: string | undefined;
  source: string;
  requestId: string;
  outcome: 'ok' | 'threw';
}

export interface RecordedStorage {
  id: string;
  type: StorageEvent['type'];
  bucket: string;
  key: string;
  size: number | undefined;
  requestId: string;
  outcome: 'ok' | 'threw';
}

export interface RecordedSchedule {
  id: string;
  name: string;
  scheduledTime: string;
  isPastDue: boolean;
  requestId: string;
  outcome: 'ok' | 'threw';
}

export interface RecordedEvent {
  event: CloudEvent;
  requestId: string;
  outcome: 'ok' | 'threw';
}

/** What the probe functions saw, in arrival order. */
export class ProbeRecorder {
  readonly messages: RecordedMessage[] = [];
  readonly storage: RecordedStorage[] = [];
  readonly schedules: RecordedSchedule[] = [];
  readonly events: RecordedEvent[] = [];
  /** Set by a scenario: the next schedule run throws (a schedule has no payload to ask with). */
  failNextSchedule = false;
}

export interface ProbeApp {
  readonly app: ReturnType<typeof defineApp>;
  readonly recorder: ProbeRecorder;
}

export function createProbeApp(): ProbeApp {
  const recorder = new ProbeRecorder();
  const defaults = new ContainerModule(({ bind }) => {
    bind(ProbeService).toConstantValue({ name: 'default' });
  });
  const app = defineApp({
    name: 'polycloud-contract-probe',
    modules: [defaults],
    functions: {
      [PROBE_NAMES.http]: http('ANY /echo/*', echoHttp),
      [PROBE_NAMES.respond]: http('ANY /probe/:mode', respond),
      [PROBE_NAMES.params]: http('GET /users/:userId/files/*', (req) => ({ params: req.params })),
      [PROBE_NAMES.context]: http('GET /context', contextProbe, {
        timeoutMs: PROBE_TRIGGERS.contextTimeoutMs,
      }),
      [PROBE_NAMES.queue]: queue(PROBE_TRIGGERS.queue, recordMessage(recorder, 'queue')),
      [PROBE_NAMES.topic]: topic(PROBE_TRIGGERS.topic, recordMessage(recorder, 'topic')),
      [PROBE_NAMES.storage]: storage(PROBE_TRIGGERS.bucket, recordStorage(recorder), {
        events: ['created', 'deleted', 'archived', 'metadataUpdated'],
      }),
      [PROBE_NAMES.schedule]: schedule(
        PROBE_TRIGGERS.schedule,
        PROBE_TRIGGERS.cron,
        recordSchedule(recorder),
      ),
      [PROBE_NAMES.event]: event({ type: PROBE_TRIGGERS.eventType }, recordEvent(recorder)),
    },
  });
  return { app, recorder };
}

/** Same answer as examples/echo's echoHttp. */
function echoHttp(req: HttpRequest) {
  if (req.headers.get('x-echo-fail') === '1') throw new Error(`echo failure requested ${SECRET_ERROR_TEXT}`);
  const query: Record<string, string[]> = {};
  for (const key of new Set(req.query.keys())) query[key] = req.query.getAll(key);
  const headers: Record<string, string> = {};
  for (const name of req.headers.keys()) if (name !== 'cookie') headers[name] = req.headers.get(name)!;
  const status = Number(req.query.get('status') ?? 200);
  return {
    status: Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200,
    body:
      status === 204 || status === 304
        ? undefined
        : {
            method: req.method,
            path: req.path,
            params: req.params,
            query,
            headers,
            cookies: req.cookies,
            bodyBase64: toBase64(req.body),
            identity: req.identity ?? null,
          },
  };
}

/** 256 byte values, every one once: the binary round-trip payload. */
export function allByteValues(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

/** Deterministic pseudo-random bytes (xorshift), so large bodies are not trivially compressible. */
export function patternBytes(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const LARGE_BODY_BYTES = 4 * 1024 * 1024;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Response-side probes, one per `:mode`. */
async function respond(req: HttpRequest) {
  const mode = req.params.mode;
  switch (mode) {
    case 'cookies':
      return {
        status: 200,
        cookies: [
          'session=abc123; Path=/; HttpOnly; Secure; SameSite=Lax',
          'theme=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/',
          'empty=; Max-Age=0',
        ],
        body: { ok: true },
      };
    case 'empty':
      return { status: 200 };
    case 'json':
      return {
        status: 200,
        body: { text: 'héllo wörld ✓ 日本', n: 42, list: [1, 'two', null], nested: { a: true } },
      };
    case 'binary':
      return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: allByteValues() };
    case 'large':
      return {
        status: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: patternBytes(LARGE_BODY_BYTES),
      };
    case 'digest':
      return { status: 200, body: { length: req.body.length, sha256: sha256(req.body) } };
    case 'redirect':
      return { status: 301, headers: { location: '/echo/moved' } };
    case 'http-error':
      throw new HttpError(422, 'name is already taken', { field: 'name' });
    case 'throw': {
      const error = new Error(`database unreachable: ${SECRET_ERROR_TEXT}`);
      error.stack = `Error: ${error.message}\n    at connect (/srv/app/src/db.ts:12:7)`;
      throw error;
    }
    case 'response': {
      const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8', 'x-from-response': 'yes' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Expires=Thu, 01 Jan 2037 00:00:00 GMT');
      return new Response('made by a Response ✓', { status: 202, headers });
    }
    default:
      throw new HttpError(404, `unknown probe mode "${mode}"`);
  }
}

/** Reports the invocation context; `?wait=signal` waits for `ctx.signal` (bounded) first. */
async function contextProbe(req: HttpRequest, ctx: Context<HttpRequest>) {
  const startedAt = Date.now();
  const remainingAtStart = ctx.remainingMs();
  let aborted = false;
  let abortedAt: number | null = null;
  if (req.query.get('wait') === 'signal') {
    // Bounded: a signal that never fires must end as a visible "aborted: false", not a hung test.
    const limit = Math.min(Math.max(remainingAtStart, 0) + 1000, 5000);
    aborted = await new Promise<boolean>((resolve) => {
      if (ctx.signal.aborted) return resolve(true);
      const timer = setTimeout(() => resolve(false), limit);
      ctx.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        { once: true },
      );
    });
    if (aborted) abortedAt = Date.now();
  }
  return {
    requestId: ctx.requestId,
    functionName: ctx.functionName,
    deadline: ctx.deadline,
    startedAt,
    remainingMs: remainingAtStart,
    aborted,
    abortedAt,
    service: ctx.get(ProbeService).name,
  };
}

function wantsFailure(bytes: Uint8Array): boolean {
  try {
    const data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof data === 'object' && data !== null && data.fail === true;
  } catch {
    return false; // not JSON: nothing can ask for a failure
  }
}

function recordMessage(recorder: ProbeRecorder, kind: 'queue' | 'topic') {
  return (message: Message, ctx: Context<Message>) => {
    const body = Uint8Array.from(message.body);
    const fail = wantsFailure(body);
    recorder.messages.push({
      kind,
      id: message.id,
      body,
      attributes: { ...message.attributes },
      deliveryCount: message.deliveryCount,
      groupId: message.groupId,
      source: message.source,
      requestId: ctx.requestId,
      outcome: fail ? 'threw' : 'ok',
    });
    if (fail) throw new Error(`${kind} message ${message.id} asked to fail`);
  };
}

function recordStorage(recorder: ProbeRecorder) {
  return (ev: StorageEvent, ctx: Context<StorageEvent>) => {
    const fail = ev.key.includes(FAIL_STORAGE_MARKER);
    recorder.storage.push({
      id: ev.id,
      type: ev.type,
      bucket: ev.bucket,
      key: ev.key,
      size: ev.size,
      requestId: ctx.requestId,
      outcome: fail ? 'threw' : 'ok',
    });
    if (fail) throw new Error(`storage key ${ev.key} asked to fail`);
  };
}

function recordSchedule(recorder: ProbeRecorder) {
  return (ev: ScheduleEvent, ctx: Context<ScheduleEvent>) => {
    const fail = recorder.failNextSchedule;
    recorder.failNextSchedule = false;
    recorder.schedules.push({
      id: ev.id,
      name: ev.name,
      scheduledTime:
        ev.scheduledTime instanceof Date && !Number.isNaN(ev.scheduledTime.getTime())
          ? ev.scheduledTime.toISOString()
          : String(ev.scheduledTime),
      isPastDue: ev.isPastDue,
      requestId: ctx.requestId,
      outcome: fail ? 'threw' : 'ok',
    });
    if (fail) throw new Error('schedule run asked to fail');
  };
}

function recordEvent(recorder: ProbeRecorder) {
  return (ev: CloudEvent, ctx: Context<CloudEvent>) => {
    const data = ev.data;
    const fail = typeof data === 'object' && data !== null && (data as { fail?: unknown }).fail === true;
    recorder.events.push({
      event: { ...ev, data: data instanceof Uint8Array ? Uint8Array.from(data) : data },
      requestId: ctx.requestId,
      outcome: fail ? 'threw' : 'ok',
    });
    if (fail) throw new Error(`event ${ev.id} asked to fail`);
  };
}
