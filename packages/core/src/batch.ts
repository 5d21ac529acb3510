import type { InvocationInit } from './invocation-init.ts';
import type { Message } from './message.ts';
import { type AppRuntime, type CompiledFunction, invocationSteps as steps } from './runtime.ts';
import { pendingResult } from './thenable.ts';

/**
 * How a batch's order constrains retries:
 * - `none`: messages are independent (SQS standard, Storage Queue): run concurrently, fail individually;
 * - `group`: after a failure, every later message of the same group is failed unrun (SQS FIFO with
 *   several groups, Service Bus sessions, Pub/Sub ordering keys);
 * - `batch`: after a failure, every later message of the batch is failed unrun (Kinesis, DynamoDB
 *   Streams, SQS FIFO as AWS documents it), so nothing overtakes a failed message.
 */
export type BatchOrder = 'none' | 'group' | 'batch';

export interface BatchResult {
  /** Messages the provider must redeliver, in batch order. Never acknowledged. */
  failed: Message[];
}

export async function processBatch(
  runtime: AppRuntime,
  fn: CompiledFunction,
  messages: readonly Message[],
  order: BatchOrder,
  init: (message: Message) => InvocationInit,
): Promise<BatchResult> {
  if (order === 'none') {
    // Synchronous handlers settle here without a promise per message; only promises are awaited.
    // Stryker disable next-line ArrayDeclaration: the preset length only saves growth; an empty array reads undefined (falsy) at every index
    const failedAt = new Array<boolean>(messages.length).fill(false);
    let pending: Promise<void>[] | undefined;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      // steps.event, unrolled: the user's handler is called from here, one frame closer to the
      // provider, which keeps the stacks of the errors it throws short (capturing costs per frame).
      const ctx = steps.begin(runtime, fn, message, init(message));
      let out: unknown;
      try {
        out = fn.run(message, ctx);
      } catch (error) {
        steps.fail(runtime, fn, message, ctx, error);
        failedAt[i] = true;
        continue;
      }
      const later = pendingResult(out);
      if (!later) steps.end(runtime, ctx, out);
      else {
        // Stryker disable next-line ArrayDeclaration: Promise.all settles a non-promise entry at once, so a seeded element changes nothing
        pending ??= [];
        pending.push(
          steps.settle(runtime, fn, message, ctx, later).then(undefined, () => {
            failedAt[i] = true;
          }),
        );
      }
    }
    if (pending) await Promise.all(pending);
    return { failed: messages.filter((_, i) => failedAt[i]) };
  }
  const failed: Message[] = [];
  const blockedGroups = new Set<string | undefined>();
  let blockAll = false;
  for (const message of messages) {
    if (blockAll || (order === 'group' && blockedGroups.has(message.groupId))) {
      failed.push(message);
      continue;
    }
    try {
      const out = steps.event(runtime, fn, message, init(message));
      if (out instanceof Promise) await out; // dispatch turns any thenable into a Promise
    } catch {
      failed.push(message);
      if (order === 'batch') blockAll = true;
      else blockedGroups.add(message.groupId);
    }
  }
  return { failed };
}
