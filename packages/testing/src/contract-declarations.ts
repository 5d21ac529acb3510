import type { AdapterDriver } from './driver.ts';
import type { ScenarioKind } from './scenario.ts';
import { contractScenarios } from './scenarios/index.ts';

/**
 * How many scenarios one driver may declare unsupported. A driver above it is rejected whatever its
 * reasons: the contract is what users rely on, and a driver that opts out of a large part of it
 * tests nothing. (The largest honest declaration today is the ALB front door without multi-value
 * mode: 7, limits and single-value headers that AWS documents.)
 */
export const UNSUPPORTED_BUDGET = 8;

/** A reason must cite where the provider documents the limit: a URL, or a repository doc (`*.md`). */
const CITATION = /https:\/\/\S+|\b[\w./-]+\.md\b/;

export interface DeclarationProblem {
  driver: string;
  scenario?: string;
  problem: string;
}

/** The provider a driver belongs to: `driver.provider`, else the part of its name before `:`. */
export function driverProvider(driver: AdapterDriver): string {
  return driver.provider ?? driver.name.split(':')[0]!;
}

/**
 * Checks the `unsupported` declarations of a provider's drivers before anything runs. A driver is
 * rejected when it
 * - names an unknown scenario, or gives no reason, or a reason that cites no documentation;
 * - declares more than `budget` scenarios unsupported;
 * - declares a scenario unsupported that another driver of the same provider, on the same native
 *   source for that kind (`driver.sources`), runs (and so must pass): the limit is then not the
 *   provider's, it is the driver's.
 *
 * @example
 * expect(checkUnsupportedDeclarations([lambdaDriver({ name: 'sqs' }), lambdaDriver({ name: 'sns', topic: 'sns' })])).toEqual([]);
 */
export function checkUnsupportedDeclarations(
  drivers: readonly AdapterDriver[],
  options: { budget?: number } = {},
): DeclarationProblem[] {
  const budget = options.budget ?? UNSUPPORTED_BUDGET;
  const kindOf = new Map<string, ScenarioKind>(contractScenarios.map((s) => [s.id, s.kind]));
  const problems: DeclarationProblem[] = [];
  for (const driver of drivers) {
    const declared = Object.entries(driver.unsupported ?? {});
    if (declared.length > budget) {
      problems.push({
        driver: driver.name,
        problem: `declares ${declared.length} of ${contractScenarios.length} scenarios unsupported; the budget is ${budget}`,
      });
    }
    for (const [id, reason] of declared) {
      const kind = kindOf.get(id);
      if (kind === undefined) {
        problems.push({ driver: driver.name, scenario: id, problem: 'names no contract scenario' });
        continue;
      }
      if (typeof reason !== 'string' || reason.trim() === '') {
        problems.push({ driver: driver.name, scenario: id, problem: 'gives no reason' });
        continue;
      }
      if (!CITATION.test(reason)) {
        problems.push({
          driver: driver.name,
          scenario: id,
          problem: "the reason cites no documentation (a https:// link to the provider's docs, or a *.md)",
        });
      }
      const source = driver.sources?.[kind];
      const runsIt = drivers.find(
        (other) =>
          other !== driver &&
          driverProvider(other) === driverProvider(driver) &&
          other.sources?.[kind] === source &&
          other.unsupported?.[id] === undefined,
      );
      if (runsIt) {
        problems.push({
          driver: driver.name,
          scenario: id,
          problem: `declared unsupported, but ${runsIt.name} (same provider, same ${kind} source ${source ?? '(default)'}) runs it`,
        });
      }
    }
  }
  return problems;
}
