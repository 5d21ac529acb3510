import { InvalidEventError, type Message } from '@polycloud/core';
import type {
  AppRuntime,
  BatchOrder,
  BatchResult,
  CompiledFunction,
  InvocationInit,
} from '@polycloud/core/adapter';
import type { SQSBatchResponse } from 'aws-lambda';
import type { BatchRecord } from './batch-record.ts';

/**
 * A Lambda batch before core's processBatch runs it, and Lambda's partial batch response after:
 * failed records are listed in `batchItemFailures` (so only they are redelivered), malformed records
 * are never run and always listed. In an ordered batch (SQS FIFO, Kinesis, DynamoDB Streams) a
 * malformed record also fails every later record, so nothing overtakes it (PEER-BUGS #13).
 * Two steps around `processBatch` rather than one wrapper: the invoker calls processBatch itself,
 * one frame fewer on the stack of every error a handler throws.
 */
export class MessageBatch {
  /** The messages to run, in batch order. */
  readonly runnable: Message[] = [];
  readonly #failed = new Set<string>();
  readonly #identifiers = new Map<Message, string>();
  readonly #records: readonly BatchRecord<Message>[];

  constructor(
    runtime: AppRuntime,
    fn: CompiledFunction,
    records: readonly BatchRecord<Message>[],
    order: BatchOrder,
    init: InvocationInit,
  ) {
    this.#records = records;
    let blocked = false;
    for (const record of records) {
      if (record.value instanceof InvalidEventError) {
        reportMalformed(runtime, fn, record, init);
        if (order !== 'none') blocked = true;
        this.#failed.add(record.identifier!);
      } else if (blocked) this.#failed.add(record.identifier!);
      else {
        this.#identifiers.set(record.value, record.identifier!);
        this.runnable.push(record.value);
      }
    }
  }

  /** Lambda's answer once processBatch reported which messages failed. */
  response(result: BatchResult): SQSBatchResponse {
    for (const message of result.failed) this.#failed.add(this.#identifiers.get(message)!);
    return failures(this.#records, this.#failed);
  }
}

/**
 * The same for records that each carry some work (a storage function fed by SQS: one message may
 * hold several S3 changes); the record fails when any of its work fails.
 */
export async function settleWorkBatch(
  runtime: AppRuntime,
  fn: CompiledFunction,
  records: readonly BatchRecord<() => Promise<void>>[],
  order: BatchOrder,
  init: InvocationInit,
): Promise<SQSBatchResponse> {
  const failed = new Set<string>();
  const run = async (record: BatchRecord<() => Promise<void>>): Promise<boolean> => {
    if (record.value instanceof InvalidEventError) {
      reportMalformed(runtime, fn, record, init);
      return false;
    }
    try {
      await record.value();
      return true;
    } catch {
      return false; // the runtime logged the handler's error
    }
  };
  if (order === 'none') {
    const ok = await Promise.all(records.map(run));
    records.forEach((r, i) => {
      if (!ok[i]) failed.add(r.identifier!);
    });
  } else {
    let blocked = false;
    for (const record of records) {
      if (blocked || !(await run(record))) {
        blocked = true;
        failed.add(record.identifier!);
      }
    }
  }
  return failures(records, failed);
}

/**
 * A record Lambda cannot name (no messageId / sequence number) cannot be reported alone: the whole
 * batch is failed by throwing, so Lambda retries it and nothing is acknowledged.
 */
export function requireIdentifiers(records: readonly BatchRecord<unknown>[]): void {
  for (const record of records) {
    if (record.identifier === undefined) {
      const error = record.value instanceof InvalidEventError ? record.value : undefined;
      throw new InvalidEventError(
        `record has no identifier Lambda could redeliver it by${error ? ` (${error.message})` : ''}; failing the whole batch`,
        record.path,
      );
    }
  }
}

function reportMalformed(
  runtime: AppRuntime,
  fn: CompiledFunction,
  record: BatchRecord<unknown>,
  init: InvocationInit,
): void {
  runtime.log.warn('rejected malformed record; reported in batchItemFailures', {
    function: fn.name,
    requestId: init.requestId,
    record: record.path,
    itemIdentifier: record.identifier,
    error: (record.value as InvalidEventError).message,
  });
}

function failures(records: readonly BatchRecord<unknown>[], failed: ReadonlySet<string>): SQSBatchResponse {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  if (failed.size === 0) return { batchItemFailures };
  for (const record of records) {
    if (failed.has(record.identifier!)) batchItemFailures.push({ itemIdentifier: record.identifier! });
  }
  return { batchItemFailures };
}
