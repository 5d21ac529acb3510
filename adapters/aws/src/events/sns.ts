import { InvalidEventError, Message } from '@polycloud/core';
import { queueOrTopicName } from '../clients/arn-name.ts';
import type { BatchRecord } from './batch-record.ts';
import { decodeBody } from './body-encoding.ts';
import { snsMessageAttributes } from './message-attributes.ts';
import { isObject, type JsonObject } from './records-source.ts';

/**
 * An SNS notification as SNS writes it: inside a direct Lambda event (`Records[i].Sns`) and, with raw
 * message delivery off, as the JSON body of an SQS message. Same fields, same meaning.
 */
export function isSnsNotification(value: unknown): value is JsonObject {
  return (
    isObject(value) &&
    value.Type === 'Notification' &&
    typeof value.MessageId === 'string' &&
    typeof value.TopicArn === 'string' &&
    typeof value.Message === 'string'
  );
}

export interface SnsDelivery {
  deliveryCount?: number;
  groupId?: string;
  raw: unknown;
}

/** The notification as a Message; a byte body (`polycloud-body-encoding`) that is not base64 is rejected at `path`. */
export function messageFromSns(
  sns: JsonObject,
  path: string,
  delivery: SnsDelivery,
): Message | InvalidEventError {
  const decoded = decodeBody(sns.Message as string, snsMessageAttributes(sns.MessageAttributes), path);
  if (decoded instanceof InvalidEventError) return decoded;
  const time = typeof sns.Timestamp === 'string' ? new Date(sns.Timestamp) : undefined;
  return new Message({
    id: sns.MessageId as string,
    body: decoded.body,
    attributes: decoded.attributes,
    deliveryCount: delivery.deliveryCount,
    enqueuedAt: time && !Number.isNaN(time.getTime()) ? time : undefined,
    source: queueOrTopicName(sns.TopicArn),
    groupId: delivery.groupId ?? (typeof sns.MessageGroupId === 'string' ? sns.MessageGroupId : undefined),
    sequence: typeof sns.SequenceNumber === 'string' ? sns.SequenceNumber : undefined,
    raw: delivery.raw,
  });
}

/** `Records[i]` of a direct SNS → Lambda event. */
export function snsRecord(record: unknown, index: number): BatchRecord<Message> {
  const path = `Records[${index}]`;
  if (!isObject(record) || !isObject(record.Sns)) {
    return {
      identifier: undefined,
      path,
      value: new InvalidEventError('must hold an Sns object', `${path}.Sns`),
    };
  }
  const sns = record.Sns;
  const id = typeof sns.MessageId === 'string' ? sns.MessageId : undefined;
  if (!isSnsNotification({ Type: 'Notification', ...sns })) {
    return {
      identifier: id,
      path,
      value: new InvalidEventError('must carry string MessageId, TopicArn and Message', `${path}.Sns`),
    };
  }
  return { identifier: id, path, value: messageFromSns(sns, `${path}.Sns.Message`, { raw: record }) };
}
