import type { AppRuntime, CompiledFunction, ScheduleFunction } from '@polycloud/core';
import { deliverDirect } from './direct-delivery.ts';
import { isObject } from './event-shape.ts';
import { isScheduledEvent, scheduleEventFrom } from './eventbridge.ts';
import type { Invoker } from './invoker.ts';
import { invocationInit } from './lambda-context.ts';
import { unmatchedEvent } from './unmatched-event.ts';

/** A schedule function: an EventBridge rule's or EventBridge Scheduler's "Scheduled Event". */
export function scheduleInvoker(runtime: AppRuntime, fn: CompiledFunction): Invoker {
  const name = (fn.def as ScheduleFunction).name;
  return async (event, context) => {
    if (!isObject(event) || !isScheduledEvent(event)) throw unmatchedEvent(fn, event);
    await deliverDirect(
      runtime,
      fn,
      [{ path: 'event', event: scheduleEventFrom(event, name) }],
      invocationInit(event, context),
    );
    return undefined;
  };
}
