/**
 * The kit cannot be hollowed out: a driver may not opt out of the contract wholesale, nor declare a
 * limit without citing where the provider documents it, nor declare unsupported what a sibling driver
 * of the same provider (same native source) runs.
 */
import { describe, expect, it } from 'vitest';
import {
  type AdapterDriver,
  checkUnsupportedDeclarations,
  contractScenarios,
  runContractScenarios,
  UNSUPPORTED_BUDGET,
} from '../src/index.ts';
import { referenceDriver } from '../src/reference-driver.ts';

const CITED = 'the provider does not offer it (https://example.com/provider/docs#limits)';

describe('unsupported declarations are checked before anything runs', () => {
  it('rejects a driver that declares every scenario unsupported (the hollow driver that used to go green)', async () => {
    const hollow: AdapterDriver = {
      ...referenceDriver,
      name: 'hollow',
      unsupported: Object.fromEntries(contractScenarios.map((s) => [s.id, CITED])),
    };
    // What it used to get away with: every scenario "passes" as unsupported.
    const results = await runContractScenarios(hollow);
    expect(results.every((r) => r.status === 'unsupported')).toBe(true);
    // What the kit now says, alone and next to a sibling driver of the same provider.
    const alone = checkUnsupportedDeclarations([hollow]);
    expect(alone).toEqual([
      {
        driver: 'hollow',
        problem: `declares ${contractScenarios.length} of ${contractScenarios.length} scenarios unsupported; the budget is ${UNSUPPORTED_BUDGET}`,
      },
    ]);
    const sibling: AdapterDriver = { ...referenceDriver, name: 'hollow:sibling', provider: 'hollow' };
    const withSibling = checkUnsupportedDeclarations([hollow, sibling]);
    expect(withSibling.filter((p) => p.problem.includes('hollow:sibling (same provider'))).toHaveLength(
      contractScenarios.length,
    );
  });

  it('the contract suite itself fails such a driver (its first test runs the same check)', () => {
    // runAdapterContract's first test is `expect(checkUnsupportedDeclarations([driver])).toEqual([])`.
    const overBudget: AdapterDriver = {
      ...referenceDriver,
      name: 'over-budget',
      unsupported: Object.fromEntries(
        contractScenarios.slice(0, UNSUPPORTED_BUDGET + 1).map((s) => [s.id, CITED]),
      ),
    };
    expect(checkUnsupportedDeclarations([overBudget])).toHaveLength(1);
    const atBudget: AdapterDriver = {
      ...overBudget,
      unsupported: Object.fromEntries(
        contractScenarios.slice(0, UNSUPPORTED_BUDGET).map((s) => [s.id, CITED]),
      ),
    };
    expect(checkUnsupportedDeclarations([atBudget])).toEqual([]);
  });

  it('rejects a reason that cites no documentation', () => {
    const uncited: AdapterDriver = {
      ...referenceDriver,
      name: 'uncited',
      unsupported: { 'topic.delivery-count': 'we did not get to it' },
    };
    expect(checkUnsupportedDeclarations([uncited])).toEqual([
      {
        driver: 'uncited',
        scenario: 'topic.delivery-count',
        problem: "the reason cites no documentation (a https:// link to the provider's docs, or a *.md)",
      },
    ]);
  });

  it('rejects a declaration that a sibling on the same source runs; a different source may differ', () => {
    const a: AdapterDriver = {
      ...referenceDriver,
      name: 'cloud:a',
      sources: { http: 'lb' },
      unsupported: { 'http.headers.repeated': `the lb keeps one value (${'https://example.com/lb'})` },
    };
    const sameSource: AdapterDriver = { ...referenceDriver, name: 'cloud:b', sources: { http: 'lb' } };
    const otherSource: AdapterDriver = { ...referenceDriver, name: 'cloud:c', sources: { http: 'gateway' } };
    const otherProvider: AdapterDriver = { ...referenceDriver, name: 'elsewhere:d', sources: { http: 'lb' } };
    expect(checkUnsupportedDeclarations([a, otherSource, otherProvider])).toEqual([]);
    expect(checkUnsupportedDeclarations([a, sameSource])).toEqual([
      {
        driver: 'cloud:a',
        scenario: 'http.headers.repeated',
        problem: 'declared unsupported, but cloud:b (same provider, same http source lb) runs it',
      },
    ]);
  });

  it('rejects unknown ids and blank reasons', () => {
    const bad: AdapterDriver = {
      ...referenceDriver,
      name: 'bad',
      unsupported: { 'http.cookie.set-multiple': CITED, 'topic.delivery-count': ' ' },
    };
    expect(checkUnsupportedDeclarations([bad]).map((p) => [p.scenario, p.problem])).toEqual([
      ['http.cookie.set-multiple', 'names no contract scenario'],
      ['topic.delivery-count', 'gives no reason'],
    ]);
  });
});
