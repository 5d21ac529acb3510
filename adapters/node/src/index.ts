export { type BrokerOptions, type DeadLetter, MemoryBroker } from './broker.ts';
export { messageFromCloudEvent, neutralFromCloudEvent, storageFromCloudEvent } from './cloud-event-input.ts';
export {
  brokerFor,
  createNodeRuntime,
  type NodeRuntimeOptions,
  nodeModule,
  nodeProvider,
} from './provider.ts';
export { describeFunctions } from './routes.ts';
export { Scheduler } from './scheduler.ts';
export { type NodeServer, type ServeOptions, serve } from './server.ts';
