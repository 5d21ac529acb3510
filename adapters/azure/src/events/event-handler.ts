import type { InvocationContext, Timer } from '@azure/functions';
import { type CloudEvent, Message } from '@polycloud/core';
import {
  type AppRuntime,
  bindFunction,
  type CompiledFunction,
  type EventOutcome,
  type FunctionRunner,
} from '@polycloud/core/adapter';
import { type AzureHandler, invocationInit } from '../invocation.ts';
import type { AzureSettings } from '../options.ts';
import { planTrigger, type RegistrationPlan } from '../registration-plan.ts';
import { storageEventFromBlob } from './blob-trigger.ts';
import { cloudEventFromEventGrid, storageEventFromEventGrid } from './event-grid.ts';
import { bodyBytes } from './message-body.ts';
import { eventHubMessages, serviceBusMessage, storageQueueMessage } from './messages.ts';
import { scheduleEventFromTimer } from './timer.ts';
import { toDate } from './trigger-metadata.ts';

/** How a function that is not http is registered: its trigger's plan and the handler of that trigger. */
export interface TriggerRegistration {
  plan: RegistrationPlan;
  handler: AzureHandler;
}

/**
 * The entry of functions that are not http: each is planned by its trigger (`planTrigger`) and
 * handled here. `polycloud build` imports this module only for an app that has such functions.
 */
export function eventHandler(
  runtime: AppRuntime,
  fn: CompiledFunction,
  settings: AzureSettings,
): TriggerRegistration {
  if (fn.def.kind === 'http') throw new TypeError(`function "${fn.name}" is http, not an event function`);
  const plan = planTrigger(fn.name, fn.def, settings);
  return { plan, handler: triggerHandler(bindFunction(runtime, fn), plan, settings) };
}

/**
 * The handler of a function that is not http, by the trigger it was registered with: Storage Queue,
 * Service Bus, Event Hubs, Blob, Timer and Event Grid input become neutral messages and events.
 */
function triggerHandler(
  runner: FunctionRunner,
  plan: RegistrationPlan,
  settings: AzureSettings,
): AzureHandler {
  const fn = runner.fn;
  switch (plan.method) {
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
    default:
      throw new TypeError(`no event handler for ${plan.method} triggers`);
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
