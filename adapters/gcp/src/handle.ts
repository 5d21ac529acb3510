import functions, { type HttpFunction as FrameworkHttpFunction } from '@google-cloud/functions-framework';
import type { App } from '@polycloud/core';
import { AppRuntime, resolveConfig } from '@polycloud/core/adapter';
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

/**
 * Registers every function of `app` with the functions framework under its own name, so
 * `--target=NAME` (or `--entry-point=NAME` on deploy) serves it. http functions and event-driven
 * ones alike use http(): see event-entry.ts for why not cloudEvent().
 */
export function handle(app: App, options: GcpOptions = {}): Registration {
  installRawBodyHook();
  const resolved = resolveGcpOptions(options);
  const config = options.config ?? resolveConfig({ provider: 'gcp' }, {});
  const runtime = new AppRuntime(app, gcpProvider({ ...options, config }), { config });
  const iap = resolved.iap ? new IapVerifier(resolved.iap) : undefined;
  const handlers: Record<string, FrameworkHttpFunction> = {};
  for (const [name, fn] of runtime.functions) {
    const handler =
      fn.def.kind === 'http' ? httpEntry(runtime, fn, resolved, iap) : eventEntry(runtime, fn, resolved);
    functions.http(name, handler);
    handlers[name] = handler;
  }
  return { runtime, handlers };
}
