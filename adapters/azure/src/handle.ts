import type {
  HttpRequest as AzureHttpRequest,
  HttpResponseInit,
  InvocationContext,
  Timer,
} from '@azure/functions';
import azure from '@azure/functions';
import { type App, type CloudEvent, Message } from '@polycloud/core';
import {
  AppRuntime,
  bindFunction,
  type CompiledFunction,
  type EventOutcome,
  errorResponse,
  type FunctionRunner,
  HTTP_METHODS,
  resolveConfig,
  toError,
} from '@polycloud/core/adapter';
import { storageEventFromBlob } from './events/blob-trigger.ts';
import { cloudEventFromEventGrid, storageEventFromEventGrid } from './events/event-grid.ts';
import { bodyBytes } from './events/message-body.ts';
import { eventHubMessages, serviceBusMessage, storageQueueMessage } from './events/messages.ts';
import { scheduleEventFromTimer } from './events/timer.ts';
import { toDate } from './events/trigger-metadata.ts';
import { readRequestBody, toNeutralRequest } from './http/request.ts';
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
    const handler = handlerFor(bindFunction(runtime, fn), plan, settings);
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
 * anonymous) takes what the app's routes leave, and core answers it the way the node router does.
 *
 * The host does not rank routes by specificity: it maps them in function-name order
 * (FunctionMetadataManager sorts by name, OrdinalIgnoreCase) into a RouteCollection that takes the
 * first match (WebJobsRouteBuilder), so this trigger also receives the requests of every http
 * function named after `polycloud-routes` (`updateTodo`, say). Those it routes as node does and runs
 * the function they belong to, with that function's own params; the rest go through the first http
 * function, whose route they are outside of (404, or 405 with `Allow`). None when the app has its
 * own root catch-all.
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
  const outside = bindFunction(runtime, first);
  const runners = new Map<string, FunctionRunner>();
  return {
    route: `{*${REST_PARAM}}`,
    methods: [...HTTP_METHODS],
    authLevel: 'anonymous',
    handler: (request: AzureHttpRequest, context: InvocationContext) => {
      const match = routeOf(runtime, request, settings);
      if (match?.status !== 200) return runHttp(outside, settings, request, context);
      let runner = runners.get(match.target.name);
      if (!runner) {
        runner = bindFunction(runtime, match.target);
        runners.set(match.target.name, runner);
      }
      return runHttp(runner, settings, request, context, match.params);
    },
  };
}

const EMPTY_BODY = new Uint8Array(0);

/** The neutral router's answer for the request; undefined for input it cannot read (runHttp answers that). */
function routeOf(runtime: AppRuntime, request: AzureHttpRequest, settings: AzureSettings) {
  try {
    const { method, rawPath } = toNeutralRequest(request, EMPTY_BODY, settings);
    return runtime.route(method, rawPath);
  } catch {
    return undefined;
  }
}

function handlerFor(runner: FunctionRunner, plan: RegistrationPlan, settings: AzureSettings): AzureHandler {
  const fn = runner.fn;
  switch (plan.method) {
    case 'http':
      return (request: AzureHttpRequest, context: InvocationContext) =>
        runHttp(runner, settings, request, context);
    case 'storageQueue':
    case 'serviceBusQueue':
    case 'serviceBusTopic': {
      const toMessage = plan.method === 'storageQueue' ? storageQueueMessage : serviceBusMessage;
      const source =
        fn.def.kind === 'queue' ? fn.def.queue : fn.def.kind === 'topic' ? fn.def.topic : fn.name;
      return async (input: unknown, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        settled(
          await runner.event(
            () => toMessage(input, context.triggerMetadata, source, context.invocationId),
            init,
          ),
        );
      };
    }
    case 'eventHub': {
      const source =
        fn.def.kind === 'queue' ? fn.def.queue : fn.def.kind === 'topic' ? fn.def.topic : fn.name;
      return async (input: unknown, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        // 'batch': after a failure nothing later in the partition runs, so no event overtakes a failed one.
        let count = 0;
        const result = await runner.batch(
          () => {
            const messages = eventHubMessages(input, context.triggerMetadata, source, context.invocationId);
            count = messages.length;
            return messages;
          },
          'batch',
          () => init,
        );
        if ('outcome' in result) throw result.error;
        if (result.failed.length > 0) {
          // Throwing makes the host's retry policy re-run the whole batch before it checkpoints: events
          // before the failed one run again (at-least-once), nothing after it is skipped.
          throw new Error(
            `${result.failed.length} of ${count} events not processed, from ${result.failed[0]!.id} on; the batch will be retried`,
          );
        }
      };
    }
    case 'storageBlob':
      return async (input: unknown, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        settled(
          await runner.event(() => storageEventFromBlob(context.triggerMetadata, context.invocationId), init),
        );
      };
    case 'timer':
      return async (input: Timer, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        const name = fn.def.kind === 'schedule' ? fn.def.name : fn.name;
        settled(await runner.event(() => scheduleEventFromTimer(input, name, context.invocationId), init));
      };
    case 'eventGrid':
      return async (input: unknown, context: InvocationContext) => {
        const init = invocationInit(fn, input, context, settings);
        // The trigger delivers one event per invocation; an array (webhook batch shape) runs in order.
        const events = Array.isArray(input) ? input : [input];
        for (let i = 0; i < events.length; i++) {
          const where = Array.isArray(input) ? `event[${i}]` : 'event';
          let neutral: unknown;
          const outcome = await runner.event(() => {
            neutral = eventGridToNeutral(fn, events[i], where);
            return neutral;
          }, init);
          if (outcome.outcome === 'handled' && neutral === undefined)
            init.log.debug('storage event type the neutral model does not carry; acknowledged', { where });
          settled(outcome);
        }
      };
  }
}

/**
 * An event that was not handled (malformed: already logged by the runner; the handler failed:
 * logged by the runtime) is thrown: the host abandons it and retries, then dead-letters it.
 */
function settled(outcome: EventOutcome): void {
  if (outcome.outcome !== 'handled') throw outcome.error;
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

/** `params`: the neutral router's match, when the host's own route was the catch-all's. */
async function runHttp(
  runner: FunctionRunner,
  settings: AzureSettings,
  request: AzureHttpRequest,
  context: InvocationContext,
  params?: Record<string, string>,
): Promise<HttpResponseInit> {
  const init = invocationInit(runner.fn, request, context, settings);
  let body: Uint8Array;
  try {
    body = await readRequestBody(request);
  } catch (error) {
    init.log.error('could not read the request', { error: toError(error) });
    return toAzureResponse(errorResponse(500, 'Internal Server Error'));
  }
  // The host already chose this function; its params stand when the neutral router would pick another.
  const res = await runner.http(
    () => {
      const req = toNeutralRequest(request, body, settings);
      req.params = params ?? azureParams(request.params);
      return req;
    },
    init,
    params,
  );
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
