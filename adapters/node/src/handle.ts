import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import {
  type App,
  HttpHeaders,
  type HttpResponse,
  InvalidEventError,
  mergeApps,
  StorageNotFoundError,
} from '@polycloud/core';
import {
  type AppRuntime,
  cloudEventDataBytes,
  cloudEventFromHttp,
  EMPTY_BYTES,
  errorResponse,
  toError,
  utf8,
} from '@polycloud/core/adapter';
import type { MemoryBroker } from './events/broker.ts';
import { neutralFromCloudEvent } from './events/cloud-event-input.ts';
import { handleMessageBatch } from './events/message-batch.ts';
import {
  BodyTooLargeError,
  declaresBody,
  headerPairs,
  readBody,
  toHttpRequest,
  writeResponse,
} from './http/incoming-message.ts';
import type { NodeOptions } from './options.ts';
import { brokerFor, createNodeRuntime, folderStorageFor, setStorageBaseUrl } from './provider.ts';
import type { NodeRaw } from './raw.ts';

export interface NodeServer {
  readonly url: string;
  readonly port: number;
  readonly runtime: AppRuntime;
  readonly broker: MemoryBroker;
  readonly server: Server;
  /** Stops accepting, drains in-flight requests and queued messages, stops schedules. */
  close(): Promise<void>;
}

const INTERNAL = '/_polycloud/';
/** Signed Storage URLs (see clients/folder-storage.ts): streamed both ways, never read whole. */
const SIGNED_STORAGE = '/_polycloud/storage/';

/** Serves an app (or several) over HTTP: the local default and the self-host target (containers, Knative). */
export async function handle(apps: App | App[], options: NodeOptions = {}): Promise<NodeServer> {
  const app = Array.isArray(apps) ? mergeApps(apps) : apps;
  const runtime = createNodeRuntime(app, options);
  const broker = brokerFor(runtime);
  // Cold start: croner (27 KB) loads only for an app that has schedules (issue 12).
  const scheduler = [...runtime.functions.values()].some((fn) => fn.def.kind === 'schedule')
    ? new (await import('./events/scheduler.ts')).Scheduler(runtime)
    : undefined;
  const limit = options.bodyLimitBytes ?? 6 * 1024 * 1024;
  const nodeConfig = runtime.config.providers.node ?? {};
  const port = options.port ?? (typeof nodeConfig.port === 'number' ? nodeConfig.port : 3000);
  const host = options.host ?? '127.0.0.1';
  let closing = false;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0 && idle) idle();
    });
    answer(req, res).catch((error: unknown) => {
      runtime.log.error('request failed outside a handler', {
        error: toError(error),
      });
      if (!res.headersSent) writeResponse(res, errorResponse(500, 'Internal Server Error'), false);
    });
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0]!;
    if (path === '/healthz') {
      if (closing) res.setHeader('connection', 'close');
      return send(res, closing ? 503 : 200, { status: closing ? 'draining' : 'ok' });
    }
    if (path.startsWith(SIGNED_STORAGE)) return signedStorage(req, res, url);
    let body: Uint8Array = EMPTY_BYTES;
    try {
      // Hot path: a request that declares no body is not read as a stream (no listeners, no promise).
      if (declaresBody(req)) body = await readBody(req, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // The rest of the body is not read: close the connection instead of leaving it half-consumed.
        res.setHeader('connection', 'close');
        return writeResponse(res, errorResponse(413, `request body exceeds the ${limit}-byte limit`), false);
      }
      throw error;
    }
    if (path.startsWith(INTERNAL)) return internal(req, res, path.slice(INTERNAL.length), body);
    // dispatchHttp answers synchronously when the handler does: no promise hop on the hot path.
    const out = runtime.dispatchHttp(toHttpRequest(req, body), {
      raw: { provider: 'node', request: req } satisfies NodeRaw,
    });
    writeResponse(res, out instanceof Promise ? await out : out, req.method === 'HEAD');
  }

  async function internal(
    req: IncomingMessage,
    res: ServerResponse,
    route: string,
    body: Uint8Array,
  ): Promise<void> {
    const [area, rawName = '', extra] = route.split('/');
    const name = decodeURIComponent(rawName);
    if (req.method === 'GET' && area === 'dead-letters') {
      return send(
        res,
        200,
        broker.deadLetters.map((d) => ({ ...d, message: d.message?.toJSON() })),
      );
    }
    if (req.method === 'GET' && area === 'functions') {
      return send(
        res,
        200,
        [...runtime.functions.values()].map((f) => ({ name: f.name, kind: f.def.kind })),
      );
    }
    const batch = area === 'functions' && extra === 'messages';
    if (req.method !== 'POST' || (extra !== undefined && !batch)) {
      return writeResponse(res, errorResponse(404, 'Not Found'), false);
    }
    try {
      if (batch) {
        const fn = runtime.functions.get(name);
        if (!fn) return writeResponse(res, errorResponse(404, `no function named "${name}"`), false);
        return send(res, 200, await handleMessageBatch(runtime, fn, body));
      }
      const headers = new HttpHeaders(headerPairs(req));
      switch (area) {
        case 'functions': {
          // Push delivery (Knative, Pub/Sub push, Dapr): run once now; retrying is the sender's job.
          const fn = runtime.functions.get(name);
          if (!fn || fn.def.kind === 'http')
            return writeResponse(res, errorResponse(404, `no event function named "${name}"`), false);
          const ev = cloudEventFromHttp(headers, body);
          const neutral = neutralFromCloudEvent(fn.def, ev);
          try {
            await runtime.handle(fn, neutral, {
              requestId: ev.id,
              raw: { provider: 'node', cloudEvent: ev } satisfies NodeRaw,
            });
          } catch (error) {
            if (error instanceof InvalidEventError) throw error;
            return writeResponse(res, errorResponse(500, 'handler failed; redeliver'), false);
          }
          return send(res, 204);
        }
        case 'queues':
        case 'topics': {
          const { data, attributes, groupId } = messageInput(headers, body);
          const result =
            area === 'queues'
              ? broker.send(name, data, { attributes, groupId })
              : broker.publish(name, data, { attributes, orderingKey: groupId });
          return send(res, 202, result);
        }
        case 'events': {
          const ev = cloudEventFromHttp(headers, body);
          const targets = [...runtime.functions.values()].filter(
            (f) => f.def.kind === 'event' && (f.def.types.length === 0 || f.def.types.includes(ev.type)),
          );
          if (targets.length === 0)
            return writeResponse(
              res,
              errorResponse(404, `no event function accepts type "${ev.type}"`),
              false,
            );
          const results = await Promise.allSettled(
            targets.map((fn) =>
              runtime.handle(fn, ev, {
                requestId: ev.id,
                raw: { provider: 'node', cloudEvent: ev } satisfies NodeRaw,
              }),
            ),
          );
          return results.every((r) => r.status === 'fulfilled')
            ? send(res, 204)
            : writeResponse(res, errorResponse(500, 'handler failed; redeliver'), false);
        }
        default:
          return writeResponse(res, errorResponse(404, 'Not Found'), false);
      }
    } catch (error) {
      if (error instanceof InvalidEventError)
        return writeResponse(res, errorResponse(400, error.message), false);
      throw error;
    }
  }

  /** GET/HEAD/PUT through a signed Storage URL: 403 unless the signature, method and expiry hold. */
  async function signedStorage(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const storage = await folderStorageFor(runtime);
    const method = req.method ?? 'GET';
    const grant = storage.verify(method, url);
    if (!grant.ok) {
      res.setHeader('connection', 'close');
      return writeResponse(res, errorResponse(403, grant.reason), false);
    }
    if (method === 'PUT') {
      const contentType = req.headers['content-type'];
      if (grant.contentType !== undefined && contentType !== grant.contentType) {
        res.setHeader('connection', 'close');
        return writeResponse(
          res,
          errorResponse(403, `this URL is signed for Content-Type ${grant.contentType}`),
          false,
        );
      }
      try {
        const info = await storage.put(grant.bucket, grant.key, req, contentType ? { contentType } : {});
        res.setHeader('etag', `"${info.etag}"`);
        return send(res, 200);
      } catch (error) {
        if (error instanceof TypeError) return writeResponse(res, errorResponse(400, error.message), false);
        throw error;
      }
    }
    let object: Awaited<ReturnType<typeof storage.getStream>>;
    try {
      object = await storage.getStream(grant.bucket, grant.key);
    } catch (error) {
      if (error instanceof StorageNotFoundError)
        return writeResponse(res, errorResponse(404, 'Not Found'), false);
      throw error;
    }
    res.statusCode = 200;
    res.setHeader('content-length', object.size);
    if (object.contentType) res.setHeader('content-type', object.contentType);
    if (object.etag) res.setHeader('etag', `"${object.etag}"`);
    if (method === 'HEAD') {
      object.body.destroy();
      res.end();
      return;
    }
    await pipeline(object.body, res);
  }

  /** A message for the broker: a CloudEvent's data and extensions, or a plain body with `x-attribute-*` headers. */
  function messageInput(
    headers: HttpHeaders,
    body: Uint8Array,
  ): { data: Uint8Array; attributes: Record<string, string>; groupId?: string } {
    const isCloudEvent =
      headers.has('ce-id') || (headers.get('content-type') ?? '').startsWith('application/cloudevents');
    if (isCloudEvent) {
      const ev = cloudEventFromHttp(headers, body);
      const {
        specversion: _s,
        id: _i,
        source: _so,
        type: _t,
        data,
        datacontenttype: _d,
        time: _ti,
        subject: _su,
        dataschema: _ds,
        ...ext
      } = ev;
      const attributes: Record<string, string> = {};
      for (const key in ext) attributes[key] = String(ext[key]);
      return { data: cloudEventDataBytes(data), attributes, groupId: attributes.partitionkey };
    }
    const attributes: Record<string, string> = {};
    for (const [k, v] of headers) if (k.startsWith('x-attribute-')) attributes[k.slice(12)] = v;
    return { data: body, attributes, groupId: headers.get('x-group-id') };
  }

  function send(res: ServerResponse, status: number, value?: unknown): void {
    const response: HttpResponse =
      value === undefined
        ? { status, headers: {}, cookies: [], body: new Uint8Array(0) }
        : {
            status,
            headers: { 'content-type': 'application/json' },
            cookies: [],
            body: utf8(JSON.stringify(value)),
          };
    writeResponse(res, response, false);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (options.schedules !== false) scheduler?.start();
  const address = server.address() as AddressInfo;
  setStorageBaseUrl(runtime, `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
  const drainTimeout = options.drainTimeoutMs ?? 25_000;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      scheduler?.stop();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const requestsDone =
        inFlight === 0
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              idle = resolve;
            });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), drainTimeout);
      });
      const outcome = await Promise.race([Promise.all([requestsDone, broker.drain()]), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        runtime.log.error('shutdown drain timed out', { inFlight, pendingMessages: broker.pending });
        server.closeAllConnections();
      }
      broker.stop();
      await stopped;
    })();
    return closed;
  };

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      runtime.log.info('draining before exit', { signal, inFlight, pendingMessages: broker.pending });
      void close().then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    runtime,
    broker,
    server,
    close,
  };
}
