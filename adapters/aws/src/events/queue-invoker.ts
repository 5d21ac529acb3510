import type { Message } from '@polycloud/core';
import {
  type AppRuntime,
  type BatchOrder,
  bindFunction,
  type CompiledFunction,
} from '@polycloud/core/adapter';
import { batchInvocationInit } from '../invocation.ts';
import type { Invoker, Unmatched } from '../invoker.ts';
import type { BatchRecord } from './batch-record.ts';
import { dynamodbRecord } from './dynamodb-streams.ts';
import { kinesisRecord } from './kinesis.ts';
import { runMessageBatch } from './message-batch.ts';
import { isObject, recordsSource } from './records-source.ts';
import { isFifoBatch, sqsRecordReader } from './sqs.ts';

/**
 * A queue function: SQS (standard: messages independent; FIFO: ordered), Kinesis and DynamoDB Streams
 * (ordered per shard), always answered with `batchItemFailures` (ReportBatchItemFailures).
 */
export function queueInvoker(runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched): Invoker {
  const runner = bindFunction(runtime, fn);
  return async (event, context) => {
    const source = isObject(event) ? recordsSource(event) : undefined;
    // Stryker disable next-line ArrayDeclaration: the fallback list is read only when recordsSource found no Records array, i.e. never
    const records = isObject(event) && Array.isArray(event.Records) ? event.Records : [];
    let read: (record: unknown, index: number) => BatchRecord<Message>;
    let order: BatchOrder = 'batch';
    switch (source) {
      case 'aws:sqs':
        read = sqsRecordReader();
        // AWS documents FIFO partial failures as "stop at the first failure": the rest of the batch is
        // returned too, so no message of any group overtakes a failed one.
        if (!isFifoBatch(records)) order = 'none';
        break;
      case 'aws:kinesis':
        read = kinesisRecord;
        break;
      case 'aws:dynamodb':
        read = dynamodbRecord;
        break;
      default:
        return unmatched(event, context);
    }
    const init = batchInvocationInit(runner, event, context);
    return runMessageBatch(runner, () => records.map(read), order, init);
  };
}
