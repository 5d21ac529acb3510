import { InvalidEventError } from '@polycloud/core';
import {
  type AppRuntime,
  bindFunction,
  type CompiledFunction,
  type FunctionRunner,
  type InvocationInit,
} from '@polycloud/core/adapter';
import { batchInvocationInit } from '../invocation.ts';
import type { Invoker, Unmatched } from '../invoker.ts';
import type { BatchRecord } from './batch-record.ts';
import { type DirectItem, deliverDirect, translatedItem } from './direct-delivery.ts';
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
  const runner = bindFunction(runtime, fn);
  return async (event, context) => {
    if (!isObject(event)) return unmatched(event, context);
    const init = batchInvocationInit(runner, event, context);
    // Stryker disable next-line ArrayDeclaration: the fallback list is read only when recordsSource found no Records array, i.e. never
    const records = Array.isArray(event.Records) ? event.Records : [];
    switch (recordsSource(event)) {
      case 'aws:s3':
        await deliverDirect(
          runner,
          records.map((r, i) => directItem(() => s3NotificationChange(r, `Records[${i}]`), `Records[${i}]`)),
          init,
        );
        return undefined;
      case 'aws:sns': {
        const items: DirectItem[] = [];
        for (const { path, value } of records.map(snsRecord)) {
          if (value instanceof InvalidEventError) items.push(translatedItem(path, value));
          else items.push(...changesOf(() => s3ChangesInBody(value.text(), `${path}.Sns.Message`), path));
        }
        await deliverDirect(runner, items, init);
        return undefined;
      }
      case 'aws:sqs': {
        const parsed = records.map((r, i) => sqsStorageRecord(runner, r, i, init));
        requireIdentifiers(parsed);
        // Stryker disable next-line StringLiteral: settleWorkBatch tells only 'none' from the ordered orders
        return settleWorkBatch(runner, parsed, isFifoBatch(records) ? 'batch' : 'none', init);
      }
    }
    if (isS3EventBridge(event)) {
      await deliverDirect(runner, [directItem(() => s3EventBridgeChange(event), 'event')], init);
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
    if (error instanceof InvalidEventError) return [translatedItem(path, error)];
    throw error;
  }
  return changes.map((c) =>
    'skip' in c ? { path, translate: () => undefined, skip: c.skip } : translatedItem(path, c.event),
  );
}

/** One SQS message of S3 notifications: it succeeds when every change in it was handled. */
function sqsStorageRecord(
  runner: FunctionRunner,
  record: unknown,
  index: number,
  init: InvocationInit,
): BatchRecord<() => Promise<boolean>> {
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
        if ('event' in change && (await runner.event(() => change.event, init)).outcome !== 'handled')
          return false;
      }
      return true;
    },
  };
}
