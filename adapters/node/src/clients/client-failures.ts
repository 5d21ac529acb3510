import { FunctionInvokeError, QueueSendError, TopicPublishError } from '@polycloud/core';
import { toError } from '@polycloud/core/adapter';

/**
 * The errors the node runtime's clients reject with, built here: the clients import this module on
 * their first failure. The error classes are core's `client-errors.ts`, which brands each class in a
 * static block when it loads; imported by the clients themselves, it sat in every node server's
 * startup file and ran at every cold start (issue 12), where only a failed send, publish or call
 * needs it.
 */

/** A send the broker could not store, the broker's error as `cause`. */
export function queueSendFailed(queue: string, cause: unknown): QueueSendError {
  return new QueueSendError(queue, { cause });
}

/** A publish the broker could not store, the broker's error as `cause`. */
export function topicPublishFailed(topic: string, cause: unknown): TopicPublishError {
  return new TopicPublishError(topic, { cause });
}

/**
 * An in-process call that failed, as every provider's FunctionClient reports it: a
 * `FunctionInvokeError` naming the target's error type (an http target's error status already is one),
 * the target's own error as `cause`.
 */
export function invokeFailure(name: string, error: unknown): FunctionInvokeError {
  if (error instanceof FunctionInvokeError) return error;
  const e = toError(error);
  return new FunctionInvokeError(name, e.name, e.message, undefined, { cause: error });
}
