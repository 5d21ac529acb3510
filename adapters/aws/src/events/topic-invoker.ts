import { type AppRuntime, bindFunction, type CompiledFunction } from '@polycloud/core/adapter';
import { batchInvocationInit } from '../invocation.ts';
import type { Invoker, Unmatched } from '../invoker.ts';
import { deliverDirect, translatedItem } from './direct-delivery.ts';
import { runMessageBatch } from './message-batch.ts';
import { isObject, recordsSource } from './records-source.ts';
import { snsRecord } from './sns.ts';
import { isFifoBatch, sqsTopicRecordReader } from './sqs.ts';

/**
 * A topic function: SNS directly (asynchronous invoke, one notification per event: a failure throws
 * so Lambda retries), or an SQS queue subscribed to the topic (batch with `batchItemFailures`).
 */
export function topicInvoker(runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched): Invoker {
  const runner = bindFunction(runtime, fn);
  return async (event, context) => {
    const source = isObject(event) ? recordsSource(event) : undefined;
    // Stryker disable next-line ArrayDeclaration: the fallback list is read only when recordsSource found no Records array, i.e. never
    const records = isObject(event) && Array.isArray(event.Records) ? event.Records : [];
    const init = batchInvocationInit(runner, event, context);
    if (source === 'aws:sns') {
      const items = records.map(snsRecord).map((r) => translatedItem(r.path, r.value));
      await deliverDirect(runner, items, init);
      return undefined;
    }
    if (source === 'aws:sqs') {
      const order = isFifoBatch(records) ? 'batch' : 'none';
      return runMessageBatch(runner, () => records.map(sqsTopicRecordReader()), order, init);
    }
    return unmatched(event, context);
  };
}
