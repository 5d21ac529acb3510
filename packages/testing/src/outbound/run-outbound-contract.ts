import { afterAll, describe, it } from 'vitest';
import { MATRIX_DIR_ENV, MatrixRecorder } from '../matrix/results.ts';
import { newNonce, type OutboundScenario, outboundScenarios } from './outbound-scenarios.ts';
import type { OutboundTarget } from './outbound-target.ts';

export interface OutboundContractOptions {
  /** Per-scenario timeout in ms (default 120 000: the 100 MiB stream through a local server). */
  timeoutMs?: number;
  /** Closes the backend after the suite (stops the server by PID). */
  close?: () => Promise<void>;
}

/**
 * Registers the outbound scenarios (Storage round trips, send/publish read back) against one
 * target as a vitest suite. A scenario the target has no part for, or declares unsupported, is a
 * passing test titled `unsupported: <id> — <reason>` and a ➖ in the matrix, never a silent skip.
 * The target's backend and whether it is live or a protocol fake are written to the matrix.
 */
export function runOutboundContract(
  target: () => Promise<OutboundTarget> | OutboundTarget,
  name: string,
  options: OutboundContractOptions = {},
): void {
  const timeout = options.timeoutMs ?? 120_000;
  const dir = process.env[MATRIX_DIR_ENV];
  const matrix = dir ? new MatrixRecorder(dir, name) : undefined;
  let started: Promise<OutboundTarget> | undefined;
  const start = () => {
    started ??= Promise.resolve(target()).then((t) => {
      matrix?.describe(t.backend, t.mode);
      return t;
    });
    return started;
  };

  describe(`polycloud outbound contract: ${name}`, () => {
    afterAll(async () => {
      await options.close?.();
    });
    for (const scenario of outboundScenarios) {
      it(
        scenario.id,
        async () => {
          const t = await start();
          const reason = unsupportedReason(t, scenario);
          const base = { id: scenario.id, kind: scenario.kind, title: scenario.title } as const;
          if (reason !== undefined) {
            matrix?.record({ ...base, status: 'unsupported', reason });
            return;
          }
          try {
            await scenario.run(t, newNonce());
            matrix?.record({ ...base, status: 'pass' });
          } catch (error) {
            matrix?.record({ ...base, status: 'fail', error: error as Error });
            throw error;
          }
        },
        timeout,
      );
    }
  });
}

function unsupportedReason(target: OutboundTarget, scenario: OutboundScenario): string | undefined {
  const declared = target.unsupported?.[scenario.id];
  if (declared !== undefined) return declared;
  if (!target[scenario.needs]) return `${target.name} has no ${scenario.needs} client in this target`;
  return undefined;
}
