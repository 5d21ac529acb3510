import functions, { type HttpFunction as FrameworkHttpFunction } from '@google-cloud/functions-framework';
import type { App } from '@polycloud/core';
import { AppRuntime, bindHttpFunction, lazyService, resolveConfig } from '@polycloud/core/adapter';
import type { eventEntry } from './events/event-entry.ts';
import type { httpEntry } from './http/http-entry.ts';
import type { IapOptions, IapVerifier } from './http/iap.ts';
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
 * `handle` with the entries the app needs, for `polycloud build`: a bundle of an app without event
 * functions then carries no event code (Pub/Sub, Storage, Scheduler, Tasks and legacy events), which
 * its cold start would otherwise parse (issue 12). Its own module, which reaches no entry: esbuild
 * puts a module the startup file reaches (even one tree-shaken there, as the event entry is in
 * `handle.ts`) into the startup file whenever a lazily loaded chunk uses it, so the invoke envelope
 * the FunctionClient shares with the event entry would load at every cold start.
 * @coldStart
 */
export function handleWith(app: App, options: GcpOptions, entries: GcpEntries): Registration {
  installRawBodyHook();
  const resolved = resolveGcpOptions(options);
  const config = options.config ?? resolveConfig({ provider: 'gcp' }, {});
  const runtime = new AppRuntime(app, gcpProvider({ ...options, config }, resolved), { config });
  const iap = resolved.iap ? lazyIapVerifier(resolved.iap) : undefined;
  const handlers: Record<string, FrameworkHttpFunction> = {};
  for (const [name, fn] of runtime.functions) {
    // An http function's runner has `http` only: its module holds no event or batch code.
    const handler =
      fn.def.kind === 'http'
        ? required(entries.http, 'http')(bindHttpFunction(runtime, fn), resolved, iap)
        : required(entries.event, fn.def.kind)(runtime, fn, resolved);
    functions.http(name, handler);
    handlers[name] = handler;
  }
  return { runtime, handlers };
}

/**
 * The IAP verifier, imported with the first assertion (it verifies asynchronously anyway): a function
 * without IAP never parses it, one with IAP not before its first signed request.
 */
function lazyIapVerifier(options: IapOptions): Pick<IapVerifier, 'verify'> {
  return lazyService<Pick<IapVerifier, 'verify'>>(['verify'], () =>
    import('./http/iap.ts').then((m) => new m.IapVerifier(options)),
  );
}

/** @coldStart */
function required<T>(entry: T | undefined, kind: string): T {
  if (!entry) throw new TypeError(`this bundle has no entry for ${kind} functions`);
  return entry;
}
