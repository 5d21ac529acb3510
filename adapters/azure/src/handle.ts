import type { App } from '@polycloud/core';
import { eventHandler } from './events/event-handler.ts';
import { type AzureEntries, handleWith, type Registration, ROUTES_FALLBACK } from './handle-with.ts';
import type { AzureHandler } from './invocation.ts';
import type { AzureOptions } from './options.ts';

/**
 * Registers every function of `app` with `app.http / app.storageQueue / app.serviceBusQueue /
 * app.serviceBusTopic / app.eventHub / app.eventGrid / app.storageBlob / app.timer` of @azure/functions.
 * Without a host (tests, plain node) the library ignores `app.*` calls: use `handlers` there.
 *
 * @example
 * ```ts
 * import { handle } from '@polycloud/azure';
 * import app from './app.ts';
 *
 * handle(app); // in the function app's entry (package.json "main")
 * ```
 */
export function handle(app: App, options: AzureOptions = {}): Registration {
  return handleWith(app, options, { event: eventHandler });
}

export { type AzureEntries, type AzureHandler, eventHandler, handleWith, type Registration, ROUTES_FALLBACK };
