import { InvalidEventError, Message } from '@polycloud/core';
import { fromBase64 } from '@polycloud/core/adapter';
import { arnResourceName } from '../clients/arn-name.ts';
import type { BatchRecord } from './batch-record.ts';
import { isObject } from './records-source.ts';

/**
 * `Records[i]` of a Kinesis Data Streams batch: data is base64 (decoded when read), the partition key
 * is the ordering group, and the sequence number is both the position and Lambda's itemIdentifier.
 */
export function kinesisRecord(record: unknown, index: number): BatchRecord<Message> {
  const path = `Records[${index}]`;
  if (!isObject(record) || !isObject(record.kinesis)) {
    return {
      identifier: undefined,
      path,
      value: new InvalidEventError('must hold a kinesis object', `${path}.kinesis`),
    };
  }
  const k = record.kinesis;
  const sequence =
    typeof k.sequenceNumber === 'string' && k.sequenceNumber !== '' ? k.sequenceNumber : undefined;
  if (!sequence) {
    return {
      identifier: undefined,
      path,
      value: new InvalidEventError('must be a string', `${path}.kinesis.sequenceNumber`),
    };
  }
  if (typeof k.data !== 'string') {
    return {
      identifier: sequence,
      path,
      value: new InvalidEventError('must be a base64 string', `${path}.kinesis.data`),
    };
  }
  const data = k.data;
  const arrival = Number(k.approximateArrivalTimestamp);
  return {
    identifier: sequence,
    path,
    value: new Message({
      id: typeof record.eventID === 'string' ? record.eventID : sequence,
      body: () => {
        const bytes = fromBase64(data);
        if (!bytes) throw new InvalidEventError('is not valid base64', `${path}.kinesis.data`);
        return bytes;
      },
      // Kinesis gives the arrival time in epoch seconds with a fraction.
      enqueuedAt: Number.isFinite(arrival) && arrival > 0 ? new Date(arrival * 1000) : undefined,
      source: arnResourceName(record.eventSourceARN),
      groupId: typeof k.partitionKey === 'string' ? k.partitionKey : undefined,
      sequence,
      raw: record,
    }),
  };
}
