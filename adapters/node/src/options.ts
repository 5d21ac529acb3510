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
  /** Longest a shutdown waits for in-flight requests and queued messages (default 25 s). */
  drainTimeoutMs?: number;
}
