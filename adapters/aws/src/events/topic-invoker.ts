import { type AppRuntime, type CompiledFunction, processBatch } from '@polycloud/core/adapter';
import { batchInvocationInit } from '../invocation.ts';
import type { Invoker, Unmatched } from '../invoker.ts';
import { deliverDirect } from './direct-delivery.ts';
import { MessageBatch, requireIdentifiers } from './message-batch.ts';
import { isObject, recordsSource } from './records-source.ts';
import { snsRecord } from './sns.ts';
import { isFifoBatch, sqsTopicRecord } from './sqs.ts';

/**
 * A topic function: SNS directly (asynchronous invoke, one notification per event: a failure throws
 * so Lambda retries), or an SQS queue subscribed to the topic (batch with `batchItemFailures`).
 */
export function topicInvoker(runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched): Invoker {
  return async (event, context) => {
    const source = isObject(event) ? recordsSource(event) : undefined;
    const records = isObject(event) && Array.isArray(event.Records) ? event.Records : [];
    const init = batchInvocationInit(runtime, fn, event, context);
    if (source === 'aws:sns') {
      const items = records.map(snsRecord).map((r) => ({ path: r.path, event: r.value }));
      await deliverDirect(runtime, fn, items, init);
      return undefined;
    }
    if (source === 'aws:sqs') {
      const parsed = records.map(sqsTopicRecord);
      requireIdentifiers(parsed);
      const order = isFifoBatch(records) ? 'batch' : 'none';
      const batch = new MessageBatch(runtime, fn, parsed, order, init);
      return batch.response(await processBatch(runtime, fn, batch.runnable, order, () => init));
    }
    return unmatched(event, context);
  };
}
