import type { Message } from './message.ts';
import type { AppRuntime, CompiledFunction, InvocationInit } from './runtime.ts';

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
    const results = await Promise.allSettled(messages.map((m) => runtime.handle(fn, m, init(m))));
    return { failed: messages.filter((_, i) => results[i]!.status === 'rejected') };
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
      await runtime.handle(fn, message, init(message));
    } catch {
      failed.push(message);
      if (order === 'batch') blockAll = true;
      else blockedGroups.add(message.groupId);
    }
  }
  return { failed };
}
