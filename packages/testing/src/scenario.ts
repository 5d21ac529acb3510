import type { DriverSession } from './driver.ts';
import type { ProbeRecorder } from './probe-app.ts';
import type { ScenarioKind } from './scenario-kind.ts';

/**
 * Matrix row groups: the six function kinds, the invocation context, malformed native input, and the
 * outbound clients (Storage, Queue, Topic against a backend).
 */
export { SCENARIO_KINDS, type ScenarioKind } from './scenario-kind.ts';

/** What a scenario works with: the driver's session over the probe app, and what the probe recorded. */
export interface ScenarioContext {
  readonly session: DriverSession;
  readonly recorder: ProbeRecorder;
  /** A fresh token per scenario run, for ids/keys that must not collide with earlier runs. */
  readonly nonce: string;
}

export interface ContractScenario {
  /** Stable id (`http.cookies.set-multiple`): matrix row, `driver.unsupported` key. */
  readonly id: string;
  readonly kind: ScenarioKind;
  /** One line saying what is checked. */
  readonly title: string;
  /** Throws a ContractFailure naming the scenario and the difference when the adapter misbehaves. */
  run(ctx: ScenarioContext): Promise<void>;
}
