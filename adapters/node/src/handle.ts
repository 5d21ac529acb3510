import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import {
  type App,
  type CloudEvent,
  HttpHeaders,
  InvalidEventError,
  mergeApps,
  StorageNotFoundError,
} from '@polycloud/core';
import {
  type AppRuntime,
  BodyTooLargeError,
  bindApp,
  bindFunction,
  cloudEventDataBytes,
  cloudEventFromHttp,
  declaresBody,
  EMPTY_BYTES,
  errorResponse,
  type FunctionRunner,
  headerPairs,
  jsonResponse,
  readNodeBody,
  refuseBodyTooLarge,
  rejectionResponse,
  toError,
  writeNodeResponse,
} from '@polycloud/core/adapter';
import { neutralFromCloudEvent } from './events/cloud-event-input.ts';
import { handleMessageBatch } from './events/message-batch.ts';
import { BrokerFullError, type MessageBroker } from './events/message-broker.ts';
import { ConnectionDrain } from './http/connection-drain.ts';
import { answerWithin } from './http/http-timeout.ts';
import { toHttpRequest } from './http/incoming-message.ts';
import { internalAccess, internalDenied } from './http/internal-access.ts';
import { applyKeepAlive, serverTimeoutOptions } from './http/server-timeouts.ts';
import type { NodeOptions } from './options.ts';
import { brokerFor, createNodeRuntime, folderStorageFor, setStorageBaseUrl } from './provider.ts';
import type { NodeRaw } from './raw.ts';

export interface NodeServer {
  readonly url: string;
  readonly port: number;
  readonly runtime: AppRuntime;
  readonly broker: MessageBroker;
  readonly server: Server;
  /** Stops accepting, drains in-flight requests and messages (bounded by `drainTimeoutMs`), stops schedules. */
  close(): Promise<DrainReport>;
}

/** What a shutdown did. `clean` is false when the deadline cut requests or abandoned messages. */
export interface DrainReport {
  clean: boolean;
  /** Requests still running at the deadline (their connections were destroyed). */
  abandonedRequests: number;
  /** Messages still in flight at the deadline: lost on the in-memory broker, redelivered on JetStream. */
  abandonedMessages: string[];
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
    ? new (await import('./events/scheduler.ts')).Scheduler(runtime, broker)
    : undefined;
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;
  // Bound once per server: the http functions behind one router, every function for push delivery.
  const httpRunner = bindApp(runtime);
  const runners = new Map<string, FunctionRunner>();
  for (const fn of runtime.functions.values()) runners.set(fn.name, bindFunction(runtime, fn));
  const limit = options.bodyLimitBytes ?? 6 * 1024 * 1024;
  const nodeConfig = runtime.config.providers.node ?? {};
  const port = options.port ?? (typeof nodeConfig.port === 'number' ? nodeConfig.port : 3000);
  const host = options.host ?? '127.0.0.1';
  const access = internalAccess(host, options.internalToken ?? process.env.POLYCLOUD_INTERNAL_TOKEN);
  if (access.mode === 'closed') {
    runtime.log.warn('/_polycloud/* endpoints are closed: set POLYCLOUD_INTERNAL_TOKEN to use them', {
      host,
    });
  }

  // A request is answered without a promise when nothing in it is asynchronous (no body to read, a
  // synchronous handler): the listener used to call an async `answer` and chain a `.catch` on every
  // request, two promises and their microtasks for a GET that needs neither (issue 12).
  const server = createServer(serverTimeoutOptions(options.timeouts), (req, res) => {
    if (!drain.admit(req, res)) return;
    try {
      answer(req, res)?.catch((error: unknown) => failed(res, error));
    } catch (error) {
      failed(res, error);
    }
  });

  const drain = new ConnectionDrain(server);
  applyKeepAlive(server, options.timeouts);

  function failed(res: ServerResponse, error: unknown): void {
    runtime.log.error('request failed outside a handler', { error: toError(error) });
    if (!res.headersSent) writeNodeResponse(res, errorResponse(500, 'Internal Server Error'));
  }

  /** Answers a request; a promise only when part of it is asynchronous. */
  function answer(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0]!;
    // While draining, ConnectionDrain answers every request (this one included) with 503.
    if (path === '/healthz') {
      send(res, 200, { status: 'ok' });
      return;
    }
    // A signed storage URL carries its own signature (like a presigned S3 URL): no internal token.
    if (path.startsWith(SIGNED_STORAGE)) return signedStorage(req, res, url);
    const isInternal = path.startsWith(INTERNAL);
    if (isInternal) {
      const denied = internalDenied(access, req);
      if (denied !== 0) {
        res.setHeader('connection', 'close');
        writeNodeResponse(res, errorResponse(denied, denied === 401 ? 'Unauthorized' : 'Not Found'));
        return;
      }
    }
    // Hot path: a request that declares no body is not read as a stream (no listeners, no promise).
    if (declaresBody(req)) return withBody(req, res, path, isInternal);
    return isInternal
      ? internal(req, res, path.slice(INTERNAL.length), EMPTY_BYTES)
      : answerHttp(req, res, path, EMPTY_BYTES);
  }

  async function withBody(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    isInternal: boolean,
  ): Promise<void> {
    let body: Uint8Array;
    try {
      body = await readNodeBody(req, limit);
    } catch (error) {
      // 413 with Connection: close: the rest of the body is not read.
      if (error instanceof BodyTooLargeError) return refuseBodyTooLarge(res, limit);
      throw error;
    }
    return isInternal
      ? internal(req, res, path.slice(INTERNAL.length), body)
      : answerHttp(req, res, path, body);
  }

  function answerHttp(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: Uint8Array,
  ): Promise<void> | undefined {
    const out = httpRunner.http(() => toHttpRequest(req, body), {
      raw: { provider: 'node', request: req } satisfies NodeRaw,
    });
    if (!(out instanceof Promise)) {
      writeNodeResponse(res, out);
      return;
    }
    return answerWithin(runtime, req.method ?? 'GET', path, out, defaultTimeoutMs).then((response) =>
      writeNodeResponse(res, response),
    );
  }

  async function internal(
    req: IncomingMessage,
    res: ServerResponse,
    route: string,
    body: Uint8Array,
  ): Promise<void> {
    const [area, rawName = '', extra] = route.split('/');
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      return writeNodeResponse(res, errorResponse(400, 'malformed percent-encoding in the name'));
    }
    if (req.method === 'GET' && area === 'dead-letters') {
      return send(res, 200, await broker.listDeadLetters(1000));
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
      return writeNodeResponse(res, errorResponse(404, 'Not Found'));
    }
    try {
      if (batch) {
        const runner = runners.get(name);
        if (!runner) return writeNodeResponse(res, errorResponse(404, `no function named "${name}"`));
        const result = await handleMessageBatch(runner, body);
        return 'outcome' in result
          ? writeNodeResponse(res, rejectionResponse(result))
          : send(res, 200, result);
      }
      const headers = new HttpHeaders(headerPairs(req));
      switch (area) {
        case 'functions': {
          // Push delivery (Knative, Pub/Sub push, Dapr): run once now; retrying is the sender's job.
          const runner = runners.get(name);
          if (!runner || runner.fn.def.kind === 'http')
            return writeNodeResponse(res, errorResponse(404, `no event function named "${name}"`));
          let ev: CloudEvent | undefined;
          const outcome = await runner.event(
            () => {
              ev = cloudEventFromHttp(headers, body);
              return neutralFromCloudEvent(runner.fn.def, ev);
            },
            () => ({ requestId: ev!.id, raw: { provider: 'node', cloudEvent: ev! } satisfies NodeRaw }),
          );
          if (outcome.outcome === 'rejected') return writeNodeResponse(res, rejectionResponse(outcome));
          if (outcome.outcome === 'failed')
            return writeNodeResponse(res, errorResponse(500, 'handler failed; redeliver'));
          return send(res, 204);
        }
        case 'queues':
        case 'topics': {
          const { data, attributes, groupId } = messageInput(headers, body);
          try {
            const result =
              area === 'queues'
                ? await broker.send(name, data, { attributes, groupId })
                : await broker.publish(name, data, { attributes, orderingKey: groupId });
            return send(res, 202, result);
          } catch (error) {
            // Not stored: the sender must retry (never a 202 for a message that was dropped).
            runtime.log.error('message not accepted', {
              [area === 'queues' ? 'queue' : 'topic']: name,
              error: toError(error),
            });
            res.setHeader('retry-after', '1');
            return writeNodeResponse(
              res,
              errorResponse(
                503,
                error instanceof BrokerFullError ? 'broker full; retry later' : 'message not stored; retry',
              ),
            );
          }
        }
        case 'events': {
          const ev = cloudEventFromHttp(headers, body);
          const targets = [...runners.values()].filter(
            ({ fn: { def } }) =>
              def.kind === 'event' && (def.types.length === 0 || def.types.includes(ev.type)),
          );
          if (targets.length === 0)
            return writeNodeResponse(res, errorResponse(404, `no event function accepts type "${ev.type}"`));
          const outcomes = await Promise.all(
            targets.map((runner) =>
              runner.event(() => ev, {
                requestId: ev.id,
                raw: { provider: 'node', cloudEvent: ev } satisfies NodeRaw,
              }),
            ),
          );
          return outcomes.every((o) => o.outcome === 'handled')
            ? send(res, 204)
            : writeNodeResponse(res, errorResponse(500, 'handler failed; redeliver'));
        }
        default:
          return writeNodeResponse(res, errorResponse(404, 'Not Found'));
      }
    } catch (error) {
      // Broker ingress (queues, topics, events) reads a CloudEvent or attribute headers first.
      if (error instanceof InvalidEventError)
        return writeNodeResponse(res, rejectionResponse({ outcome: 'rejected', error }));
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
      return writeNodeResponse(res, errorResponse(403, grant.reason));
    }
    if (method === 'PUT') {
      const contentType = req.headers['content-type'];
      if (grant.contentType !== undefined && contentType !== grant.contentType) {
        res.setHeader('connection', 'close');
        return writeNodeResponse(
          res,
          errorResponse(403, `this URL is signed for Content-Type ${grant.contentType}`),
        );
      }
      try {
        const info = await storage.put(grant.bucket, grant.key, req, contentType ? { contentType } : {});
        res.setHeader('etag', `"${info.etag}"`);
        return send(res, 200);
      } catch (error) {
        if (error instanceof TypeError) return writeNodeResponse(res, errorResponse(400, error.message));
        throw error;
      }
    }
    let object: Awaited<ReturnType<typeof storage.getStream>>;
    try {
      object = await storage.getStream(grant.bucket, grant.key);
    } catch (error) {
      if (error instanceof StorageNotFoundError)
        return writeNodeResponse(res, errorResponse(404, 'Not Found'));
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
    writeNodeResponse(res, jsonResponse(status, value));
  }

  await broker.start();
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

  let closed: Promise<DrainReport> | undefined;
  const close = (): Promise<DrainReport> => {
    closed ??= (async () => {
      scheduler?.stop();
      const requestsDone = drain.begin();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), drainTimeout);
      });
      const outcome = await Promise.race([Promise.all([requestsDone, broker.drain()]), timeout]);
      clearTimeout(timer);
      const report: DrainReport = { clean: true, abandonedRequests: 0, abandonedMessages: [] };
      if (outcome === 'timeout') {
        report.abandonedRequests = drain.forceClose();
        const abandoned = await broker.abandon();
        report.abandonedMessages = abandoned.messageIds;
        report.clean = report.abandonedRequests === 0 && abandoned.messageIds.length === 0;
        runtime.log.error('shutdown drain timed out', {
          drainTimeoutMs: drainTimeout,
          abandonedRequests: report.abandonedRequests,
          abandonedMessages: abandoned.messageIds.length,
          messagesKept: abandoned.durable,
        });
        for (const messageId of abandoned.messageIds) {
          runtime.log.error(
            abandoned.durable ? 'message abandoned; the broker redelivers it' : 'message abandoned and lost',
            { messageId },
          );
        }
      }
      await broker.close();
      return report;
    })();
    return closed;
  };

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      runtime.log.info('draining before exit', {
        signal,
        inFlight: drain.inFlight,
        pendingMessages: broker.pending,
      });
      void close().then((report) => process.exit(report.clean ? 0 : 1));
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
