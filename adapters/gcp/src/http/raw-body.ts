import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, declaresBody, readNodeBody, refuseBodyTooLarge } from '@polycloud/core/adapter';

/**
 * Set on a request whose `rawBody` this hook read: the bytes exactly as the client sent them, no
 * Content-Encoding removed (the neutral rule, docs/neutral-model.md "Request bodies").
 */
// Stryker disable next-line StringLiteral: the registry key only has to be the same wherever this module is loaded; any string is
export const AS_SENT = Symbol.for('polycloud.gcp.bodyAsSent');

// Stryker disable next-line StringLiteral: as for AS_SENT, any key shared by every copy of this module marks the hook installed
const INSTALLED = Symbol.for('polycloud.gcp.rawBodyHook');

/** Cloud Run's request size limit (32 MiB): a larger body is answered 413 without being buffered. */
export const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

interface ExpressApplication {
  handle(this: unknown, req: IncomingMessage, res: ServerResponse, callback?: unknown): void;
  [INSTALLED]?: true;
}

/**
 * Makes the functions framework hand polycloud the request body as sent.
 *
 * The framework's Express app runs body-parser before any function: it inflates gzip/deflate/br
 * bodies (so `rawBody` is not what the client sent) and answers a malformed JSON, urlencoded or
 * charset body with Express's own HTML error page (`<pre>Bad Request</pre>`) before the function
 * is called. Neither is configurable. body-parser skips a request whose stream has already ended
 * ("body already parsed"), so this wraps `express.application.handle` — the framework's Express,
 * resolved from the framework's own folder — to read the body first and save it as `rawBody`; the
 * parsers then pass, and polycloud answers malformed input with its own JSON 400 as on every other
 * provider. The framework loads the function's module before it creates its app (main.js:
 * getUserFunction, then getServer), so registering installs this in time. Idempotent.
 *
 * @example
 * installRawBodyHook(); // done by register(); nothing to call in an app
 * @coldStart
 */
export function installRawBodyHook(): void {
  const application = loadedFrameworkExpress() ?? resolvedFrameworkExpress();
  if (!application || application[INSTALLED]) return;
  const handle = application.handle;
  // A closure only to carry `handle`: the work is in handleWithRawBody, compiled with the file where
  // a larger closure would be compiled on the first request (see eager-compile.ts).
  application.handle = function (req, res, callback) {
    handleWithRawBody(this, handle, req, res, callback);
  };
  application[INSTALLED] = true;
}

/**
 * One request through the wrapped `handle`: a request that declares a body is read first, one that
 * declares none (a GET) goes straight on.
 * @coldStart
 */
function handleWithRawBody(
  app: unknown,
  handle: ExpressApplication['handle'],
  req: IncomingMessage,
  res: ServerResponse,
  callback: unknown,
): void {
  // Stryker disable next-line ConditionalExpression: reading a request that declares no body ends at once with the same empty body; the test only skips that read
  if (!declaresBody(req)) {
    handle.call(app, req, res, callback);
    return;
  }
  readNodeBody(req, BODY_LIMIT_BYTES).then(
    (bytes) => {
      (req as IncomingMessage & { rawBody?: Buffer; [AS_SENT]?: true }).rawBody = bytes;
      (req as { [AS_SENT]?: true })[AS_SENT] = true;
      handle.call(app, req, res, callback);
    },
    (error: unknown) => refuse(res, error),
  );
}

/**
 * node:module, from the process rather than an `import`: an ES module's import of a builtin makes
 * Node build that builtin's ES module facade (its every export), ~0.25 ms of CPU in a cold start
 * where nothing else imported it (the framework's CLI is CommonJS; measured in a fresh process).
 * @coldStart
 */
function nodeModule(): typeof import('node:module') {
  return process.getBuiltinModule('node:module');
}

/** The framework's server module, the key of require.cache it is loaded under (POSIX, Windows). */
const SERVER_FILE = '/@google-cloud/functions-framework/build/src/server.js';
const SERVER_FILE_WINDOWS = '\\@google-cloud\\functions-framework\\build\\src\\server.js';

/** What a loaded CommonJS module holds here: the Module objects of require.cache. */
interface LoadedModule {
  exports: unknown;
  children: LoadedModule[];
}

/**
 * The framework's Express, found among the modules already loaded: the framework's CLI (main.js)
 * and its testing entry load server.js, which requires Express, before they load a function's
 * module. Read from the module cache without touching the file system: resolving the framework
 * and then Express from this file (below) walks node_modules folders and costs ~0.1–0.3 ms of a
 * cold start (measured in the GCP cold-start probe), this scan ~0.05 ms. It also finds the
 * framework that serves, where a copy installed beside this module may not be the one running.
 * @coldStart
 */
export function loadedFrameworkExpress(): ExpressApplication | undefined {
  const cache = (nodeModule() as unknown as { _cache: Record<string, LoadedModule> })._cache;
  for (const path in cache) {
    if (!path.endsWith(SERVER_FILE) && !path.endsWith(SERVER_FILE_WINDOWS)) continue;
    for (const child of cache[path]!.children) {
      // Express's module exports its createApplication function, which carries `application`.
      const express = child.exports as ((...args: never[]) => unknown) & { application?: ExpressApplication };
      if (typeof express === 'function' && express.application) return express.application;
    }
  }
  return undefined;
}

/** The framework's Express, resolved from this module: when its server is not loaded yet. */
function resolvedFrameworkExpress(): ExpressApplication | undefined {
  try {
    const { createRequire } = nodeModule();
    const framework = createRequire(import.meta.url).resolve('@google-cloud/functions-framework');
    // Stryker disable BlockStatement: the catch below: the framework is a dependency of this package, so the lookup cannot fail where the package is installed
    return (createRequire(framework)('express') as { application: ExpressApplication }).application;
  } catch {
    // No framework beside this module (a copy bundled without it): nothing to wrap.
    return undefined;
  }
}

// Stryker restore BlockStatement

/**
 * A body past Cloud Run's limit is 413 JSON with Connection: close (the rest is not read). A broken
 * upload is dropped: the client is gone, and the framework must not see a half-read request.
 */
function refuse(res: ServerResponse, error: unknown): void {
  // Stryker disable next-line ConditionalExpression: any other error is the client's stream failing (ECONNRESET): its socket is gone, so a 413 written to it reaches no one, as with destroy()
  if (error instanceof BodyTooLargeError) refuseBodyTooLarge(res, BODY_LIMIT_BYTES);
  else res.destroy();
}
