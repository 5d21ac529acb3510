/**
 * The conformance app: every function returns or logs the neutral event it received, so any
 * adapter can be checked from outside with nothing but the provider's native input.
 */
import {
  type Context,
  defineApp,
  event,
  type HttpRequest,
  http,
  type Message,
  queue,
  schedule,
  storage,
  topic,
} from '@polycloud/core';
import { toBase64 } from '@polycloud/core/adapter';

function echoHttp(req: HttpRequest) {
  if (req.headers.get('x-echo-fail') === '1') throw new Error('echo failure requested by x-echo-fail');
  const query: Record<string, string[]> = {};
  for (const key of new Set(req.query.keys())) query[key] = req.query.getAll(key);
  const headers: Record<string, string> = {};
  for (const name of req.headers.keys()) if (name !== 'cookie') headers[name] = req.headers.get(name)!;
  const status = Number(req.query.get('status') ?? 200);
  const body = {
    method: req.method,
    path: req.path,
    params: req.params,
    query,
    headers,
    cookies: req.cookies,
    bodyBase64: toBase64(req.body),
    identity: req.identity ?? null,
  };
  return {
    status: Number.isInteger(status) && status >= 200 && status <= 599 ? status : 200,
    body: status === 204 || status === 304 ? undefined : body,
  };
}

/** Drops `raw` (the provider input, large and provider-specific) from the logged neutral event. */
function neutral(value: object): unknown {
  if ('toJSON' in value && typeof value.toJSON === 'function') return value.toJSON();
  const { raw: _raw, ...rest } = value as Record<string, unknown>;
  return rest;
}

function wantsFailure(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { fail?: unknown }).fail === true;
}

function echoMessage(kind: 'queue' | 'topic') {
  return (message: Message, ctx: Context<Message>) => {
    ctx.log.info('echo', { echo: kind, event: neutral(message) });
    let data: unknown;
    try {
      data = message.json();
    } catch {
      data = undefined; // not JSON: nothing can ask for a failure
    }
    if (wantsFailure(data)) throw new Error(`echo ${kind}: message ${message.id} asked to fail`);
  };
}

export default defineApp({
  name: 'echo',
  functions: {
    echoHttp: http('ANY /echo/*', echoHttp),
    echoQueue: queue('echo-queue', echoMessage('queue')),
    echoTopic: topic('echo-topic', echoMessage('topic')),
    echoStorage: storage(
      'echo-bucket',
      (ev, ctx) => {
        ctx.log.info('echo', { echo: 'storage', event: neutral(ev) });
      },
      { events: ['created', 'deleted', 'archived', 'metadataUpdated'] },
    ),
    echoSchedule: schedule('echo-schedule', '*/5 * * * *', (ev, ctx) => {
      ctx.log.info('echo', { echo: 'schedule', event: neutral(ev) });
    }),
    echoEvent: event({ type: 'com.example.echo' }, (ev, ctx) => {
      const { data } = ev;
      ctx.log.info('echo', {
        echo: 'event',
        event: data instanceof Uint8Array ? { ...ev, data: undefined, data_base64: toBase64(data) } : ev,
      });
      if (wantsFailure(data)) throw new Error(`echo event: ${ev.id} asked to fail`);
    }),
  },
});
