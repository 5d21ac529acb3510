import type { App } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { type AzureEntries, handlePrepared, type Registration, ROUTES_FALLBACK } from './handle-prepared.ts';
import { identityFromPrincipal } from './http/client-principal.ts';
import type { AzureOptions } from './options.ts';
import { prepareApp } from './registration-plan.ts';

/**
 * `handle` with the entries the app needs: a bundle of an app with only http functions then carries
 * no trigger code (queues, Event Hubs, Blob, Timer, Event Grid), which its cold start would
 * otherwise parse (issue 12). Resolves the options and plans the registrations at cold start, and
 * reads App Service authentication's principal unless `entries` says otherwise; `polycloud build`
 * does that when it builds and registers through `handlePrepared`.
 *
 * @example
 * ```ts
 * handleWith(app, { config }, { event: eventHandler });
 * ```
 */
export function handleWith(app: App, options: AzureOptions, entries: AzureEntries): Registration {
  const config = options.config ?? resolveConfig({ provider: 'azure' }, {});
  return handlePrepared(app, { ...options, config }, prepareApp(app, config), {
    principal: identityFromPrincipal,
    ...entries,
  });
}

export { type AzureEntries, type Registration, ROUTES_FALLBACK };
