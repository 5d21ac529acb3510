import { InvalidEventError, Message } from '@polycloud/core';
import { parseJson } from '@polycloud/core/adapter';
import { batchQueueNames, queueOrTopicName } from '../clients/arn-name.ts';
import type { BatchRecord } from './batch-record.ts';
import { BODY_ENCODING_ATTRIBUTE, decodeBody } from './body-encoding.ts';
import { sqsMessageAttributes } from './message-attributes.ts';
import { isObject, type JsonObject } from './records-source.ts';
import { isSnsNotification, messageFromSns } from './sns.ts';

/** The checked fields of an SQS record, or the error naming the first bad one. */
export function sqsRecordFields(
  record: unknown,
  index: number,
): { record: JsonObject; id: string; body: string; attributes: JsonObject } | InvalidEventError {
  // Paths are spelled out only for an error: a batch of ten valid records builds none of them.
  if (!isObject(record)) return new InvalidEventError('must be an object', `Records[${index}]`);
  if (typeof record.messageId !== 'string' || record.messageId === '')
    return new InvalidEventError('must be a non-empty string', `Records[${index}].messageId`);
  if (typeof record.body !== 'string')
    return new InvalidEventError('must be a string', `Records[${index}].body`);
  const attributes = record.attributes ?? {};
  if (!isObject(attributes))
    return new InvalidEventError('must be an object', `Records[${index}].attributes`);
  return { record, id: record.messageId, body: record.body, attributes };
}

/** SQS FIFO queues end in `.fifo` (Lambda also passes MessageGroupId on every FIFO record). */
export function isFifoBatch(records: readonly unknown[]): boolean {
  const first = records[0];
  return (
    isObject(first) &&
    ((typeof first.eventSourceARN === 'string' && first.eventSourceARN.endsWith('.fifo')) ||
      (isObject(first.attributes) && typeof first.attributes.MessageGroupId === 'string'))
  );
}

/**
 * `Records[i]` of an SQS batch as the queue message it is. `queueName` reads the source queue's name
 * from the record's ARN; a batch passes one made by `batchQueueNames` (see `sqsRecordReader`).
 */
export function sqsRecord(
  record: unknown,
  index: number,
  queueName: (arn: unknown) => string = queueOrTopicName,
): BatchRecord<Message> {
  const fields = sqsRecordFields(record, index);
  if (fields instanceof InvalidEventError) {
    const id = isObject(record) && typeof record.messageId === 'string' ? record.messageId : undefined;
    return { identifier: id || undefined, path: recordPath(index), value: fields };
  }
  const { attributes } = fields;
  const messageAttributes = sqsMessageAttributes(fields.record.messageAttributes);
  let body: Uint8Array | string = fields.body;
  let visible = messageAttributes;
  if (messageAttributes?.[BODY_ENCODING_ATTRIBUTE] !== undefined) {
    const decoded = decodeBody(fields.body, messageAttributes, recordPath(index), '.body');
    if (decoded instanceof InvalidEventError)
      return { identifier: fields.id, path: recordPath(index), value: decoded };
    body = decoded.body;
    visible = decoded.attributes;
  }
  const sent = Number(attributes.SentTimestamp);
  return new ReadRecord(
    fields.id,
    index,
    new Message({
      id: fields.id,
      body,
      attributes: visible,
      deliveryCount: receiveCount(attributes),
      enqueuedAt: Number.isFinite(sent) && sent > 0 ? sent : undefined,
      source: queueName(fields.record.eventSourceARN),
      groupId: typeof attributes.MessageGroupId === 'string' ? attributes.MessageGroupId : undefined,
      sequence: typeof attributes.SequenceNumber === 'string' ? attributes.SequenceNumber : undefined,
      raw: record,
    }),
  );
}

function recordPath(index: number): string {
  return `Records[${index}]`;
}

/**
 * A record read into its message. Its path names it in a log line only, so it is spelled out when
 * read: building `Records[i]` for every record was ~5 % of an SQS×10 invocation.
 */
class ReadRecord implements BatchRecord<Message> {
  readonly identifier: string;
  readonly value: Message;
  readonly #index: number;

  constructor(identifier: string, index: number, value: Message) {
    this.identifier = identifier;
    this.#index = index;
    this.value = value;
  }

  get path(): string {
    return recordPath(this.#index);
  }
}

/** A reader of one SQS batch's records: `sqsRecord` with the queue name parsed once per batch. */
export function sqsRecordReader(): (record: unknown, index: number) => BatchRecord<Message> {
  const queueName = batchQueueNames();
  return (record, index) => sqsRecord(record, index, queueName);
}

/** A reader of one SQS batch's records for a topic function (`sqsTopicRecord`), as `sqsRecordReader`. */
export function sqsTopicRecordReader(): (record: unknown, index: number) => BatchRecord<Message> {
  const queueName = batchQueueNames();
  return (record, index) => sqsTopicRecord(record, index, queueName);
}

/**
 * `Records[i]` of an SQS batch for a topic function: an SNS → SQS subscription without raw message
 * delivery wraps each notification in a JSON envelope, unwrapped here so the handler sees the
 * published message (id, attributes, topic name). With raw delivery the body is the message itself.
 */
export function sqsTopicRecord(
  record: unknown,
  index: number,
  queueName: (arn: unknown) => string = queueOrTopicName,
): BatchRecord<Message> {
  const plain = sqsRecord(record, index, queueName);
  if (plain.value instanceof InvalidEventError) return plain;
  const body = (plain.value.raw as JsonObject).body as string;
  if (!body.includes('"Notification"')) return plain;
  let envelope: unknown;
  try {
    envelope = parseJson(body, `${plain.path}.body`);
  } catch {
    return plain;
  }
  if (!isSnsNotification(envelope)) return plain;
  const message = plain.value;
  return {
    identifier: plain.identifier,
    path: plain.path,
    value: messageFromSns(envelope, `${plain.path}.body.Message`, {
      deliveryCount: message.deliveryCount,
      groupId: message.groupId,
      raw: record,
    }),
  };
}

function receiveCount(attributes: JsonObject): number | undefined {
  const n = Number(attributes.ApproximateReceiveCount);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
