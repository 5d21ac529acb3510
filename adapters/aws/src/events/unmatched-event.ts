import { InvalidEventError } from '@polycloud/core';
import type { CompiledFunction } from '@polycloud/core/adapter';
import { describeEvent, topLevelKeys } from './event-source-name.ts';

/** What each trigger kind accepts on Lambda, for the error an unmatched event raises. */
export const ACCEPTED_SOURCES: Record<string, string> = {
  http: 'API Gateway REST (v1) and HTTP API (v2) requests, ALB requests and Lambda Function URL requests',
  queue: 'SQS, Kinesis and DynamoDB Streams batches',
  topic: 'SNS notifications and SQS batches of SNS messages',
  storage: 'S3 notifications (direct, via SQS, via SNS) and S3 events via EventBridge',
  schedule: 'EventBridge scheduled events (rules and EventBridge Scheduler)',
  event: 'EventBridge events',
};

/**
 * The error for an event no source of the function accepts: it names the function, its trigger kind,
 * what the event looks like and the keys it has, so a wiring mistake is found from one log line.
 */
export function unmatchedEvent(
  fn: Pick<CompiledFunction, 'name' | 'def'>,
  event: unknown,
): InvalidEventError {
  const kind = fn.def.kind;
  const what = describeEvent(event);
  return new InvalidEventError(
    `function "${fn.name}" (${kind} trigger) accepts ${ACCEPTED_SOURCES[kind]}; ` +
      `got ${what ? `${what} with ` : ''}${topLevelKeys(event)}`,
    'event',
  );
}
