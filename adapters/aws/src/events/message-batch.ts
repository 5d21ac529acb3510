import { InvalidEventError, type Message } from '@polycloud/core';
import type { BatchOrder, BatchResult, FunctionRunner, InvocationInit } from '@polycloud/core/adapter';
import type { SQSBatchResponse } from 'aws-lambda';
import type { BatchRecord } from './batch-record.ts';

/**
 * Runs a Lambda batch (SQS, Kinesis, DynamoDB Streams, SQS of SNS) through the function's runner
 * and answers with Lambda's partial batch response (ReportBatchItemFailures). A batch with a record
 * Lambda cannot name is core's rejected batch (one log line, nothing run) and is thrown, so Lambda
 * retries all of it and nothing is acknowledged.
 */
export async function runMessageBatch(
  runner: FunctionRunner,
  read: () => BatchRecord<Message>[],
  order: BatchOrder,
  init: InvocationInit,
): Promise<SQSBatchResponse> {
  let batch: MessageBatch | undefined;
  const result = await runner.batch(
    () => {
      const records = read();
      requireIdentifiers(records);
      batch = new MessageBatch(runner, records, order, init);
      return batch.runnable;
    },
    order,
    () => init,
  );
  if ('outcome' in result) throw result.error;
  return batch!.response(result);
}

/**
 * A Lambda batch before core's batch loop runs it, and Lambda's partial batch response after:
 * failed records are listed in `batchItemFailures` (so only they are redelivered), malformed records
 * are never run and always listed. Per record, because Lambda's partial response is: core's runner
 * rejects whole batches only. In an ordered batch (SQS FIFO, Kinesis, DynamoDB Streams) a malformed
 * record also fails every later record, so nothing overtakes it (PEER-BUGS #13).
 */
class MessageBatch {
  /** The messages to run, in batch order. */
  readonly runnable: Message[] = [];
  /**
   * `runnable[i]`'s itemIdentifier. A list, not a Map keyed by message: a batch without failures
   * never looks one up, and a Map entry per record cost 5–8 % of an SQS×10 invocation (CPU profile).
   */
  readonly #runnableIds: string[] = [];
  readonly #failed = new Set<string>();
  readonly #records: readonly BatchRecord<Message>[];

  constructor(
    runner: FunctionRunner,
    records: readonly BatchRecord<Message>[],
    order: BatchOrder,
    init: InvocationInit,
  ) {
    this.#records = records;
    let blocked = false;
    for (const record of records) {
      if (record.value instanceof InvalidEventError) {
        reportMalformed(runner, record, init);
        if (order !== 'none') blocked = true;
        this.#failed.add(record.identifier!);
      } else if (blocked) this.#failed.add(record.identifier!);
      else {
        this.runnable.push(record.value);
        this.#runnableIds.push(record.identifier!);
      }
    }
  }

  /** Lambda's answer once core's batch loop reported which messages failed. */
  response(result: BatchResult): SQSBatchResponse {
    if (result.failed.length > 0) {
      const ids = new Map<Message, string>();
      for (let i = 0; i < this.runnable.length; i++) ids.set(this.runnable[i]!, this.#runnableIds[i]!);
      for (const message of result.failed) this.#failed.add(ids.get(message)!);
    }
    return failures(this.#records, this.#failed);
  }
}

/**
 * The same for records that each carry some work (a storage function fed by SQS: one message may
 * hold several S3 changes, each run through the runner); the record fails when any of its work
 * fails (resolves false).
 */
export async function settleWorkBatch(
  runner: FunctionRunner,
  records: readonly BatchRecord<() => Promise<boolean>>[],
  order: BatchOrder,
  init: InvocationInit,
): Promise<SQSBatchResponse> {
  const failed = new Set<string>();
  const run = async (record: BatchRecord<() => Promise<boolean>>): Promise<boolean> => {
    if (record.value instanceof InvalidEventError) {
      reportMalformed(runner, record, init);
      return false;
    }
    return record.value(); // false when a handler failed (logged once by core)
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
        // Stryker disable next-line StringLiteral: every source reads a record it cannot name as an error, so the '' branch is never taken
        `record has no identifier Lambda could redeliver it by${error ? ` (${error.message})` : ''}; failing the whole batch`,
        record.path,
      );
    }
  }
}

function reportMalformed(runner: FunctionRunner, record: BatchRecord<unknown>, init: InvocationInit): void {
  runner.runtime.log.warn('rejected malformed record; reported in batchItemFailures', {
    function: runner.fn.name,
    requestId: init.requestId,
    record: record.path,
    itemIdentifier: record.identifier,
    error: (record.value as InvalidEventError).message,
  });
}

function failures(records: readonly BatchRecord<unknown>[], failed: ReadonlySet<string>): SQSBatchResponse {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  // Stryker disable next-line ConditionalExpression: fast path for the all-succeeded batch; the loop finds nothing either
  if (failed.size === 0) return { batchItemFailures };
  for (const record of records) {
    if (failed.has(record.identifier!)) batchItemFailures.push({ itemIdentifier: record.identifier! });
  }
  return { batchItemFailures };
}
