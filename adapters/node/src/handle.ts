import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, mergeApps } from '@polycloud/core';
import {
  type AppHttpRunner,
  type AppRuntime,
  BodyTooLargeError,
  bindApp,
  declaresBody,
  EMPTY_BYTES,
  errorResponse,
  jsonResponse,
  readNodeBody,
  refuseBodyTooLarge,
  toError,
  writeNodeResponse,
} from '@polycloud/core/adapter';
import type { MessageBroker } from './events/message-broker.ts';
import { ConnectionDrain } from './http/connection-drain.ts';
import { answerWithin } from './http/http-timeout.ts';
import { toHttpRequest } from './http/incoming-message.ts';
import { type InternalAccess, internalAccess, internalDenied } from './http/internal-access.ts';
import type { InternalEndpoints } from './http/internal-endpoints.ts';
import { applyKeepAlive, serverTimeoutOptions } from './http/server-timeouts.ts';
import type { NodeOptions } from './options.ts';
import { brokerFor, createNodeRuntime, setStorageBaseUrl } from './provider.ts';
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
  return startServer(Array.isArray(apps) ? mergeApps(apps) : apps, options).listening;
}

/** A server on its way to listening (see `startServer`). */
export interface StartingServer {
  /** Resolves once the server listens, as `handle()` does. */
  readonly listening: Promise<NodeServer>;
  /**
   * Whether it imports lazily loaded code before it listens: the Scheduler (an app with schedules)
   * or the JetStream broker's code (a NATS broker, see events/jetstream-broker.ts).
   */
  readonly importsBeforeListening: boolean;
}

/**
 * `handle()` for the built server (`polycloud build --provider node`), which needs to know before
 * it awaits: its entry file holds the startup code that lazily loaded chunks import, so awaiting
 * `listening` at the entry's top level while such a chunk loads would never end (the chunk waits
 * for the entry's evaluation, the entry for the chunk). The runtime and the broker are made here,
 * synchronously; the rest happens in `listening`. One app: the built server serves one, and
 * merging several (`handle()` does) is code its startup file need not hold.
 * @coldStart
 */
export function startServer(app: App, options: NodeOptions = {}): StartingServer {
  const runtime = createNodeRuntime(app, options);
  const broker = brokerFor(runtime);
  const hasSchedules = declaresSchedules(runtime);
  return {
    listening: listen(runtime, broker, hasSchedules, options),
    importsBeforeListening: hasSchedules || broker.kind === 'nats',
  };
}

/**
 * Whether any function of the runtime is a schedule (a loop: a callback would be one more function
 * compiled at cold start).
 * @coldStart
 */
function declaresSchedules(runtime: AppRuntime): boolean {
  for (const fn of runtime.functions.values()) if (fn.def.kind === 'schedule') return true;
  return false;
}

/** @coldStart */
async function listen(
  runtime: AppRuntime,
  broker: MessageBroker,
  hasSchedules: boolean,
  options: NodeOptions,
): Promise<NodeServer> {
  // Cold start: croner (27 KB) loads only for an app that has schedules (issue 12).
  const scheduler = hasSchedules
    ? new (await import('./events/scheduler.ts')).Scheduler(runtime, broker)
    : undefined;
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;
  const httpRunner = bindApp(runtime);
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

  const server = createServer(serverTimeoutOptions(options.timeouts));
  const drain = new ConnectionDrain(server);
  const served: Served = { runtime, broker, httpRunner, drain, access, limit, defaultTimeoutMs };
  // The request path is top-level functions (below) over this one object, not closures of this
  // function: marked @coldStart, V8 compiles them while it parses the file, where each closure was
  // compiled on the first request (issue 12). The listener is serveRequest bound to it: a bound
  // function is not compiled at all.
  server.on('request', serveRequest.bind(undefined, served));
  applyKeepAlive(server, options.timeouts);

  // Only JetStream has anything to start (its streams and consumers); the in-memory broker's start
  // is a resolved promise.
  if (broker.kind === 'nats') await broker.start();
  // Not node:events' once() (no callback of ours to compile, but measured +0.2 ms of CPU at cold
  // start: A/B, 41 interleaved fresh probes).
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

/** What one server's request path reads: made once per server, when it starts. */
interface Served {
  readonly runtime: AppRuntime;
  readonly broker: MessageBroker;
  /** Bound once per server: the http functions behind one router. */
  readonly httpRunner: AppHttpRunner;
  readonly drain: ConnectionDrain;
  readonly access: InternalAccess;
  /** Largest request body read, in bytes. */
  readonly limit: number;
  readonly defaultTimeoutMs: number;
  /** Loaded on the first internal request: an app's cold start does not parse them (issue 12). */
  endpoints?: Promise<InternalEndpoints>;
}

/**
 * The request listener. A request is answered without a promise when nothing in it is
 * asynchronous (no body to read, a synchronous handler): the listener used to call an async
 * `answer` and chain a `.catch` on every request, two promises and their microtasks for a GET that
 * needs neither (issue 12).
 * @coldStart
 */
function serveRequest(served: Served, req: IncomingMessage, res: ServerResponse): void {
  if (!served.drain.admit(req, res)) return;
  try {
    answer(served, req, res)?.catch((error: unknown) => failed(served, res, error));
  } catch (error) {
    failed(served, res, error);
  }
}

/**
 * Answers a request; a promise only when part of it is asynchronous.
 * @coldStart
 */
function answer(served: Served, req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  // While draining, ConnectionDrain answers every request (this one included) with 503.
  if (path === '/healthz') {
    writeNodeResponse(res, jsonResponse(200, { status: 'ok' }));
    return;
  }
  // A signed storage URL carries its own signature (like a presigned S3 URL): no internal token.
  if (path.startsWith(SIGNED_STORAGE)) return endpoints(served).then((e) => e.signedStorage(req, res, url));
  const isInternal = path.startsWith(INTERNAL);
  if (isInternal) {
    const denied = internalDenied(served.access, req);
    if (denied !== 0) {
      res.setHeader('connection', 'close');
      writeNodeResponse(res, errorResponse(denied, denied === 401 ? 'Unauthorized' : 'Not Found'));
      return;
    }
  }
  // Hot path: a request that declares no body is not read as a stream (no listeners, no promise).
  if (declaresBody(req)) return withBody(served, req, res, path, isInternal);
  return isInternal
    ? endpoints(served).then((e) => e.internal(req, res, path.slice(INTERNAL.length), EMPTY_BYTES))
    : answerHttp(served, req, res, path, EMPTY_BYTES);
}

/** @coldStart */
function answerHttp(
  served: Served,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: Uint8Array,
): Promise<void> | undefined {
  const out = served.httpRunner.http(() => toHttpRequest(req, body), {
    raw: { provider: 'node', request: req } satisfies NodeRaw,
  });
  if (!(out instanceof Promise)) {
    writeNodeResponse(res, out);
    return;
  }
  return answerWithin(served.runtime, req.method ?? 'GET', path, out, served.defaultTimeoutMs).then(
    (response) => writeNodeResponse(res, response),
  );
}

async function withBody(
  served: Served,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  isInternal: boolean,
): Promise<void> {
  let body: Uint8Array;
  try {
    body = await readNodeBody(req, served.limit);
  } catch (error) {
    // 413 with Connection: close: the rest of the body is not read.
    if (error instanceof BodyTooLargeError) return refuseBodyTooLarge(res, served.limit);
    throw error;
  }
  return isInternal
    ? (await endpoints(served)).internal(req, res, path.slice(INTERNAL.length), body)
    : answerHttp(served, req, res, path, body);
}

/** The `/_polycloud/` endpoints, imported on the first such request (issue 12). */
function endpoints(served: Served): Promise<InternalEndpoints> {
  served.endpoints ??= import('./http/internal-endpoints.ts').then((m) =>
    m.internalEndpoints({ runtime: served.runtime, broker: served.broker }),
  );
  return served.endpoints;
}

function failed(served: Served, res: ServerResponse, error: unknown): void {
  served.runtime.log.error('request failed outside a handler', { error: toError(error) });
  if (!res.headersSent) writeNodeResponse(res, errorResponse(500, 'Internal Server Error'));
}
