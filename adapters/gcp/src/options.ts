import { ConfigError, type PolycloudConfig } from '@polycloud/core';
import type { IapOptions } from './http/iap.ts';

/** How the FunctionClient obtains an ID token for the target function. */
export type IdTokenMode = 'auto' | 'metadata' | 'none' | { static: string };

/**
 * Settings of the gcp adapter. Each key may come from `providers.gcp` in polycloud.config.* or be
 * passed to `register()` / `gcpProvider()` directly (direct options win).
 */
export interface GcpOptions {
  /** The whole polycloud config; `providers.gcp` is read from it. */
  config?: PolycloudConfig;
  /** Project id for `logging.googleapis.com/trace`; default GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT / GCP_PROJECT. */
  project?: string;
  /** Region for deploy commands and the default function URL. */
  region?: string;
  /** Default invocation timeout when a function sets none: CLOUD_RUN_TIMEOUT_SECONDS, else 60 s (gen2 default). */
  timeoutMs?: number;
  /** Verify IAP's signed header and expose its identity; without it no identity is ever set. */
  iap?: IapOptions;
  /** How many X-Forwarded-For entries, from the right, were written by trusted proxies (default 1: Google's front end). */
  forwardedHops?: number;
  /** FunctionClient targets: function name → base URL. */
  functionUrls?: Record<string, string>;
  /** FunctionClient target for names not in functionUrls: `{name}`, `{project}`, `{region}` are replaced. */
  functionUrlTemplate?: string;
  /** ID tokens for FunctionClient calls (default `auto`: metadata server on Cloud Run, none elsewhere). */
  idToken?: IdTokenMode;
  /** Metadata server host[:port]; default GCE_METADATA_HOST or metadata.google.internal. */
  metadataHost?: string;
  /** Pub/Sub REST endpoint for Queue/Topic; default `http://$PUBSUB_EMULATOR_HOST` or https://pubsub.googleapis.com. */
  pubsubEndpoint?: string;
}

export interface ResolvedGcpOptions {
  project: string | undefined;
  region: string | undefined;
  timeoutMs: number;
  iap: IapOptions | undefined;
  forwardedHops: number;
  functionUrls: Readonly<Record<string, string>>;
  functionUrlTemplate: string | undefined;
  idToken: IdTokenMode;
  metadataHost: string;
  pubsubEndpoint: string;
  /** True when talking to the emulator (no credentials). */
  pubsubEmulator: boolean;
}

/** Gen2 functions default to a 60 s request timeout. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** @coldStart */
export function resolveGcpOptions(
  options: GcpOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedGcpOptions {
  const section = (options.config?.providers.gcp ?? {}) as Partial<GcpOptions>;
  // The framework reads the service's request timeout from CLOUD_RUN_TIMEOUT_SECONDS too.
  const platformTimeout = Number(env.CLOUD_RUN_TIMEOUT_SECONDS);
  const timeoutMs =
    optionOrConfig(options, section, 'timeoutMs') ??
    (Number.isFinite(platformTimeout) && platformTimeout > 0 ? platformTimeout * 1000 : DEFAULT_TIMEOUT_MS);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new ConfigError(`providers.gcp.timeoutMs must be a positive number, got ${String(timeoutMs)}`);
  const forwardedHops = optionOrConfig(options, section, 'forwardedHops') ?? 1;
  if (!Number.isInteger(forwardedHops) || forwardedHops < 0)
    throw new ConfigError(`providers.gcp.forwardedHops must be an integer ≥ 0, got ${String(forwardedHops)}`);
  const idToken = optionOrConfig(options, section, 'idToken') ?? 'auto';
  if (
    !(idToken === 'auto' || idToken === 'metadata' || idToken === 'none') &&
    !(typeof idToken === 'object' && typeof idToken.static === 'string')
  )
    throw new ConfigError(
      'providers.gcp.idToken must be "auto", "metadata", "none" or { "static": "<token>" }',
    );
  const iap = optionOrConfig(options, section, 'iap');
  if (iap !== undefined && (typeof iap.audience !== 'string' || iap.audience === ''))
    throw new ConfigError('providers.gcp.iap.audience is required (the signed header audience)');
  return {
    project:
      optionOrConfig(options, section, 'project') ??
      env.GOOGLE_CLOUD_PROJECT ??
      env.GCLOUD_PROJECT ??
      env.GCP_PROJECT,
    region: optionOrConfig(options, section, 'region') ?? env.FUNCTION_REGION,
    timeoutMs,
    iap,
    forwardedHops,
    functionUrls: optionOrConfig(options, section, 'functionUrls') ?? {},
    functionUrlTemplate: optionOrConfig(options, section, 'functionUrlTemplate'),
    idToken,
    metadataHost:
      optionOrConfig(options, section, 'metadataHost') ?? env.GCE_METADATA_HOST ?? 'metadata.google.internal',
    pubsubEndpoint:
      optionOrConfig(options, section, 'pubsubEndpoint') ??
      (env.PUBSUB_EMULATOR_HOST ? `http://${env.PUBSUB_EMULATOR_HOST}` : 'https://pubsub.googleapis.com'),
    pubsubEmulator:
      optionOrConfig(options, section, 'pubsubEndpoint') === undefined && Boolean(env.PUBSUB_EMULATOR_HOST),
  };
}

/**
 * A direct option, else the config's `providers.gcp` value. Top-level and marked rather than the
 * closure in `resolveGcpOptions` it was: compiled with the file instead of on its first call (one
 * lazy compile less per cold start, see eager-compile.ts).
 * @coldStart
 */
function optionOrConfig<K extends keyof GcpOptions>(
  options: GcpOptions,
  section: Partial<GcpOptions>,
  key: K,
): GcpOptions[K] {
  return options[key] ?? section[key];
}
