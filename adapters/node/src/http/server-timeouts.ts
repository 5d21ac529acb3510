import type { Server } from 'node:http';

/**
 * Socket timeouts for a server behind a load balancer (and for one facing clients directly).
 *
 * | setting | default here | Node's default | why |
 * |---|---|---|---|
 * | `keepAliveTimeoutMs` | 65 s | 5 s | longer than the balancer's idle timeout (ALB 60 s, GCP LB 600 s needs more, nginx 60 s) so the balancer, not the server, closes an idle connection and never sends a request on a socket being closed (the cause of sporadic 502s); Fastify uses 72 s for the same reason |
 * | `headersTimeoutMs` | 15 s | 60 s | a client dripping its headers is dropped after 15 s (Slowloris); must exceed the keep-alive timeout's role, so Node counts it per request |
 * | `requestTimeoutMs` | 60 s | 300 s | the whole request, body included, must arrive within 60 s: 6 MB at 100 KB/s; API Gateway caps a whole request at 29–30 s, Fastify leaves it to the operator |
 * | connection check | every 1 s | 30 s | Node enforces the two above only when it checks: at 30 s a slow client is held up to 30 s longer than configured |
 *
 * A handler's own time limit is separate (the function's `timeoutMs`, answered with 504).
 */
export interface ServerTimeouts {
  keepAliveTimeoutMs?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export const DEFAULT_TIMEOUTS = {
  keepAliveTimeoutMs: 65_000,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 60_000,
} as const;

/**
 * Options for `createServer` (the check interval can only be set there).
 * @coldStart
 */
export function serverTimeoutOptions(t: ServerTimeouts = {}): {
  keepAliveTimeout: number;
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
} {
  const requestTimeout = t.requestTimeoutMs ?? DEFAULT_TIMEOUTS.requestTimeoutMs;
  return {
    keepAliveTimeout: t.keepAliveTimeoutMs ?? DEFAULT_TIMEOUTS.keepAliveTimeoutMs,
    // Node requires headersTimeout <= requestTimeout.
    headersTimeout: Math.min(t.headersTimeoutMs ?? DEFAULT_TIMEOUTS.headersTimeoutMs, requestTimeout),
    requestTimeout,
    connectionsCheckingInterval: 1000,
  };
}

/**
 * Re-applies keep-alive after listen (some Node versions read it from the server object only).
 * @coldStart
 */
export function applyKeepAlive(server: Server, t: ServerTimeouts = {}): void {
  server.keepAliveTimeout = t.keepAliveTimeoutMs ?? DEFAULT_TIMEOUTS.keepAliveTimeoutMs;
}
