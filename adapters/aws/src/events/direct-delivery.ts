import { InvalidEventError } from '@polycloud/core';
import type { FunctionRunner, InvocationInit } from '@polycloud/core/adapter';

/** One unit of a non-batch delivery (SNS, S3, EventBridge) and how to read it. */
export interface DirectItem {
  path: string;
  /** The item's neutral event; throws InvalidEventError (naming the item's path) when it is unusable. */
  translate: () => unknown;
  /** Set when the item is valid but carries nothing the function handles (acknowledged unrun). */
  skip?: string;
}

/** An item read already (one of several a record carried): its neutral event, or why it is unusable. */
export function translatedItem(path: string, event: unknown | InvalidEventError): DirectItem {
  return {
    path,
    translate: () => {
      if (event instanceof InvalidEventError) throw event;
      return event;
    },
  };
}

/**
 * Runs the items of an asynchronous Lambda event in order through the function's runner. Lambda has
 * no partial response for these sources: any failure throws, so Lambda retries the event or sends
 * it to its DLQ / failure destination. A malformed item is core's rejected event (one log line, the
 * handler never runs) and throws its InvalidEventError naming its path, before any later item runs.
 */
export async function deliverDirect(
  runner: FunctionRunner,
  items: readonly DirectItem[],
  init: InvocationInit,
): Promise<void> {
  const errors: Error[] = [];
  const failedPaths: string[] = [];
  for (const item of items) {
    if (item.skip !== undefined) {
      runner.runtime.log.info(
        'event has nothing for this function; acknowledged without running the handler',
        {
          function: runner.fn.name,
          requestId: init.requestId,
          record: item.path,
          reason: item.skip,
        },
      );
      continue;
    }
    const outcome = await runner.event(item.translate, init);
    if (outcome.outcome === 'rejected') throw outcome.error;
    if (outcome.outcome === 'failed') {
      errors.push(outcome.error);
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
