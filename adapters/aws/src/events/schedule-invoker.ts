import {
  type AppRuntime,
  bindFunction,
  type CompiledFunction,
  type ScheduleFunction,
} from '@polycloud/core/adapter';
import { invocationInit } from '../invocation.ts';
import type { Invoker, Unmatched } from '../invoker.ts';
import { deliverDirect } from './direct-delivery.ts';
import { isScheduledEvent, scheduleEventFrom } from './eventbridge.ts';
import { isObject } from './records-source.ts';

/** A schedule function: an EventBridge rule's or EventBridge Scheduler's "Scheduled Event". */
export function scheduleInvoker(runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched): Invoker {
  const runner = bindFunction(runtime, fn);
  const name = (runner.fn.def as ScheduleFunction).name;
  return async (event, context) => {
    if (!isObject(event) || !isScheduledEvent(event)) return unmatched(event, context);
    await deliverDirect(
      runner,
      // Stryker disable next-line StringLiteral: a lone item that is never skipped: its path names nothing (the error is thrown as is)
      [{ path: 'event', translate: () => scheduleEventFrom(event, name) }],
      invocationInit(event, context),
    );
    return undefined;
  };
}
