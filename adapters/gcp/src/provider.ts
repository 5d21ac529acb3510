import { FunctionClient, Queue, Storage, Topic } from '@polycloud/core';
import {
  AppRuntime,
  lazyLoad,
  lazyService,
  type ProviderBinding,
  provide,
  resolveConfig,
  STORAGE_METHODS,
} from '@polycloud/core/adapter';
import { cloudLoggingSink } from './cloud-logging.ts';
import { type GcpOptions, type ResolvedGcpOptions, resolveGcpOptions } from './options.ts';

/** Half a second before the deadline: time to log and answer before Cloud Run cuts the request. */
const ABORT_MARGIN_MS = 500;

/**
 * The gcp ProviderBinding: FunctionClient over HTTPS with ID tokens, Pub/Sub Queue/Topic, Cloud Storage, Cloud Logging structured JSON.
 * @coldStart
 */
export function gcpProvider(
  options: GcpOptions = {},
  /** Already resolved (handleWith passes its own): resolved once per cold start. */
  resolved: ResolvedGcpOptions = resolveGcpOptions(options),
): ProviderBinding {
  const details: Record<string, string> = {};
  if (resolved.project) details.project = resolved.project;
  // A failed import is retried on the next send, as lazyService does.
  const publisher = lazyLoad(() =>
    import('./clients/pubsub-publisher.ts').then((m) => m.createPubSubPublisher(resolved)),
  );
  return {
    name: 'gcp',
    // Each client is core's lazyService, as on AWS: its module (a chunk of the split bundle, with its
    // token sources) is imported on the first call, so an http function's cold start neither parses
    // nor runs client code it never calls (issue 12: ~6 KB of minified code at every cold start).
    services: [
      provide(FunctionClient, (get) =>
        lazyService<FunctionClient>(['invoke'], () =>
          import('./clients/function-client.ts').then((m) =>
            m.createGcpFunctionClient(resolved, () => get(AppRuntime).app),
          ),
        ),
      ),
      // One publisher serves both: a queue on GCP is a Pub/Sub topic with its subscription.
      provide(Queue, () => lazyService<Queue>(['send'], publisher)),
      provide(Topic, () => lazyService<Topic>(['publish'], publisher)),
      // @google-cloud/storage and the client module are imported on the first Storage call.
      provide(Storage, () =>
        lazyService<Storage>(STORAGE_METHODS, () =>
          import('./clients/gcs-storage.ts').then((m) =>
            m.createGcsStorage({
              config: options.config ?? resolveConfig({ provider: 'gcp' }, {}),
              ...(resolved.project ? { projectId: resolved.project } : {}),
            }),
          ),
        ),
      ),
    ],
    sink: cloudLoggingSink,
    info: resolved.region ? { region: resolved.region, details } : { details },
    defaultTimeoutMs: resolved.timeoutMs,
    abortMarginMs: ABORT_MARGIN_MS,
  };
}
