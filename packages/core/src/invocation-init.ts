import type { Logger } from './logger.ts';

/** What an adapter knows about one invocation before it runs: the provider's facts, all optional. */
export interface InvocationInit {
  requestId?: string;
  /** Epoch ms; defaults to now + the function's timeout. */
  deadline?: number;
  /**
   * Instead of `deadline`: the provider's remaining time, asked only if a handler reads the deadline
   * (Lambda's `getRemainingTimeInMillis()` is work most invocations never need). Called as a method.
   */
  remainingMs?(): number | undefined;
  raw?: unknown;
  /** A per-invocation logger in the provider's native format (Azure's InvocationContext). */
  log?: Logger;
  signal?: AbortSignal;
}
