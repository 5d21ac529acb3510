import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ContractFailure,
  contractScenarios,
  runContractScenarios,
  type ScenarioResult,
  unknownUnsupportedIds,
} from '../src/index.ts';
import { referenceDriver } from '../src/reference-driver.ts';
import {
  acknowledgesFailures,
  cannotStart,
  decodesKeysTwice,
  dropsSecondCookie,
  flattensQueryAndHeaders,
  leaksStackTraces,
  textBodies,
  throwsOnMalformed,
} from './broken-drivers.ts';

const failedIds = (results: ScenarioResult[]) => results.filter((r) => r.status === 'fail').map((r) => r.id);
const failure = (results: ScenarioResult[], id: string) => {
  const r = results.find((x) => x.id === id);
  expect(r?.status, `${id} should fail`).toBe('fail');
  expect(r!.error).toBeInstanceOf(ContractFailure);
  return r!.error!.message;
};

describe('the contract kit fails broken drivers, naming the scenario and the difference', () => {
  it('a driver that drops the second Set-Cookie fails exactly the cookie scenarios', async () => {
    const results = await runContractScenarios(dropsSecondCookie);
    expect(failedIds(results)).toEqual(['http.cookies.set-multiple', 'http.response-object']);
    const message = failure(results, 'http.cookies.set-multiple');
    expect(message).toContain('[http.cookies.set-multiple] Set-Cookie values');
    expect(message).toMatch(/expected: \[.*'theme=dark; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=\/'.*\]/);
    expect(message).toMatch(/actual: {3}\[ 'session=abc123; Path=\/; HttpOnly; Secure; SameSite=Lax' \]/);
  });

  it('a driver that acknowledges failed messages fails every failure and FIFO scenario', async () => {
    const results = await runContractScenarios(acknowledgesFailures);
    expect(failedIds(results)).toEqual([
      'queue.batch.partial-failure',
      'queue.fifo.group-failure',
      'queue.fifo.stop-at-first-failure',
      'topic.batch.partial-failure',
      'topic.fifo.group-failure',
      'topic.fifo.stop-at-first-failure',
      'malformed.queue',
      'malformed.topic',
    ]);
    const message = failure(results, 'queue.batch.partial-failure');
    expect(message).toMatch(/^\[queue\.batch\.partial-failure\] message queue-\w+-2 was acknowledged/);
    expect(message).toContain('expected: "ok"');
    expect(message).toContain('actual:   "threw"');
    expect(failure(results, 'malformed.queue')).toContain(
      '[malformed.queue] acknowledged\n  expected: false\n  actual:   true',
    );
  });

  it('a driver that decodes storage keys twice fails the `+` and `%` key scenarios', async () => {
    const results = await runContractScenarios(decodesKeysTwice);
    expect(failedIds(results)).toEqual(['storage.key.plus', 'storage.key.percent']);
    expect(failure(results, 'storage.key.plus')).toMatch(
      /^\[storage\.key\.plus\] the handler saw the object key exactly \(decoded once\)\n {2}expected: \{ type: 'created', key: 'contract-\w+\/a\+b\/c\+d e\.txt' \}\n {2}actual: {3}\[.*key: 'contract-\w+\/a b\/c d e\.txt'/,
    );
  });

  it('a driver that flattens repeated query keys and headers fails those scenarios', async () => {
    const results = await runContractScenarios(flattensQueryAndHeaders);
    expect(failedIds(results)).toEqual(['http.query.repeated', 'http.headers.repeated']);
    expect(failure(results, 'http.query.repeated')).toContain(
      "expected: { tag: [ 'b', 'a', 'c' ], x: [ '1' ] }\n  actual:   { tag: [ 'c' ], x: [ '1' ] }",
    );
  });

  it('a driver whose 500 carries a stack trace fails the thrown-error scenario', async () => {
    const results = await runContractScenarios(leaksStackTraces);
    expect(failedIds(results)).toEqual(['http.status.500', 'http.error.thrown']);
    expect(failure(results, 'http.error.thrown')).toContain(
      '[http.error.thrown] no stack trace in the answer to /probe/throw',
    );
  });

  it('a driver that mangles binary bodies as text fails the binary and large body scenarios', async () => {
    const results = await runContractScenarios(textBodies);
    expect(failedIds(results)).toEqual([
      'http.body.binary-in',
      'http.body.large-in',
      'http.body.binary-out',
      'http.body.large-out',
    ]);
    expect(failure(results, 'http.body.binary-out')).toMatch(
      /^\[http\.body\.binary-out\] body bytes \(lengths 256 vs \d+, first difference at byte 128\)/,
    );
  });

  it('a driver that throws instead of answering malformed input fails every malformed scenario', async () => {
    const results = await runContractScenarios(throwsOnMalformed);
    expect(failedIds(results)).toEqual(
      contractScenarios.filter((s) => s.kind === 'malformed').map((s) => s.id),
    );
    expect(failure(results, 'malformed.http')).toContain(
      '[malformed.http] driver.malformed(http) threw instead of answering\n  expected: "an answer"\n  actual:   "TypeError: Cannot read properties of undefined (reading \'body\')"',
    );
  });

  it('an unhandled rejection during a scenario fails it (checked in a separate process)', () => {
    const script = fileURLToPath(new URL('./fixtures/stray-scenario.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stdout.trim().split('\n')).toEqual([
      'http.method.get: fail [http.method.get] an unhandled rejection or uncaught exception escaped during the scenario',
      'queue.deliver: pass',
    ]);
  });

  it('a driver that cannot start fails every scenario with the start error', async () => {
    const results = await runContractScenarios(cannotStart);
    expect(results.every((r) => r.status === 'fail')).toBe(true);
    expect(results.map((r) => r.id)).toEqual(contractScenarios.map((s) => s.id));
    expect(failure(results, 'schedule.time')).toContain('[schedule.time] driver.start (cannot-start) threw');
    expect(failure(results, 'schedule.time')).toContain('port 3000 already in use');
  });
});

describe('unsupported scenarios are reported, never skipped', () => {
  it('reports each declared scenario as unsupported with its reason and runs the rest', async () => {
    const driver = {
      ...referenceDriver,
      name: 'with-gaps',
      unsupported: { 'topic.delivery-count': 'SNS has no delivery count' },
    };
    const results = await runContractScenarios(driver);
    expect(results.filter((r) => r.status !== 'pass')).toEqual([
      {
        id: 'topic.delivery-count',
        kind: 'topic',
        title: 'the delivery count arrives',
        status: 'unsupported',
        reason: 'SNS has no delivery count',
      },
    ]);
    expect(results).toHaveLength(contractScenarios.length);
  });

  it('flags unsupported ids that name no scenario', () => {
    expect(
      unknownUnsupportedIds({ ...referenceDriver, unsupported: { 'http.cookie.set-multiple': 'typo' } }),
    ).toEqual(['http.cookie.set-multiple']);
  });
});
