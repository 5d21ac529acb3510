import { InvalidEventError } from '@polycloud/core';
import type { AppRuntime, CompiledFunction, InvocationInit } from '@polycloud/core/adapter';

/** One unit of a non-batch delivery (SNS, S3, EventBridge): a neutral event, or why it is unusable. */
export interface DirectItem {
  path: string;
  event: unknown | InvalidEventError;
  /** Set when the item is valid but carries nothing the function handles (acknowledged unrun). */
  skip?: string;
}

/**
 * Runs the items of an asynchronous Lambda event in order. Lambda has no partial response for these
 * sources: any failure throws, so Lambda retries the event or sends it to its DLQ / failure
 * destination; a malformed item throws InvalidEventError naming its path.
 */
export async function deliverDirect(
  runtime: AppRuntime,
  fn: CompiledFunction,
  items: readonly DirectItem[],
  init: InvocationInit,
): Promise<void> {
  const errors: unknown[] = [];
  const failedPaths: string[] = [];
  for (const item of items) {
    if (item.event instanceof InvalidEventError) throw item.event;
    if (item.skip !== undefined) {
      runtime.log.info('event has nothing for this function; acknowledged without running the handler', {
        function: fn.name,
        requestId: init.requestId,
        record: item.path,
        reason: item.skip,
      });
      continue;
    }
    try {
      await runtime.handle(fn, item.event, init);
    } catch (error) {
      errors.push(error);
      failedPaths.push(item.path);
    }
  }
  if (errors.length === 1 && items.length === 1) throw errors[0];
  if (errors.length > 0) {
    throw new AggregateError(
      errors,
      `${errors.length} of ${items.length} records failed: ${failedPaths.join(', ')}`,
    );
  }
}
