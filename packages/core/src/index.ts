/**
 * `@polycloud/core`: what an app author imports. Define functions once with the trigger builders
 * (`http`, `queue`, `topic`, `storage`, `schedule`, `event`), group them with `defineApp`, and let an
 * adapter run them on AWS, Azure, Google Cloud or your own server. Adapter authors import
 * `@polycloud/core/adapter`.
 */
export {
  type App,
  type AppDefinition,
  defineApp,
  type HttpErrorMapper,
  mergeApps,
  type NotFoundHandler,
} from './app.ts';
export { FunctionInvokeError, QueueSendError, TopicPublishError } from './client-errors.ts';
export type { CloudEvent } from './cloud-event.ts';
export { Config, type PolycloudConfig } from './config.ts';
export type { Context } from './context.ts';
export {
  AppDefinitionError,
  ConfigError,
  HttpError,
  type HttpErrorOptions,
  InvalidEventError,
} from './errors.ts';
export { type HeadersInit, HttpHeaders } from './http-headers.ts';
export { HttpRequest, type Identity } from './http-request.ts';
export type { HttpHandlerResult, HttpResponse, HttpResult } from './http-response.ts';
export {
  event,
  type FunctionOptions,
  type Handler,
  http,
  queue,
  schedule,
  storage,
  topic,
} from './kinds.ts';
export { type LogFields, Logger } from './logger.ts';
export { Message } from './message.ts';
export { compose, type Middleware } from './middleware.ts';
export { type ProvidedService, provide, type ResolveService } from './provided-service.ts';
export type { RouteParams } from './route-params.ts';
export type { ScheduleEvent } from './schedule-event.ts';
export {
  FunctionClient,
  type InvokeOptions,
  type MessageBody,
  ProviderInfo,
  type ProviderName,
  type PublishOptions,
  Queue,
  type SendOptions,
  Topic,
} from './services.ts';
export {
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type ObjectSummary,
  type PutOptions,
  type SignedUrlOptions,
  Storage,
  type StorageBody,
  type StoredObject,
  type StoredObjectStream,
} from './storage.ts';
export { StorageError, StorageNotFoundError, type StorageOperation } from './storage-error.ts';
export type { StorageEvent, StorageEventType } from './storage-event.ts';
export { type ServiceKey, type Token, token } from './tokens.ts';
export type { StandardSchemaV1 } from './validation.ts';
