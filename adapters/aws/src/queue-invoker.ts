import type { AppRuntime, CompiledFunction } from '@polycloud/core';
import { requireIdentifiers, settleMessageBatch } from './batch-response.ts';
import { dynamodbRecord } from './dynamodb-streams.ts';
import { isObject, recordsSource } from './event-shape.ts';
import type { Invoker } from './invoker.ts';
import { kinesisRecord } from './kinesis.ts';
import { batchInvocationInit } from './lambda-context.ts';
import { isFifoBatch, sqsRecord } from './sqs.ts';
import { unmatchedEvent } from './unmatched-event.ts';

/**
 * A queue function: SQS (standard: messages independent; FIFO: ordered), Kinesis and DynamoDB Streams
 * (ordered per shard), always answered with `batchItemFailures` (ReportBatchItemFailures).
 */
export function queueInvoker(runtime: AppRuntime, fn: CompiledFunction): Invoker {
  return async (event, context) => {
    const source = isObject(event) ? recordsSource(event) : undefined;
    const records = isObject(event) && Array.isArray(event.Records) ? event.Records : [];
    const init = batchInvocationInit(runtime, fn, event, context);
    switch (source) {
      case 'aws:sqs': {
        const parsed = records.map(sqsRecord);
        requireIdentifiers(parsed);
        // AWS documents FIFO partial failures as "stop at the first failure": the rest of the batch is
        // returned too, so no message of any group overtakes a failed one.
        return settleMessageBatch(runtime, fn, parsed, isFifoBatch(records) ? 'batch' : 'none', init);
      }
      case 'aws:kinesis': {
        const parsed = records.map(kinesisRecord);
        requireIdentifiers(parsed);
        return settleMessageBatch(runtime, fn, parsed, 'batch', init);
      }
      case 'aws:dynamodb': {
        const parsed = records.map(dynamodbRecord);
        requireIdentifiers(parsed);
        return settleMessageBatch(runtime, fn, parsed, 'batch', init);
      }
      default:
        throw unmatchedEvent(fn, event);
    }
  };
}
