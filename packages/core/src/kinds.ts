import type { CloudEvent } from './cloud-event.ts';
import type { Context } from './context.ts';
import { AppDefinitionError } from './errors.ts';
import type { FunctionKind } from './function-kind.ts';
import type { HttpRequest } from './http-request.ts';
import type { HttpHandlerResult } from './http-response.ts';
import type { Message } from './message.ts';
import type { Middleware } from './middleware.ts';
import type { RouteParams } from './route-params.ts';
import { parseRoute, type RouteSpec } from './router.ts';
import type { ScheduleEvent } from './schedule-event.ts';
import { STORAGE_EVENT_TYPES, type StorageEvent, type StorageEventType } from './storage-event.ts';
import type { StandardSchemaV1 } from './validation.ts';

/**
 * A function's handler: the neutral event and the invocation's context; may return a value or a promise.
 *
 * @example
 * const onOrder: Handler<Message> = async (msg, ctx) => ctx.log.info('order', { id: msg.id });
 */
export type Handler<E, R = unknown> = (event: E, ctx: Context<E>) => R | Promise<R>;

/**
 * Options every kind accepts.
 *
 * @example
 * queue('orders', handle, { timeoutMs: 30_000, memoryMb: 512 } satisfies FunctionOptions<Message>);
 */
export interface FunctionOptions<E> {
  middleware?: Middleware<E>[];
  /** Provider timeout for this function; the deadline and `ctx.signal` derive from it. */
  timeoutMs?: number;
  memoryMb?: number;
  /** Provider-specific settings (Azure connection name, Service Bus vs Storage queue, ...). */
  providers?: {
    aws?: Record<string, unknown>;
    azure?: Record<string, unknown>;
    gcp?: Record<string, unknown>;
    node?: Record<string, unknown>;
  };
}

export interface WithBody<S extends StandardSchemaV1 | undefined> {
  /** A Standard Schema the JSON body must satisfy; the parsed value arrives as `data`. */
  body?: S;
}

interface BaseFunction<K extends FunctionKind, E> {
  readonly kind: K;
  readonly handler: Handler<E>;
  readonly options: FunctionOptions<E>;
}

export interface HttpFunction extends BaseFunction<'http', HttpRequest<any, any>> {
  readonly route: RouteSpec;
  readonly body?: StandardSchemaV1;
}
export interface QueueFunction extends BaseFunction<'queue', Message<any>> {
  readonly queue: string;
  readonly body?: StandardSchemaV1;
}
export interface TopicFunction extends BaseFunction<'topic', Message<any>> {
  readonly topic: string;
  readonly body?: StandardSchemaV1;
}
export interface StorageFunction extends BaseFunction<'storage', StorageEvent> {
  readonly bucket: string;
  readonly events: readonly StorageEventType[];
}
export interface ScheduleFunction extends BaseFunction<'schedule', ScheduleEvent> {
  readonly name: string;
  /** Five-field cron (minute hour day-of-month month day-of-week), UTC unless `timezone` is set. */
  readonly cron: string;
  readonly timezone?: string;
}
export interface EventFunction extends BaseFunction<'event', CloudEvent> {
  /** CloudEvent types this function accepts; empty accepts every type. */
  readonly types: readonly string[];
  readonly source?: string;
}

export type FunctionDefinition =
  | HttpFunction
  | QueueFunction
  | TopicFunction
  | StorageFunction
  | ScheduleFunction
  | EventFunction;

type Infer<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : unknown;

/**
 * `http('GET /todos/:id', handler)` or `http('POST /todos', { body: schema }, handler)`. The params
 * are typed from the route literal: `req.params.id` below is a `string`.
 *
 * @example
 * http('GET /todos/:id', async (req, ctx) => ctx.get(TodoStore).get(req.params.id));
 */
export function http<R extends string>(
  route: R,
  handler: Handler<HttpRequest<unknown, RouteParams<R>>, HttpHandlerResult>,
): HttpFunction;
export function http<R extends string, S extends StandardSchemaV1 | undefined>(
  route: R,
  options: FunctionOptions<HttpRequest<Infer<S>>> & WithBody<S>,
  handler: Handler<HttpRequest<Infer<S>, RouteParams<R>>, HttpHandlerResult>,
): HttpFunction;
/** @deprecated Options go before the handler, as in every builder: `http(route, options, handler)`. This order is accepted until the next major. */
export function http<R extends string>(
  route: R,
  handler: Handler<HttpRequest<unknown, RouteParams<R>>, HttpHandlerResult>,
  options: FunctionOptions<HttpRequest>,
): HttpFunction;
/** @coldStart */
export function http(route: string, a: unknown, b?: unknown): HttpFunction {
  const [handler, options] = split<HttpRequest, FunctionOptions<HttpRequest> & WithBody<StandardSchemaV1>>(
    a,
    b,
  );
  return { kind: 'http', route: parseRoute(route), handler, options, body: options.body };
}

/**
 * `queue('orders', handler)`: one message per call; a throw makes the provider redeliver it.
 *
 * @example
 * queue('orders', async (msg) => { await ship(msg.json()); });
 */
export function queue(name: string, handler: Handler<Message>): QueueFunction;
export function queue<S extends StandardSchemaV1 | undefined>(
  name: string,
  options: FunctionOptions<Message<Infer<S>>> & WithBody<S>,
  handler: Handler<Message<Infer<S>>>,
): QueueFunction;
/** @deprecated Options go before the handler, as in every builder: `queue(name, options, handler)`. This order is accepted until the next major. */
export function queue(
  name: string,
  handler: Handler<Message>,
  options: FunctionOptions<Message>,
): QueueFunction;
export function queue(name: string, a: unknown, b?: unknown): QueueFunction {
  const [handler, options] = split<Message, FunctionOptions<Message> & WithBody<StandardSchemaV1>>(a, b);
  return { kind: 'queue', queue: requireName(name, 'queue'), handler, options, body: options.body };
}

/**
 * A function subscribed to a topic, one message per call.
 *
 * @example
 * topic('order-events', (msg, ctx) => ctx.log.info('event', { id: msg.id }));
 */
export function topic(name: string, handler: Handler<Message>): TopicFunction;
export function topic<S extends StandardSchemaV1 | undefined>(
  name: string,
  options: FunctionOptions<Message<Infer<S>>> & WithBody<S>,
  handler: Handler<Message<Infer<S>>>,
): TopicFunction;
/** @deprecated Options go before the handler, as in every builder: `topic(name, options, handler)`. This order is accepted until the next major. */
export function topic(
  name: string,
  handler: Handler<Message>,
  options: FunctionOptions<Message>,
): TopicFunction;
export function topic(name: string, a: unknown, b?: unknown): TopicFunction {
  const [handler, options] = split<Message, FunctionOptions<Message> & WithBody<StandardSchemaV1>>(a, b);
  return { kind: 'topic', topic: requireName(name, 'topic'), handler, options, body: options.body };
}

export interface StorageOptions extends FunctionOptions<StorageEvent> {
  /** Which changes to receive; default `['created']`. */
  events?: StorageEventType[];
}
/**
 * A function receiving the changes of a storage bucket (default: created objects).
 *
 * @example
 * storage('uploads', { events: ['created'] }, async (ev) => thumbnail(ev.bucket, ev.key));
 */
export function storage(bucket: string, handler: Handler<StorageEvent>): StorageFunction;
export function storage(
  bucket: string,
  options: StorageOptions,
  handler: Handler<StorageEvent>,
): StorageFunction;
/** @deprecated Options go before the handler, as in every builder: `storage(bucket, options, handler)`. This order is accepted until the next major. */
export function storage(
  bucket: string,
  handler: Handler<StorageEvent>,
  options: StorageOptions,
): StorageFunction;
export function storage(bucket: string, a: unknown, b?: unknown): StorageFunction {
  const [handler, options] = split<StorageEvent, StorageOptions>(a, b);
  const events = options.events ?? ['created'];
  for (const e of events) {
    if (!STORAGE_EVENT_TYPES.includes(e)) {
      throw new AppDefinitionError(
        `storage("${bucket}"): unknown event "${e}" (valid: ${STORAGE_EVENT_TYPES.join(', ')})`,
      );
    }
  }
  return { kind: 'storage', bucket: requireName(bucket, 'storage'), events, handler, options };
}

export interface ScheduleOptions extends FunctionOptions<ScheduleEvent> {
  timezone?: string;
}
/**
 * A function run on a 5-field cron schedule (UTC unless `timezone` is set); each build converts it
 * to its provider's syntax.
 *
 * @example
 * schedule('nightly-report', '0 3 * * *', async (ev) => report(ev.scheduledTime));
 * schedule('morning', '0 8 * * 1-5', { timezone: 'Europe/Paris' }, async (ev) => remind(ev.scheduledTime));
 */
export function schedule(name: string, cron: string, handler: Handler<ScheduleEvent>): ScheduleFunction;
export function schedule(
  name: string,
  cron: string,
  options: ScheduleOptions,
  handler: Handler<ScheduleEvent>,
): ScheduleFunction;
/** @deprecated Options go before the handler, as in every builder: `schedule(name, cron, options, handler)`. This order is accepted until the next major. */
export function schedule(
  name: string,
  cron: string,
  handler: Handler<ScheduleEvent>,
  options: ScheduleOptions,
): ScheduleFunction;
export function schedule(name: string, cron: string, a: unknown, b?: unknown): ScheduleFunction {
  const [handler, options] = split<ScheduleEvent, ScheduleOptions>(a, b);
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new AppDefinitionError(
      `schedule("${name}"): "${cron}" must have 5 fields (minute hour day-of-month month day-of-week)`,
    );
  }
  const def: ScheduleFunction = {
    kind: 'schedule',
    name: requireName(name, 'schedule'),
    cron: fields.join(' '),
    handler,
    options,
  };
  return options.timezone ? { ...def, timezone: options.timezone } : def;
}

export interface EventFilter {
  type?: string | string[];
  source?: string;
}
/**
 * A function receiving CloudEvents, filtered by type and source.
 *
 * @example
 * event({ type: 'com.example.order.created' }, (ev) => audit(ev.data));
 * event({ type: 'com.example.order.created' }, { timeoutMs: 10_000 }, (ev) => audit(ev.data));
 */
export function event(filter: EventFilter, handler: Handler<CloudEvent>): EventFunction;
export function event(
  filter: EventFilter,
  options: FunctionOptions<CloudEvent>,
  handler: Handler<CloudEvent>,
): EventFunction;
/** @deprecated Options go before the handler, as in every builder: `event(filter, options, handler)`. This order is accepted until the next major. */
export function event(
  filter: EventFilter,
  handler: Handler<CloudEvent>,
  options: FunctionOptions<CloudEvent>,
): EventFunction;
export function event(filter: EventFilter, a: unknown, b?: unknown): EventFunction {
  const [handler, options] = split<CloudEvent, FunctionOptions<CloudEvent>>(a, b);
  const types = filter.type === undefined ? [] : Array.isArray(filter.type) ? filter.type : [filter.type];
  const def: EventFunction = { kind: 'event', types, handler, options };
  return filter.source ? { ...def, source: filter.source } : def;
}

/**
 * `(options, handler)` or `(handler)`; also the deprecated `(handler, options)`, so both orders build
 * the same definition until the next major.
 * @coldStart
 */
function split<E, O>(a: unknown, b: unknown): [Handler<E>, O] {
  if (typeof a === 'function') return [a as Handler<E>, (b ?? {}) as O];
  if (typeof b === 'function') return [b as Handler<E>, (a ?? {}) as O];
  throw new AppDefinitionError('a handler function is required');
}

function requireName(name: string, kind: string): string {
  if (typeof name !== 'string' || name.trim() === '')
    throw new AppDefinitionError(`${kind}(): a name is required`);
  return name;
}
