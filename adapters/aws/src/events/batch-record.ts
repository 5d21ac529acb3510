import type { InvalidEventError } from '@polycloud/core';

/**
 * One record of a Lambda batch after translation: the neutral value(s), or why it could not be read.
 * `identifier` is what `batchItemFailures[].itemIdentifier` must carry for it (SQS messageId, Kinesis
 * and DynamoDB sequence number); `path` names it in logs (`Records[3]`).
 */
export interface BatchRecord<T> {
  identifier: string | undefined;
  path: string;
  value: T | InvalidEventError;
}
