import { randomUUID } from 'node:crypto';
import { ContractFailure, driverThrew } from './contract-failure.ts';
import type { AdapterDriver, DriverSession } from './driver.ts';
import { createProbeApp, type ProbeRecorder } from './probe-app.ts';
import type { ContractScenario, ScenarioContext, ScenarioKind } from './scenario.ts';
import { contractScenarios } from './scenarios/index.ts';

interface Started {
  session: DriverSession;
  recorder: ProbeRecorder;
}

export interface ScenarioResult {
  id: string;
  kind: ScenarioKind;
  title: string;
  status: 'pass' | 'fail' | 'unsupported';
  /** Why the driver declared it unsupported. */
  reason?: string;
  /** The failure (a ContractFailure naming the scenario) when status is `fail`. */
  error?: Error;
}

/** Ids in `driver.unsupported` that name no scenario (a typo would otherwise hide nothing and test nothing). */
export function unknownUnsupportedIds(driver: AdapterDriver): string[] {
  const known = new Set(contractScenarios.map((s) => s.id));
  return Object.keys(driver.unsupported ?? {}).filter((id) => !known.has(id));
}

/**
 * One driver session over a fresh probe app, started on first use (so a driver whose `start`
 * fails makes every scenario fail visibly, each with that error), and scenarios run one at a time.
 */
export class ContractRunner {
  readonly driver: AdapterDriver;
  #started?: Promise<Started>;

  constructor(driver: AdapterDriver) {
    this.driver = driver;
  }

  #start(): Promise<Started> {
    this.#started ??= (async () => {
      const probe = createProbeApp();
      const session = await this.driver.start(probe.app);
      return { session, recorder: probe.recorder };
    })();
    return this.#started;
  }

  /** Runs one scenario; never throws: the failure is in `result.error`. */
  async run(scenario: ContractScenario): Promise<ScenarioResult> {
    const base = { id: scenario.id, kind: scenario.kind, title: scenario.title };
    const reason = this.driver.unsupported?.[scenario.id];
    if (reason !== undefined) return { ...base, status: 'unsupported', reason };
    let started: Started;
    try {
      started = await this.#start();
    } catch (error) {
      return {
        ...base,
        status: 'fail',
        error: driverThrew(scenario.id, `driver.start (${this.driver.name})`, error),
      };
    }
    const ctx: ScenarioContext = { ...started, nonce: randomUUID().slice(0, 8) };
    const error = await runScenario(scenario, ctx);
    return error ? { ...base, status: 'fail', error } : { ...base, status: 'pass' };
  }

  async close(): Promise<void> {
    if (!this.#started) return;
    const started = this.#started;
    this.#started = undefined;
    try {
      await (await started).session.close();
    } catch {
      // start failed: nothing to close (each scenario already reported the start failure)
    }
  }
}

/**
 * Runs one scenario against a context and returns its failure, if any. Anything that is not a
 * ContractFailure (the driver or adapter threw) is wrapped so the message names the scenario; an
 * unhandled rejection or uncaught exception during the scenario is a failure too.
 */
export async function runScenario(
  scenario: ContractScenario,
  ctx: ScenarioContext,
): Promise<Error | undefined> {
  const stray: unknown[] = [];
  const onStray = (error: unknown) => stray.push(error);
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
  let failure: Error | undefined;
  try {
    await scenario.run(ctx);
  } catch (error) {
    failure = error instanceof ContractFailure ? error : driverThrew(scenario.id, 'the scenario', error);
  } finally {
    // Rejections surface after the microtask queue drains: give them two turns of the loop.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
  }
  if (!failure && stray.length > 0) {
    const first = stray[0];
    const text = first instanceof Error ? `${first.name}: ${first.message}` : String(first);
    failure = new ContractFailure(
      scenario.id,
      'an unhandled rejection or uncaught exception escaped during the scenario',
      'none',
      text,
    );
    failure.cause = first;
  }
  return failure;
}

/** Runs every scenario (or those in `ids`) against `driver` without vitest and returns the results. */
export async function runContractScenarios(
  driver: AdapterDriver,
  options: { ids?: readonly string[] } = {},
): Promise<ScenarioResult[]> {
  const runner = new ContractRunner(driver);
  const selected = options.ids
    ? contractScenarios.filter((s) => options.ids!.includes(s.id))
    : contractScenarios;
  const missing = (options.ids ?? []).filter((id) => !contractScenarios.some((s) => s.id === id));
  if (missing.length > 0) throw new TypeError(`unknown contract scenario id(s): ${missing.join(', ')}`);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of selected) results.push(await runner.run(scenario));
  } finally {
    await runner.close();
  }
  return results;
}
