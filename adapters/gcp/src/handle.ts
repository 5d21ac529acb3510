import functions, { type HttpFunction as FrameworkHttpFunction } from '@google-cloud/functions-framework';
import type { App } from '@polycloud/core';
import { AppRuntime, bindFunction, resolveConfig } from '@polycloud/core/adapter';
import { eventEntry } from './events/event-entry.ts';
import { httpEntry } from './http/http-entry.ts';
import { IapVerifier } from './http/iap.ts';
import { installRawBodyHook } from './http/raw-body.ts';
import { type GcpOptions, resolveGcpOptions } from './options.ts';
import { gcpProvider } from './provider.ts';

export interface Registration {
  runtime: AppRuntime;
  /** Each function's framework handler, by function name (as registered with the framework). */
  handlers: Record<string, FrameworkHttpFunction>;
}

/** The framework handler of each kind of function: `handleWith` registers an app with these. */
export interface GcpEntries {
  http?: typeof httpEntry;
  event?: typeof eventEntry;
}

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

/**
 * `handle` with the entries the app needs, for `polycloud build`: a bundle of an app without event
 * functions then carries no event code (Pub/Sub, Storage, Scheduler, Tasks and legacy events), which
 * its cold start would otherwise parse (issue 12).
 */
export function handleWith(app: App, options: GcpOptions, entries: GcpEntries): Registration {
  installRawBodyHook();
  const resolved = resolveGcpOptions(options);
  const config = options.config ?? resolveConfig({ provider: 'gcp' }, {});
  const runtime = new AppRuntime(app, gcpProvider({ ...options, config }), { config });
  const iap = resolved.iap ? new IapVerifier(resolved.iap) : undefined;
  const handlers: Record<string, FrameworkHttpFunction> = {};
  for (const [name, fn] of runtime.functions) {
    const runner = bindFunction(runtime, fn);
    const handler =
      fn.def.kind === 'http'
        ? required(entries.http, 'http')(runner, resolved, iap)
        : required(entries.event, fn.def.kind)(runner, resolved);
    functions.http(name, handler);
    handlers[name] = handler;
  }
  return { runtime, handlers };
}

function required<T>(entry: T | undefined, kind: string): T {
  if (!entry) throw new TypeError(`this bundle has no entry for ${kind} functions`);
  return entry;
}

export { eventEntry, httpEntry };
