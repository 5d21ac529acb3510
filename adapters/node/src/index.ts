export { createBrokerQueue } from './clients/queue-client.ts';
export { createBrokerTopic } from './clients/topic-client.ts';
export { describeFunctions } from './describe-functions.ts';
export { type BrokerOptions, type DeadLetter, MemoryBroker } from './events/broker.ts';
export type { BrokerChoice } from './events/broker-choice.ts';
export { neutralFromCloudEvent } from './events/cloud-event-input.ts';
export type { NatsBrokerOptions, SettleEvent } from './events/jetstream-options.ts';
export {
  type AbandonReport,
  BrokerFullError,
  type DeadLetterView,
  type MessageBroker,
  type PublishOptions,
  type SendOptions,
} from './events/message-broker.ts';
export { Scheduler } from './events/scheduler.ts';
export { type DrainReport, handle, type NodeServer } from './handle.ts';
export type { ServerTimeouts } from './http/server-timeouts.ts';
export type { NodeOptions } from './options.ts';
export {
  brokerFor,
  createNodeRuntime,
  type NodeRuntimeOptions,
  nodeProvider,
  nodeServices,
} from './provider.ts';
export type { NodeRaw } from './raw.ts';
