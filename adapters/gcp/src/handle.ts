import type { App } from '@polycloud/core';
import { eventEntry } from './events/event-entry.ts';
import { type GcpEntries, handleWith, type Registration } from './handle-with.ts';
import { httpEntry } from './http/http-entry.ts';
import type { GcpOptions } from './options.ts';

/**
 * Registers every function of `app` with the functions framework under its own name, so
 * `--target=NAME` (or `--entry-point=NAME` on deploy) serves it. http functions and event-driven
 * ones alike use http(): see event-entry.ts for why not cloudEvent().
 *
 * @example
 * ```ts
 * import { handle } from '@polycloud/gcp';
 * import app from './app.ts';
 *
 * handle(app); // then: functions-framework --target=getItem
 * ```
 */
export function handle(app: App, options: GcpOptions = {}): Registration {
  return handleWith(app, options, { http: httpEntry, event: eventEntry });
}

export { eventEntry, type GcpEntries, handleWith, httpEntry, type Registration };
