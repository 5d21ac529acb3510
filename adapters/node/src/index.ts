export { describeFunctions } from './describe-functions.ts';
export { type BrokerOptions, type DeadLetter, MemoryBroker } from './events/broker.ts';
export { neutralFromCloudEvent } from './events/cloud-event-input.ts';
export { Scheduler } from './events/scheduler.ts';
export { handle, type NodeServer } from './handle.ts';
export type { NodeOptions } from './options.ts';
export {
  brokerFor,
  createNodeRuntime,
  type NodeRuntimeOptions,
  nodeModule,
  nodeProvider,
} from './provider.ts';
export type { NodeRaw } from './raw.ts';
