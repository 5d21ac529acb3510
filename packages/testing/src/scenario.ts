import type { FunctionKind } from '@polycloud/core/adapter';
import type { DriverSession } from './driver.ts';
import type { ProbeRecorder } from './probe-app.ts';

/**
 * Matrix row groups: the six function kinds, the invocation context, malformed native input, and the
 * outbound clients (Storage, Queue, Topic against a backend).
 */
export type ScenarioKind = FunctionKind | 'context' | 'malformed' | 'outbound';
export const SCENARIO_KINDS: readonly ScenarioKind[] = [
  'http',
  'queue',
  'topic',
  'storage',
  'schedule',
  'event',
  'context',
  'malformed',
  'outbound',
];

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
