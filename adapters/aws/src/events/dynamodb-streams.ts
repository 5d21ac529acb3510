import { InvalidEventError, Message } from '@polycloud/core';
import { utf8 } from '@polycloud/core/adapter';
import { arnResourceName } from '../clients/arn-name.ts';
import type { BatchRecord } from './batch-record.ts';
import { isObject } from './records-source.ts';

/**
 * `Records[i]` of a DynamoDB Streams batch as a message: the body is the `dynamodb` change record as
 * JSON (Keys, NewImage, OldImage in DynamoDB's typed attribute format), the event name (INSERT,
 * MODIFY, REMOVE) an attribute, the stream sequence number the position and itemIdentifier.
 */
export function dynamodbRecord(record: unknown, index: number): BatchRecord<Message> {
  const path = `Records[${index}]`;
  if (!isObject(record) || !isObject(record.dynamodb)) {
    return {
      identifier: undefined,
      path,
      value: new InvalidEventError('must hold a dynamodb object', `${path}.dynamodb`),
    };
  }
  const change = record.dynamodb;
  const sequence =
    typeof change.SequenceNumber === 'string' && change.SequenceNumber !== ''
      ? change.SequenceNumber
      : undefined;
  if (!sequence) {
    return {
      identifier: undefined,
      path,
      value: new InvalidEventError('must be a string', `${path}.dynamodb.SequenceNumber`),
    };
  }
  // Epoch seconds.
  const created = Number(change.ApproximateCreationDateTime);
  const attributes: Record<string, string> = {};
  if (typeof record.eventName === 'string') attributes.eventName = record.eventName;
  if (typeof change.StreamViewType === 'string') attributes.streamViewType = change.StreamViewType;
  return {
    identifier: sequence,
    path,
    value: new Message({
      id: typeof record.eventID === 'string' ? record.eventID : sequence,
      body: () => utf8(JSON.stringify(change)),
      attributes,
      enqueuedAt: Number.isFinite(created) && created > 0 ? new Date(created * 1000) : undefined,
      source: arnResourceName(record.eventSourceARN),
      sequence,
      contentType: 'application/json',
      raw: record,
    }),
  };
}
