import { InvalidEventError } from '@polycloud/core';
import type { AppRuntime, CompiledFunction, InvocationInit } from '@polycloud/core/adapter';
import { batchInvocationInit } from '../invocation.ts';
import type { Invoker, Unmatched } from '../invoker.ts';
import type { BatchRecord } from './batch-record.ts';
import { type DirectItem, deliverDirect } from './direct-delivery.ts';
import { requireIdentifiers, settleWorkBatch } from './message-batch.ts';
import { isObject, recordsSource } from './records-source.ts';
import {
  isS3EventBridge,
  type S3Change,
  s3ChangesInBody,
  s3EventBridgeChange,
  s3NotificationChange,
} from './s3.ts';
import { snsRecord } from './sns.ts';
import { isFifoBatch, sqsRecordFields } from './sqs.ts';

/** A storage function: S3 notifications direct, via SQS (batch), via SNS, and S3 events via EventBridge. */
export function storageInvoker(runtime: AppRuntime, fn: CompiledFunction, unmatched: Unmatched): Invoker {
  return async (event, context) => {
    if (!isObject(event)) return unmatched(event, context);
    const init = batchInvocationInit(runtime, fn, event, context);
    const records = Array.isArray(event.Records) ? event.Records : [];
    switch (recordsSource(event)) {
      case 'aws:s3':
        await deliverDirect(
          runtime,
          fn,
          records.map((r, i) => directItem(() => s3NotificationChange(r, `Records[${i}]`), `Records[${i}]`)),
          init,
        );
        return undefined;
      case 'aws:sns': {
        const items: DirectItem[] = [];
        for (const { path, value } of records.map(snsRecord)) {
          if (value instanceof InvalidEventError) items.push({ path, event: value });
          else items.push(...changesOf(() => s3ChangesInBody(value.text(), `${path}.Sns.Message`), path));
        }
        await deliverDirect(runtime, fn, items, init);
        return undefined;
      }
      case 'aws:sqs': {
        const parsed = records.map((r, i) => sqsStorageRecord(runtime, fn, r, i, init));
        requireIdentifiers(parsed);
        return settleWorkBatch(runtime, fn, parsed, isFifoBatch(records) ? 'batch' : 'none', init);
      }
    }
    if (isS3EventBridge(event)) {
      await deliverDirect(runtime, fn, [directItem(() => s3EventBridgeChange(event), 'event')], init);
      return undefined;
    }
    return unmatched(event, context);
  };
}

function directItem(read: () => S3Change, path: string): DirectItem {
  return changesOf(() => [read()], path)[0]!;
}

function changesOf(read: () => S3Change[], path: string): DirectItem[] {
  let changes: S3Change[];
  try {
    changes = read();
  } catch (error) {
    if (error instanceof InvalidEventError) return [{ path, event: error }];
    throw error;
  }
  return changes.map((c) =>
    'skip' in c ? { path, event: undefined, skip: c.skip } : { path, event: c.event },
  );
}

/** One SQS message of S3 notifications: it succeeds when every change in it was handled. */
function sqsStorageRecord(
  runtime: AppRuntime,
  fn: CompiledFunction,
  record: unknown,
  index: number,
  init: InvocationInit,
): BatchRecord<() => Promise<void>> {
  const path = `Records[${index}]`;
  const fields = sqsRecordFields(record, index);
  if (fields instanceof InvalidEventError) {
    const id = isObject(record) && typeof record.messageId === 'string' ? record.messageId : undefined;
    return { identifier: id || undefined, path, value: fields };
  }
  let changes: S3Change[];
  try {
    changes = s3ChangesInBody(fields.body, `${path}.body`);
  } catch (error) {
    if (error instanceof InvalidEventError) return { identifier: fields.id, path, value: error };
    throw error;
  }
  return {
    identifier: fields.id,
    path,
    value: async () => {
      for (const change of changes) {
        if ('event' in change) await runtime.handle(fn, change.event, init);
      }
    },
  };
}
