export { describeFunctions } from './describe-functions.ts';
export { type BrokerOptions, type DeadLetter, MemoryBroker } from './events/broker.ts';
export { neutralFromCloudEvent } from './events/cloud-event-input.ts';
export { Scheduler } from './events/scheduler.ts';
export {
  brokerFor,
  createNodeRuntime,
  type NodeRuntimeOptions,
  nodeModule,
  nodeProvider,
} from './provider.ts';
export { type NodeServer, type ServeOptions, serve } from './server.ts';
