import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
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
  const application = frameworkExpressApplication();
  if (!application || application[INSTALLED]) return;
  const handle = application.handle;
  application.handle = function handleWithRawBody(req, res, callback) {
    // Stryker disable next-line ConditionalExpression: reading a request that declares no body ends at once with the same empty body; the test only skips that read
    if (!declaresBody(req)) return handle.call(this, req, res, callback);
    readNodeBody(req, BODY_LIMIT_BYTES).then(
      (bytes) => {
        (req as IncomingMessage & { rawBody?: Buffer; [AS_SENT]?: true }).rawBody = bytes;
        (req as { [AS_SENT]?: true })[AS_SENT] = true;
        handle.call(this, req, res, callback);
      },
      (error: unknown) => refuse(res, error),
    );
  };
  application[INSTALLED] = true;
}

/** @coldStart */
function frameworkExpressApplication(): ExpressApplication | undefined {
  try {
    const require = createRequire(import.meta.url);
    const framework = require.resolve('@google-cloud/functions-framework');
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
