export { withAppSettings } from './app-settings.ts';
export { AzureFunctionClient } from './clients/function-client.ts';
export { createStorageQueue } from './clients/queue-client.ts';
export { storageEventFromBlob } from './events/blob-trigger.ts';
export { cloudEventFromEventGrid, storageEventFromEventGrid } from './events/event-grid.ts';
export { eventHubMessages, serviceBusMessage, storageQueueMessage } from './events/messages.ts';
export { toNcrontab } from './events/ncrontab.ts';
export { scheduleEventFromTimer } from './events/timer.ts';
export { type AzureHandler, handle, type Registration } from './handle.ts';
export { handlePrepared } from './handle-prepared.ts';
export { identityFromPrincipal } from './http/client-principal.ts';
export { readRequestBody, toNeutralRequest } from './http/request.ts';
export { parseSetCookie, toAzureResponse } from './http/response.ts';
export { toMethods, toRouteTemplate } from './http/route-template.ts';
export { invocationInit } from './invocation.ts';
export { InvocationLogger } from './invocation-logger.ts';
export { type AzureOptions, type AzureSettings, HTTP_RESPONSE_LIMIT_MS, resolveSettings } from './options.ts';
export { type AzureProviderOptions, azureProvider } from './provider.ts';
export type { AzureHttpRaw, AzureRaw } from './raw.ts';
export {
  type PreparedApp,
  planFunction,
  prepareApp,
  type RegistrationMethod,
  type RegistrationPlan,
} from './registration-plan.ts';
