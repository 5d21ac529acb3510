import type { ServerTimeouts } from './http/server-timeouts.ts';
import type { NodeRuntimeOptions } from './provider.ts';

/**
 * The node adapter's one options type: what `handle(app, options)` takes to serve an app.
 *
 * @example
 * const server = await handle(app, { port: 8080, host: '0.0.0.0' });
 */
export interface NodeOptions extends NodeRuntimeOptions {
  /** Default: providers.node.port from config, else 3000. 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1; use 0.0.0.0 in a container. */
  host?: string;
  /** Largest accepted request body; larger answers 413. Default 6 MB (Lambda's limit). */
  bodyLimitBytes?: number;
  /** Run schedule functions on their cron (default true). */
  schedules?: boolean;
  /** Drain and exit on SIGTERM/SIGINT (default true). */
  handleSignals?: boolean;
  /**
   * Longest a shutdown waits for in-flight requests and messages (default 25 s, inside
   * Kubernetes' 30 s grace period). Past it, connections are cut, abandoned message ids logged,
   * and a signal-driven exit uses code 1.
   */
  drainTimeoutMs?: number;
  /** Socket timeouts (keep-alive 65 s, headers 15 s, whole request 60 s): see http/server-timeouts.ts. */
  timeouts?: ServerTimeouts;
  /**
   * Bearer token for `/_polycloud/*` (default `POLYCLOUD_INTERNAL_TOKEN`). Without one those
   * endpoints are open on a loopback host and closed (404) on any other: see http/internal-access.ts.
   */
  internalToken?: string;
}
