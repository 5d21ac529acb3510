export { type App, type AppDefinition, defineApp, mergeApps } from './app.ts';
export { type BatchOrder, type BatchResult, processBatch } from './batch.ts';
export type { BuildFn, BuildOptions, BuildReport } from './build-contract.ts';
export { asBytes, EMPTY_BYTES, fromBase64, fromUtf8, toBase64, utf8 } from './bytes.ts';
export {
  CLOUD_EVENT_ATTRIBUTES,
  CLOUD_EVENT_REQUIRED,
  type CloudEvent,
  cloudEventExtensions,
  EXTENSION_NAME,
  validateCloudEvent,
} from './cloud-event.ts';
export {
  cloudEventFromHttp,
  cloudEventFromJson,
  cloudEventToBinary,
  cloudEventToStructured,
  decodeData as decodeCloudEventData,
} from './cloud-event-http.ts';
export { CONFIG_FILES, Config, loadConfig, type PolycloudConfig, resolveConfig } from './config.ts';
export type { Context } from './context.ts';
export { parseCookies } from './cookies.ts';
export { DEPLOY_NODE_MAJOR } from './deploy-runtime.ts';
export { ConfigError, defaultReason, FunctionInvokeError, HttpError, InvalidEventError } from './errors.ts';
export { type HeaderSource, type HeadersInit, HttpHeaders } from './http-headers.ts';
export { decodePath, HttpRequest, type HttpRequestInit, type Identity } from './http-request.ts';
export {
  errorResponse,
  type HttpHandlerResult,
  type HttpResponse,
  type HttpResult,
  isBinaryBody,
  isHttpResult,
  responseByteLength,
  responseBytes,
  responseText,
  toHttpResponse,
} from './http-response.ts';
export { eventForInvoke, resultFromHttpResponse } from './invoke-envelope.ts';
export { INVOKE_ENVELOPE_KEY, type InvokeEnvelope, isInvokeEnvelope } from './invoke-key.ts';
export {
  type EventFilter,
  type EventFunction,
  event,
  FUNCTION_KINDS,
  type FunctionDefinition,
  type FunctionKind,
  type FunctionOptions,
  type Handler,
  type HttpFunction,
  http,
  type QueueFunction,
  queue,
  type ScheduleFunction,
  type StorageFunction,
  schedule,
  storage,
  type TopicFunction,
  topic,
} from './kinds.ts';
export { LazyLogger } from './lazy-logger.ts';
export {
  createLogger,
  jsonLineSink,
  type LogFields,
  Logger,
  type LogLevel,
  type LogSink,
  serializeError,
} from './logger.ts';
export { Message, type MessageInit } from './message.ts';
export { compose, type Middleware } from './middleware.ts';
export { setOwnProperty } from './own-property.ts';
export { newRequestId } from './request-id.ts';
export {
  type CompiledRoute,
  HTTP_METHODS,
  parseRoute,
  type RouteMatch,
  Router,
  type RouteSpec,
} from './router.ts';
export {
  AppRuntime,
  type CompiledFunction,
  type InvocationInit,
  type ProviderBinding,
  type RuntimeOptions,
} from './runtime.ts';
export { parseJson } from './safe-json.ts';
export type { ScheduleEvent } from './schedule-event.ts';
export { delaySeconds } from './send-delay.ts';
export {
  FunctionClient,
  type InvokeOptions,
  type MessageBody,
  PROVIDERS,
  ProviderInfo,
  type ProviderName,
  type PublishOptions,
  Queue,
  type SendOptions,
  Topic,
} from './services.ts';
export { STORAGE_EVENT_TYPES, type StorageEvent, type StorageEventType } from './storage-event.ts';
export { type Token, token } from './tokens.ts';
export { type StandardSchemaV1, validate } from './validation.ts';
