export {
  checkUnsupportedDeclarations,
  type DeclarationProblem,
  driverProvider,
  UNSUPPORTED_BUDGET,
} from './contract-declarations.ts';
export { ContractFailure, ScenarioAssert } from './contract-failure.ts';
export {
  ContractRunner,
  runContractScenarios,
  runScenario,
  type ScenarioResult,
  unknownUnsupportedIds,
} from './contract-runner.ts';
export type {
  AdapterDriver,
  BatchOutcome,
  DriverSession,
  NeutralHttpRequest,
  NeutralMessage,
  NeutralStorageChange,
  ObservedHttpResponse,
  Outcome,
} from './driver.ts';
export {
  type FuzzOptions,
  type FuzzReport,
  type FuzzResult,
  fuzzEntryPoint,
  MIN_ACCEPTED_SHARE,
} from './fuzz/fuzz-entry-point.ts';
export { type Mutation, mutatePayload } from './fuzz/mutations.ts';
export { goldenUpdateRequested } from './golden-update.ts';
export { MATRIX_DIR_ENV, type MatrixEntry, type MatrixFile, matrixFileName } from './matrix/results.ts';
export {
  AWKWARD_KEYS,
  newNonce,
  type OutboundScenario,
  outboundScenarios,
} from './outbound/outbound-scenarios.ts';
export type { OutboundTarget, ReadBackMessage } from './outbound/outbound-target.ts';
export { type OutboundContractOptions, runOutboundContract } from './outbound/run-outbound-contract.ts';
export {
  allByteValues,
  createProbeApp,
  FAIL_STORAGE_MARKER,
  PROBE_NAMES,
  PROBE_TRIGGERS,
  type ProbeApp,
  ProbeRecorder,
  ProbeService,
  patternBytes,
} from './probe-app.ts';
export { deliverPerKeyInOrder } from './provider-ordering.ts';
export { type ContractOptions, runAdapterContract } from './run-adapter-contract.ts';
export type { ContractScenario, ScenarioContext, ScenarioKind } from './scenario.ts';
export { SCENARIO_KINDS } from './scenario.ts';
export { contractScenarios } from './scenarios/index.ts';
export { findLeak } from './stack-leaks.ts';
export { type TestApp, type TestHttpInit, type TestHttpResponse, testApp } from './test-app.ts';
