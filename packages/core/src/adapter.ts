/**
 * `@polycloud/core/adapter`: what an adapter author imports (app authors import `@polycloud/core`).
 * An adapter creates one `AppRuntime` per cold start, binds each function once (`bindHttpFunction`
 * for an http function, `bindFunction` for any) and hands the provider's input to the runner's
 * `http`, `event` or `batch` entry point; the shared
 * pieces (error normalisation, the log sink interface) live here once; CloudEvents in and out are in
 * `@polycloud/core/cloud-events`. What only outbound clients need (message body encoding, storage argument checks, send delays) is
 * in `@polycloud/core/clients/<name>`, one subpath per module, so an http function's cold start does
 * not load it. See docs/writing-an-adapter.md.
 */
export type { BuildFn, BuildOptions, BuildReport } from './adapter/build-contract.ts';
export {
  bindFunction,
  type EventInit,
  type EventOutcome,
  type FunctionRunner,
} from './adapter/function-runner.ts';
export { type AppHttpRunner, bindApp, bindHttpFunction, type HttpRunner } from './adapter/http-runner.ts';
export {
  BodyTooLargeError,
  declaresBody,
  headerPairs,
  readNodeBody,
} from './adapter/node-http-request.ts';
export { refuseBodyTooLarge, writeNodeResponse } from './adapter/node-http-response.ts';
export { toError } from './adapter/to-error.ts';
export { rejectionResponse, type TranslationFailure } from './adapter/translation-failure.ts';
export type { BatchOrder, BatchResult } from './batch.ts';
export { asBytes, EMPTY_BYTES, fromBase64, fromUtf8, toBase64, utf8 } from './bytes.ts';
export { resolveConfig } from './config.ts';
export { parseCookies } from './cookies.ts';
export { DEPLOY_NODE_MAJOR } from './deploy-runtime.ts';
export { closestMatch, didYouMean } from './did-you-mean.ts';
export { defaultReason } from './errors.ts';
export { FUNCTION_KINDS, type FunctionKind } from './function-kind.ts';
export type { HeaderSource } from './http-headers.ts';
export { decodePath, type HttpRequestInit } from './http-request.ts';
export {
  errorResponse,
  isBinaryBody,
  isHttpResult,
  jsonResponse,
  responseByteLength,
  responseBytes,
  responseText,
  toHttpResponse,
} from './http-response.ts';
export type { InvocationInit } from './invocation-init.ts';
export { INVOKE_ENVELOPE_KEY, type InvokeEnvelope, isInvokeEnvelope } from './invoke-key.ts';
export type {
  EventFilter,
  EventFunction,
  FunctionDefinition,
  HttpFunction,
  QueueFunction,
  ScheduleFunction,
  StorageFunction,
  TopicFunction,
} from './kinds.ts';
export { LazyLogger } from './lazy-logger.ts';
export { lazyLoad, lazyService } from './lazy-service.ts';
export { createLogger, jsonLineSink, type LogLevel, type LogSink, serializeError } from './logger.ts';
export type { MessageInit } from './message.ts';
export { setOwnProperty } from './own-property.ts';
export { type ProvidedService, provide, type ResolveService } from './provided-service.ts';
export { newRequestId } from './request-id.ts';
export { assertNoRouteClash, formatRoute, routeShape, routesClash } from './route-clash.ts';
export {
  type CompiledRoute,
  HTTP_METHODS,
  parseRoute,
  type RouteMatch,
  Router,
  type RouteSpec,
} from './router.ts';
export { AppRuntime, type CompiledFunction, type ProviderBinding, type RuntimeOptions } from './runtime.ts';
export { parseJson } from './safe-json.ts';
export { PROVIDERS } from './services.ts';
export { STORAGE_METHODS } from './storage.ts';
export type { StorageErrorInit } from './storage-error.ts';
export { STORAGE_EVENT_TYPES } from './storage-event.ts';
export { validate } from './validation.ts';
