import { AppRuntime, FunctionClient, type ProviderBinding } from '@polycloud/core';
import { ContainerModule } from 'inversify';
import { cloudLoggingSink } from './cloud-logging.ts';
import { GcpFunctionClient } from './function-client.ts';
import { idTokenSource } from './id-token.ts';
import { type GcpOptions, resolveGcpOptions } from './options.ts';

/** Half a second before the deadline: time to log and answer before Cloud Run cuts the request. */
const ABORT_MARGIN_MS = 500;

/** The gcp ProviderBinding: FunctionClient over HTTPS with ID tokens, Cloud Logging structured JSON. */
export function gcpProvider(options: GcpOptions = {}): ProviderBinding {
  const resolved = resolveGcpOptions(options);
  const details: Record<string, string> = {};
  if (resolved.project) details.project = resolved.project;
  return {
    name: 'gcp',
    module: new ContainerModule(({ bind }) => {
      bind(FunctionClient).toDynamicValue((ctx) => {
        const runtime = ctx.get(AppRuntime);
        return new GcpFunctionClient(
          resolved,
          () => runtime.app,
          idTokenSource(resolved.idToken, resolved.metadataHost),
        );
      });
    }),
    sink: cloudLoggingSink,
    info: resolved.region ? { region: resolved.region, details } : { details },
    defaultTimeoutMs: resolved.timeoutMs,
    abortMarginMs: ABORT_MARGIN_MS,
  };
}
