import { type HttpHeaders, InvalidEventError, Message } from '@polycloud/core';

/**
 * A Cloud Tasks HTTP-target request → Message. The task's payload is the request body, its
 * identity and retry state are headers (X-CloudTasks-TaskName, -QueueName, -TaskRetryCount,
 * -TaskETA as epoch seconds). A non-2xx answer makes Cloud Tasks retry it per the queue's policy.
 */
export function messageFromTask(headers: HttpHeaders, body: Uint8Array): Message {
  const id = headers.get('x-cloudtasks-taskname');
  if (!id) throw new InvalidEventError('missing task name', 'headers.x-cloudtasks-taskname');
  const queue = headers.get('x-cloudtasks-queuename');
  if (!queue) throw new InvalidEventError('missing queue name', 'headers.x-cloudtasks-queuename');
  const retries = headers.get('x-cloudtasks-taskretrycount') ?? '0';
  // Retry count counts earlier attempts (0 on the first), so the delivery count is one more.
  if (!/^\d+$/.test(retries))
    throw new InvalidEventError('must be a non-negative integer', 'headers.x-cloudtasks-taskretrycount');
  const eta = headers.get('x-cloudtasks-tasketa');
  let enqueuedAt: Date | undefined;
  if (eta !== undefined) {
    const seconds = Number(eta);
    if (!Number.isFinite(seconds))
      throw new InvalidEventError('must be epoch seconds', 'headers.x-cloudtasks-tasketa');
    enqueuedAt = new Date(Math.round(seconds * 1000));
  }
  const contentType = headers.get('content-type');
  return new Message({
    id,
    body,
    deliveryCount: Number(retries) + 1,
    enqueuedAt,
    source: queue,
    contentType,
    raw: { headers: headers.toJSON() },
  });
}
