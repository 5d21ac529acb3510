export { MetadataAccessTokens } from './access-token.ts';
export { cloudLoggingSink } from './cloud-logging.ts';
export { GcpFunctionClient } from './function-client.ts';
export {
  IAP_HEADER,
  IAP_ISSUER,
  IAP_JWKS_URL,
  type IapOptions,
  IapVerificationError,
  IapVerifier,
} from './iap.ts';
export { type IdTokenSource, idTokenSource, MetadataIdTokens } from './id-token.ts';
export { fromLegacyEvent, isLegacyEvent } from './legacy-event.ts';
export { INVOKE_HEADER, type NativeInput, type PushBody, readNativeInput } from './native-input.ts';
export {
  DEFAULT_TIMEOUT_MS,
  type GcpOptions,
  type IdTokenMode,
  type ResolvedGcpOptions,
  resolveGcpOptions,
} from './options.ts';
export { gcpProvider } from './provider.ts';
export { messageFromCloudEvent, messageFromPush, PUBSUB_PUBLISHED, topicOf } from './pubsub.ts';
export { PubSubPublisher } from './pubsub-publisher.ts';
export type { GcpEventRaw, GcpHttpRaw, GcpRaw } from './raw.ts';
export { type Registration, register } from './register.ts';
export { SCHEDULER_EXECUTED, scheduleEventFrom } from './schedule.ts';
export { storageEventFromCloudEvent } from './storage.ts';
export { fromStructuredObject } from './structured-cloud-event.ts';
export { messageFromTask } from './tasks.ts';
export { type TraceFields, traceFields } from './trace.ts';
