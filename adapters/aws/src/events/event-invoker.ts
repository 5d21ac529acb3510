import { type AppRuntime, bindFunction, type CompiledFunction } from '@polycloud/core/adapter';
import { invocationInit } from '../invocation.ts';
import type { Invoker, Unmatched } from '../invoker.ts';
import { deliverDirect } from './direct-delivery.ts';
import { cloudEventFromEventBridge } from './eventbridge.ts';
import { isEventBridge, isObject } from './records-source.ts';

/** An event function: any EventBridge event, as a CloudEvent (the type filter is core's). */
export function eventInvoker(runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched): Invoker {
  const runner = bindFunction(runtime, fn);
  return async (event, context) => {
    if (!isObject(event) || !isEventBridge(event)) return unmatched(event, context);
    await deliverDirect(
      runner,
      // Stryker disable next-line StringLiteral: a lone item that is never skipped: its path names nothing (the error is thrown as is)
      [{ path: 'event', translate: () => cloudEventFromEventBridge(event) }],
      invocationInit(event, context),
    );
    return undefined;
  };
}
