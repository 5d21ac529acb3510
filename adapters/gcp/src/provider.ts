import { ConfigError, FunctionClient, Queue, Storage, Topic } from '@polycloud/core';
import {
  AppRuntime,
  lazyService,
  type ProviderBinding,
  provide,
  resolveConfig,
  STORAGE_METHODS,
} from '@polycloud/core/adapter';
import { MetadataAccessTokens } from './clients/access-token.ts';
import { GcpFunctionClient } from './clients/function-client.ts';
import { idTokenSource } from './clients/id-token.ts';
import { PubSubPublisher } from './clients/pubsub-publisher.ts';
import { cloudLoggingSink } from './cloud-logging.ts';
import { type GcpOptions, resolveGcpOptions } from './options.ts';

/** Half a second before the deadline: time to log and answer before Cloud Run cuts the request. */
const ABORT_MARGIN_MS = 500;

/** The gcp ProviderBinding: FunctionClient over HTTPS with ID tokens, Pub/Sub Queue/Topic, Cloud Storage, Cloud Logging structured JSON. */
export function gcpProvider(options: GcpOptions = {}): ProviderBinding {
  const resolved = resolveGcpOptions(options);
  const details: Record<string, string> = {};
  if (resolved.project) details.project = resolved.project;
  return {
    name: 'gcp',
    services: [
      provide(
        FunctionClient,
        (get) =>
          new GcpFunctionClient(
            resolved,
            () => get(AppRuntime).app,
            idTokenSource(resolved.idToken, resolved.metadataHost),
          ),
      ),
      provide(PubSubPublisher, () => {
        // Credentials only where a metadata server exists; the emulator takes none.
        const onGcp = Boolean(
          process.env.K_SERVICE || process.env.GCE_METADATA_HOST || resolved.idToken === 'metadata',
        );
        const tokens =
          !resolved.pubsubEmulator && onGcp ? new MetadataAccessTokens(resolved.metadataHost) : undefined;
        return new PubSubPublisher(
          resolved.pubsubEndpoint,
          () => {
            if (!resolved.project)
              throw new ConfigError(
                'Queue/Topic on gcp need a project: set providers.gcp.project or GOOGLE_CLOUD_PROJECT',
              );
            return resolved.project;
          },
          tokens,
        );
      }),
      // One publisher serves both: a queue on GCP is a Pub/Sub topic with its subscription.
      provide(Queue, (get) => get(PubSubPublisher)),
      provide(Topic, (get) => get(PubSubPublisher)),
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
