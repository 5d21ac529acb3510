import type {
  HttpRequest as AzureHttpRequest,
  HttpResponseInit,
  InvocationContext,
  Timer,
} from '@azure/functions';
import azure from '@azure/functions';
import { type App, type CloudEvent, InvalidEventError, type Logger, Message } from '@polycloud/core';
import {
  AppRuntime,
  type CompiledFunction,
  errorResponse,
  HTTP_METHODS,
  processBatch,
  resolveConfig,
} from '@polycloud/core/adapter';
import { storageEventFromBlob } from './events/blob-trigger.ts';
import { cloudEventFromEventGrid, storageEventFromEventGrid } from './events/event-grid.ts';
import { bodyBytes } from './events/message-body.ts';
import { eventHubMessages, serviceBusMessage, storageQueueMessage } from './events/messages.ts';
import { scheduleEventFromTimer } from './events/timer.ts';
import { toDate } from './events/trigger-metadata.ts';
import { toNeutralRequest } from './http/request.ts';
import { toAzureResponse } from './http/response.ts';
import { REST_PARAM } from './http/route-template.ts';
import { invocationInit } from './invocation.ts';
import { type AzureOptions, type AzureSettings, resolveSettings } from './options.ts';
import { azureProvider } from './provider.ts';
import { planFunction, type RegistrationPlan } from './registration-plan.ts';

/** A function's Azure handler: what `app.*` registers, callable on its own (tests, custom hosts). */
export type AzureHandler = (input: any, context: InvocationContext) => Promise<unknown>;

export interface Registration {
  runtime: AppRuntime;
  handlers: Record<string, AzureHandler>;
  /** What each function was registered as, by name. */
  plans: Record<string, RegistrationPlan>;
  settings: AzureSettings;
}

/**
 * Registers every function of `app` with `app.http / app.storageQueue / app.serviceBusQueue /
 * app.serviceBusTopic / app.eventHub / app.eventGrid / app.storageBlob / app.timer` of @azure/functions.
 * Without a host (tests, plain node) the library ignores `app.*` calls: use `handlers` there.
 */
export function handle(app: App, options: AzureOptions = {}): Registration {
  const env = options.env ?? process.env;
  const config = options.config ?? resolveConfig({ provider: 'azure' }, {});
  const settings = resolveSettings(config, app.name, env);
  const runtime = new AppRuntime(app, azureProvider({ app, config, env, settings }), { config });
  const handlers: Record<string, AzureHandler> = {};
  const plans: Record<string, RegistrationPlan> = {};
  for (const fn of runtime.functions.values()) {
    const plan = planFunction(fn.name, fn.def, settings);
    const handler = handlerFor(runtime, fn, plan, settings);
    handlers[fn.name] = handler;
    plans[fn.name] = plan;
    if (options.register !== false) {
      const registerWithHost = azure.app[plan.method] as (name: string, options: object) => void;
      registerWithHost(fn.name, { ...plan.options, handler });
    }
  }
  const fallback = routesFallback(runtime, settings);
  if (fallback && options.register !== false) {
    const register = azure.app.http as (name: string, options: object) => void;
    register(ROUTES_FALLBACK, fallback);
  }
  return { runtime, handlers, plans, settings };
}

/** The extra http function answering requests no route matches; not one of the app's functions. */
export const ROUTES_FALLBACK = 'polycloud-routes';

/**
 * The host answers a request no trigger matches (a wrong method included) with an empty 404, where
 * node answers `405` with `Allow`, or a JSON 404. A catch-all trigger (`{*path}`, every method,
 * anonymous: it never runs the app's code) takes what the app's routes leave — ASP.NET routing
 * prefers literal and parameter segments, so it only gets those — and runs it through the first
 * http function, whose route it is outside of: core answers it the way the node router does.
 * None when the app has its own root catch-all.
 */
function routesFallback(runtime: AppRuntime, settings: AzureSettings): object | undefined {
  const http = [...runtime.functions.values()].filter((fn) => fn.def.kind === 'http');
  const first = http[0];
  if (!first) return undefined;
  if (
    http.some(
      (fn) => fn.def.kind === 'http' && fn.def.route.path === '/*' && fn.def.route.methods.length === 0,
    )
  )
    return undefined;
  return {
    route: `{*${REST_PARAM}}`,
    methods: [...HTTP_METHODS],
    authLevel: 'anonymous',
    handler: (request: AzureHttpRequest, context: InvocationContext) =>
      runHttp(runtime, first, settings, request, context),
  };
}

function handlerFor(
  runtime: AppRuntime,
  fn: CompiledFunction,
  plan: RegistrationPlan,
  settings: AzureSettings,
): AzureHandler {
  switch (plan.method) {
    case 'http':
      return (request: AzureHttpRequest, context: InvocationContext) =>
        runHttp(runtime, fn, settings, request, context);
    case 'storageQueue':
    case 'serviceBusQueue':
    case 'serviceBusTopic': {
      const toMessage = plan.method === 'storageQueue' ? storageQueueMessage : serviceBusMessage;
      const source =
        fn.def.kind === 'queue' ? fn.def.queue : fn.def.kind === 'topic' ? fn.def.topic : fn.name;
      return async (input: unknown, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        const message = reject(init.log, () =>
          toMessage(input, context.triggerMetadata, source, context.invocationId),
        );
        // A rejection propagates: the host abandons the message and retries it, then poison-queues it.
        await runtime.handle(fn, message, init);
      };
    }
    case 'eventHub': {
      const source =
        fn.def.kind === 'queue' ? fn.def.queue : fn.def.kind === 'topic' ? fn.def.topic : fn.name;
      return async (input: unknown, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        const messages = reject(init.log, () =>
          eventHubMessages(input, context.triggerMetadata, source, context.invocationId),
        );
        // 'batch': after a failure nothing later in the partition runs, so no event overtakes a failed one.
        const { failed } = await processBatch(runtime, fn, messages, 'batch', () => init);
        if (failed.length > 0) {
          // Throwing makes the host's retry policy re-run the whole batch before it checkpoints: events
          // before the failed one run again (at-least-once), nothing after it is skipped.
          throw new Error(
            `${failed.length} of ${messages.length} events not processed, from ${failed[0]!.id} on; the batch will be retried`,
          );
        }
      };
    }
    case 'storageBlob':
      return async (input: unknown, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        const event = reject(init.log, () =>
          storageEventFromBlob(context.triggerMetadata, context.invocationId),
        );
        await runtime.handle(fn, event, init);
      };
    case 'timer':
      return async (input: Timer, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        const name = fn.def.kind === 'schedule' ? fn.def.name : fn.name;
        await runtime.handle(fn, scheduleEventFromTimer(input, name, context.invocationId), init);
      };
    case 'eventGrid':
      return async (input: unknown, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        // The trigger delivers one event per invocation; an array (webhook batch shape) runs in order.
        const events = Array.isArray(input) ? input : [input];
        for (let i = 0; i < events.length; i++) {
          const where = Array.isArray(input) ? `event[${i}]` : 'event';
          const neutral = reject(init.log, () => eventGridToNeutral(fn, events[i], where));
          if (neutral !== undefined) await runtime.handle(fn, neutral, init);
          else init.log.debug('storage event type the neutral model does not carry; acknowledged', { where });
        }
      };
  }
}

/** Event Grid input for whichever kind the function is: event → CloudEvent, storage → StorageEvent, topic → Message. */
function eventGridToNeutral(fn: CompiledFunction, value: unknown, where: string): unknown {
  switch (fn.def.kind) {
    case 'storage':
      return storageEventFromEventGrid(value, where);
    case 'topic':
      return messageFromCloudEvent(cloudEventFromEventGrid(value, where), fn.def.topic, value);
    default:
      return cloudEventFromEventGrid(value, where);
  }
}

function messageFromCloudEvent(ev: CloudEvent, source: string, raw: unknown): Message {
  const attributes: Record<string, string> = { type: ev.type, source: ev.source };
  if (ev.subject) attributes.subject = ev.subject;
  return new Message({
    id: ev.id,
    body: bodyBytes(ev.data),
    attributes,
    enqueuedAt: toDate(ev.time),
    source,
    ...(ev.datacontenttype ? { contentType: ev.datacontenttype } : {}),
    raw,
  });
}

/** Malformed input is logged and thrown: the host then retries and dead-letters it; it never reaches the handler. */
function reject<T>(log: Logger, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    log.error('rejected malformed input', { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

async function runHttp(
  runtime: AppRuntime,
  fn: CompiledFunction,
  settings: AzureSettings,
  request: AzureHttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const init = invocationInit(fn, request, context, settings);
  let req: Awaited<ReturnType<typeof toNeutralRequest>>;
  try {
    req = await toNeutralRequest(request, settings);
  } catch (error) {
    if (error instanceof InvalidEventError) {
      init.log.warn('rejected invalid request', { error: error.message });
      return toAzureResponse(errorResponse(400, error.message));
    }
    init.log.error('could not read the request', { error: error instanceof Error ? error : String(error) });
    return toAzureResponse(errorResponse(500, 'Internal Server Error'));
  }
  // The host already chose this function; its params stand when the neutral router would pick another.
  req.params = azureParams(request.params);
  const res = await runtime.handleHttp(req, init, fn);
  return toAzureResponse(res, init.log);
}

function azureParams(params: Record<string, string> | undefined): Record<string, string> {
  if (!params) return {};
  let out: Record<string, string> | undefined;
  for (const key in params) {
    out ??= {};
    out[key === REST_PARAM ? '*' : key] = params[key]!;
  }
  return out ?? {};
}
