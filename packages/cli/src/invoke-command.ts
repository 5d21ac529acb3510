import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type * as Core from '@polycloud/core';
import {
  type App,
  type HttpRequest,
  InvalidEventError,
  type PolycloudConfig,
  type ProviderName,
  type ScheduleEvent,
  type StorageEvent,
} from '@polycloud/core';
import type * as CoreAdapter from '@polycloud/core/adapter';
import {
  didYouMean,
  type FunctionDefinition,
  formatRoute,
  fromBase64,
  isBinaryBody,
  PROVIDERS,
  Router,
  responseBytes,
  responseText,
  toBase64,
  utf8,
} from '@polycloud/core/adapter';
import { validateCloudEvent } from '@polycloud/core/cloud-events';
import type * as NodeAdapter from '@polycloud/node';
import { importAdapter } from './adapter-import.ts';
import { importLikeApp } from './app-module-system.ts';
import { CliError, UsageError } from './cli-errors.ts';
import { loadCliConfig } from './config-check.ts';
import { nativeProviderOf, readInvokeInput } from './invoke-input.ts';
import { appEntry, loadApp } from './load-app.ts';

export interface InvokeOptions {
  /** The input file (`-`: stdin); without it an empty input. */
  eventFile?: string;
  /** The input is this provider's native event, run through its adapter. */
  provider?: string;
}

/** The providers whose native events `invoke --provider` runs through their adapter. */
const NATIVE_PROVIDERS = ['aws', 'gcp'] as const;

/**
 * `polycloud invoke <fn> [dir] [--event file.json] [--provider aws]`: runs one function once and
 * prints the result. The input formats are listed in `polycloud invoke --help` (help.ts).
 */
export async function invokeCommand(dir: string, name: string, options: InvokeOptions): Promise<number> {
  const input = readInvokeInput(options.eventFile);
  const config = await loadCliConfig(dir);
  const app = await loadApp(dir);
  const def = app.functions.get(name);
  if (!def) {
    const names = [...app.functions.keys()];
    throw new CliError(
      `no function "${name}" in ${app.name}${didYouMean(name, names)}; its functions: ${names.join(', ')}`,
    );
  }
  const entry = appEntry(dir);
  if (options.provider !== undefined) return invokeNative(entry, app, name, input, options.provider, config);
  // The runtime, and the requests and messages handed to the app, from the app's own @polycloud/core.
  const { createNodeRuntime, neutralFromCloudEvent } = await importLikeApp<typeof NodeAdapter>(
    entry,
    '@polycloud/node',
  );
  const core = await importLikeApp<typeof Core>(entry, '@polycloud/core');
  // The runner from the same copy of core as the runtime: it reaches the runtime's private steps.
  const { bindFunction } = await importLikeApp<typeof CoreAdapter>(entry, '@polycloud/core/adapter');
  const runtime = createNodeRuntime(app, { config: { ...config, provider: 'node' } });
  const runner = bindFunction(runtime, name);
  const requestId = randomUUID();
  if (def.kind === 'http') {
    const req = neutralRequest(core, def, input);
    checkRoute(name, def, req);
    const res = await runner.http(() => req, { requestId, raw: input });
    const body = isBinaryBody(res.headers)
      ? { bodyBase64: toBase64(responseBytes(res)) }
      : { body: responseText(res) };
    console.log(
      JSON.stringify({ status: res.status, headers: res.headers, cookies: res.cookies, ...body }, null, 2),
    );
    return res.status >= 500 ? 1 : 0;
  }
  const event = neutralEvent(core, neutralFromCloudEvent, def, input);
  const outcome = await runner.event(() => event, { requestId, raw: input });
  if (outcome.outcome === 'handled') {
    console.log(JSON.stringify({ ok: true, result: outcome.value ?? null }, null, 2));
    return 0;
  }
  console.error(JSON.stringify({ ok: false, error: `${outcome.error.name}: ${outcome.error.message}` }));
  return 1;
}

interface LambdaAdapter {
  createLambda(
    app: App,
    options: { config: PolycloudConfig; logWriter: (line: string) => void },
  ): { handler(name: string): (event: unknown, context: object) => Promise<unknown> };
}

/** Runs a native event through the adapter's own entry, as the provider would call it. */
async function invokeNative(
  entry: string,
  app: App,
  name: string,
  input: unknown,
  provider: string,
  config: PolycloudConfig,
): Promise<number> {
  if (!(NATIVE_PROVIDERS as readonly string[]).includes(provider)) {
    const hint = (PROVIDERS as readonly string[]).includes(provider)
      ? `; for ${provider}, give a neutral request or a CloudEvent without --provider`
      : didYouMean(provider, NATIVE_PROVIDERS);
    throw new UsageError(
      `--provider is "${provider}": native events are run for ${NATIVE_PROVIDERS.join(', ')}${hint}`,
    );
  }
  if (provider === 'gcp') return invokeGcp(entry, app, name, input, config);
  const { createLambda } = await importAdapter<LambdaAdapter>(provider as ProviderName, '', (specifier) =>
    importLikeApp(entry, specifier),
  );
  const handler = createLambda(app, {
    config: { ...config, provider: 'aws' },
    // The result goes to stdout; the function's log lines to stderr.
    logWriter: (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`),
  }).handler(name);
  const result = await handler(input, lambdaContext(name));
  console.log(JSON.stringify(result ?? null, null, 2));
  return failedLambdaResult(result) ? 1 : 0;
}

interface GcpAdapter {
  handle(app: App, options: { config: PolycloudConfig }): unknown;
}

/**
 * A GCP delivery is an HTTP request to the function (an http call, a Pub/Sub push, a CloudEvent in
 * binary or structured mode, a Cloud Tasks or Scheduler call): `{ method, path, headers, body |
 * bodyBase64 }`, sent to the function served by the functions framework's own test server, with
 * the adapter's registration, as Cloud Run functions would.
 */
async function invokeGcp(
  entry: string,
  app: App,
  name: string,
  input: unknown,
  config: PolycloudConfig,
): Promise<number> {
  const e = object(input, 'a GCP delivery (an HTTP request)');
  for (const key of Object.keys(e)) {
    if (!REQUEST_KEYS.includes(key))
      throw new InvalidEventError(
        `unknown key "${key}"${didYouMean(key, REQUEST_KEYS)}; a GCP delivery is an HTTP request: ${REQUEST_KEYS.join(', ')}`,
        'event',
      );
  }
  const gcp = await importAdapter<GcpAdapter>('gcp', '', (specifier) => importLikeApp(entry, specifier));
  gcp.handle(app, { config: { ...config, provider: 'gcp' } });
  // The framework the adapter registered with: resolved from the adapter, one registry.
  const adapterFile = fileURLToPath(import.meta.resolve('@polycloud/gcp'));
  const { getTestServer } = createRequire(adapterFile)('@google-cloud/functions-framework/testing') as {
    getTestServer(name: string): Server;
  };
  // Cloud Run functions run with NODE_ENV=production: Express's own error pages then carry no stack.
  process.env.NODE_ENV ??= 'production';
  const server = getTestServer(name);
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', () => listening());
  });
  try {
    const { port } = server.address() as AddressInfo;
    const def = app.functions.get(name)!;
    const method =
      typeof e.method === 'string'
        ? e.method
        : def.kind === 'http'
          ? (def.route.methods[0] ?? 'GET')
          : 'POST';
    const path = typeof e.path === 'string' ? e.path : '/';
    const body = e.body === undefined && e.bodyBase64 === undefined ? undefined : bodyOf(e);
    // The adapter writes its log lines to stdout, where Cloud Logging reads them; stdout is for the
    // result here, so they go to stderr while the function runs.
    const stdoutWrite = process.stdout.write;
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`http://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`, {
        method,
        headers: object(e.headers ?? {}, 'headers') as Record<string, string>,
        body:
          method === 'GET' || method === 'HEAD' ? undefined : (body as Uint8Array<ArrayBuffer> | undefined),
      });
      text = await res.text();
    } finally {
      process.stdout.write = stdoutWrite;
    }
    console.log(
      JSON.stringify({ status: res.status, headers: Object.fromEntries(res.headers), body: text }, null, 2),
    );
    return res.status >= 500 ? 1 : 0;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((closed) => server.close(() => closed()));
  }
}

/** An http answer >= 500, or a batch with failed items. */
function failedLambdaResult(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  const r = result as { statusCode?: unknown; batchItemFailures?: unknown };
  if (typeof r.statusCode === 'number') return r.statusCode >= 500;
  return Array.isArray(r.batchItemFailures) && r.batchItemFailures.length > 0;
}

/** The context object the Node.js managed runtime passes, with a 30 s deadline. */
function lambdaContext(functionName: string) {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'polycloud-invoke',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
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

const REQUEST_KEYS = ['method', 'path', 'query', 'headers', 'body', 'bodyBase64'];

/**
 * `{ method, path, query: {k: v|[v]}, headers: {k: v|[v]}, body | bodyBase64 }`, every key optional:
 * the method defaults to the route's first, the path to the route's own when it has no parameters.
 */
function neutralRequest(
  core: typeof Core,
  def: FunctionDefinition & { kind: 'http' },
  input: unknown,
): HttpRequest {
  const e = object(input, 'an http request');
  for (const key of Object.keys(e)) {
    if (REQUEST_KEYS.includes(key)) continue;
    const native = nativeProviderOf(e);
    throw new InvalidEventError(
      native
        ? `this looks like a native ${native} event: run it with --provider ${native}`
        : `unknown key "${key}"${didYouMean(key, REQUEST_KEYS)} in the request; a neutral request has ${REQUEST_KEYS.join(', ')} (path parameters are part of "path")`,
      'event',
    );
  }
  const method = typeof e.method === 'string' ? e.method : (def.route.methods[0] ?? 'GET');
  let path = typeof e.path === 'string' ? e.path : defaultPath(def.route.path);
  const pairs: [string, string][] = [];
  const mark = path.indexOf('?');
  if (mark !== -1) {
    for (const [k, v] of new URLSearchParams(path.slice(mark + 1))) pairs.push([k, v]);
    path = path.slice(0, mark);
  }
  for (const [k, v] of Object.entries(object(e.query ?? {}, 'query')))
    for (const x of [v].flat()) pairs.push([k, String(x)]);
  return new core.HttpRequest({
    method,
    rawPath: path,
    query: pairs,
    headers: object(e.headers ?? {}, 'headers') as Record<string, string | string[]>,
    body: bodyOf(e),
  });
}

/** The route's path when it has no parameters; else `/` (which then fails the route check, with an example). */
function defaultPath(route: string): string {
  return /(^|\/)(:|\*)/.test(route) ? '/' : route;
}

/**
 * A request this function's route does not match would never reach it when deployed: the handler is
 * not run, and the message shows a path that would match.
 */
function checkRoute(name: string, def: FunctionDefinition & { kind: 'http' }, req: HttpRequest): void {
  const router = new Router<string>();
  router.add(def.route, name);
  const match = router.match(req.method, req.rawPath);
  if (match.status === 200) return;
  const example = def.route.path.replace(/:[^/]+/g, '42').replace(/\*$/, 'any/thing');
  const method = def.route.methods[0] ?? 'GET';
  throw new CliError(
    `${req.method} ${req.rawPath} matches none of ${name}'s routes (${formatRoute(def.route)}), so the handler was not run; set them in the --event file, e.g. {"method":"${method}","path":"${example}"}`,
  );
}

/** A CloudEvent (has `specversion`), or the neutral event's own JSON shape. */
function neutralEvent(
  core: typeof Core,
  neutralFromCloudEvent: typeof NodeAdapter.neutralFromCloudEvent,
  def: FunctionDefinition,
  input: unknown,
): unknown {
  const e = object(input, 'an event');
  if ('specversion' in e) return neutralFromCloudEvent(def, validateCloudEvent(e));
  const native = nativeProviderOf(e);
  if (native)
    throw new InvalidEventError(
      `this looks like a native ${native} event: run it with --provider ${native}`,
      'event',
    );
  switch (def.kind) {
    case 'queue':
    case 'topic':
      return new core.Message({
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
