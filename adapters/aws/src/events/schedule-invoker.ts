import type { AppRuntime, CompiledFunction, ScheduleFunction } from '@polycloud/core';
import { deliverDirect } from './direct-delivery.ts';
import { isObject } from './event-shape.ts';
import { isScheduledEvent, scheduleEventFrom } from './eventbridge.ts';
import type { Invoker, Unmatched } from './invoker.ts';
import { invocationInit } from './lambda-context.ts';

/** A schedule function: an EventBridge rule's or EventBridge Scheduler's "Scheduled Event". */
export function scheduleInvoker(runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched): Invoker {
  const name = (fn.def as ScheduleFunction).name;
  return async (event, context) => {
    if (!isObject(event) || !isScheduledEvent(event)) return unmatched(event, context);
    await deliverDirect(
      runtime,
      fn,
      [{ path: 'event', event: scheduleEventFrom(event, name) }],
      invocationInit(event, context),
    );
    return undefined;
  };
}
