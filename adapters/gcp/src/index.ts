export { MetadataAccessTokens } from './clients/access-token.ts';
export { GcpFunctionClient } from './clients/function-client.ts';
export { type IdTokenSource, idTokenSource, MetadataIdTokens } from './clients/id-token.ts';
export { PubSubPublisher } from './clients/pubsub-publisher.ts';
export { cloudLoggingSink } from './cloud-logging.ts';
export { fromLegacyEvent, isLegacyEvent } from './events/legacy-event.ts';
export { INVOKE_HEADER, type NativeInput, type PushBody, readNativeInput } from './events/native-input.ts';
export { messageFromCloudEvent, messageFromPush, PUBSUB_PUBLISHED, topicOf } from './events/pubsub.ts';
export { SCHEDULER_EXECUTED, scheduleEventFrom } from './events/schedule.ts';
export { storageEventFromCloudEvent } from './events/storage.ts';
export { fromStructuredObject } from './events/structured-cloud-event.ts';
export { messageFromTask } from './events/tasks.ts';
export { handle, type Registration } from './handle.ts';
export {
  IAP_HEADER,
  IAP_ISSUER,
  IAP_JWKS_URL,
  type IapOptions,
  IapVerificationError,
  IapVerifier,
} from './http/iap.ts';
export {
  DEFAULT_TIMEOUT_MS,
  type GcpOptions,
  type IdTokenMode,
  type ResolvedGcpOptions,
  resolveGcpOptions,
} from './options.ts';
export { gcpProvider } from './provider.ts';
export type { GcpEventRaw, GcpHttpRaw, GcpRaw } from './raw.ts';
export { type TraceFields, traceFields } from './trace.ts';
