/**
 * `@polycloud/core/cloud-events`: CloudEvents in and out, for adapters and test drivers. Apart from
 * `@polycloud/core/adapter` because only event sources need it: esbuild splits a build by module, so
 * whatever an index the entry reaches re-exports lands in the startup file as soon as a lazily loaded
 * module uses it (the node server's http-only startup file carried 4 KB of it, ~0.17 ms of parsing).
 */
export {
  cloudEventDataBytes,
  messageFromCloudEvent,
  storageEventFromCloudEvent,
} from './adapter/cloud-event-input.ts';
export {
  CLOUD_EVENT_ATTRIBUTES,
  CLOUD_EVENT_REQUIRED,
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
