import { afterAll, describe, expect, it } from 'vitest';
import { checkUnsupportedDeclarations } from './contract-declarations.ts';
import { ContractRunner, unknownUnsupportedIds } from './contract-runner.ts';
import type { AdapterDriver } from './driver.ts';
import { MATRIX_DIR_ENV, MatrixRecorder } from './matrix/results.ts';
import { SCENARIO_KINDS } from './scenario.ts';
import { contractScenarios } from './scenarios/index.ts';

export interface ContractOptions {
  /** Per-scenario timeout in ms (default 30 000; the 4 MB scenarios through a real server need a few seconds). */
  timeoutMs?: number;
  /**
   * Whether to write results for the capability matrix when `POLYCLOUD_MATRIX_DIR` is set
   * (default true). The kit's own test doubles pass false: they are not adapters.
   */
  matrix?: boolean;
}

/**
 * Registers the polycloud adapter contract as a vitest suite: one test per scenario, grouped by
 * kind. A scenario the driver declares unsupported is a passing test titled
 * `unsupported: <id> — <reason>` and an ➖ in the matrix, never a silent skip.
 */
export function runAdapterContract(driver: AdapterDriver, options: ContractOptions = {}): void {
  const timeout = options.timeoutMs ?? 30_000;
  const dir = process.env[MATRIX_DIR_ENV];
  const matrix = dir && options.matrix !== false ? new MatrixRecorder(dir, driver.name) : undefined;
  const runner = new ContractRunner(driver);

  describe(`polycloud adapter contract: ${driver.name}`, () => {
    afterAll(() => runner.close());

    it('driver.unsupported names only known scenarios, each with a cited reason, within the budget', () => {
      expect(unknownUnsupportedIds(driver), 'unknown scenario ids in driver.unsupported').toEqual([]);
      expect(checkUnsupportedDeclarations([driver]), 'rejected unsupported declarations').toEqual([]);
    });

    for (const kind of SCENARIO_KINDS) {
      const scenarios = contractScenarios.filter((s) => s.kind === kind);
      if (scenarios.length === 0) continue; // outbound scenarios run through runOutboundContract
      describe(kind, () => {
        for (const scenario of scenarios) {
          const reason = driver.unsupported?.[scenario.id];
          const title =
            reason === undefined
              ? `${scenario.id}: ${scenario.title}`
              : `unsupported: ${scenario.id} — ${reason}`;
          it(
            title,
            async () => {
              const result = await runner.run(scenario);
              matrix?.record(result);
              if (result.error) throw result.error;
            },
            timeout,
          );
        }
      });
    }
  });
}
