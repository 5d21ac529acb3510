/**
 * Native Lambda events for the non-HTTP sources, built from the kit's neutral inputs the way AWS
 * builds them (field names and encodings as in AWS's documentation and test/fixtures/aws).
 */
import { randomUUID } from 'node:crypto';
import type { CloudEvent, StorageEventType } from '@polycloud/core';
import type { NeutralMessage, NeutralStorageChange } from '@polycloud/testing';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SENT = 1_772_600_000_000;

export function text(body: Uint8Array): string {
  return new TextDecoder().decode(body);
}

export function sqsRecord(
  m: {
    messageId: string;
    body: string;
    deliveryCount?: number;
    groupId?: string;
    attributes?: Record<string, string>;
  },
  queue: string,
  sequence?: number,
): Record<string, unknown> {
  const fifo = queue.endsWith('.fifo');
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(m.deliveryCount ?? 1),
    SentTimestamp: String(SENT),
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: String(SENT + 5),
  };
  if (fifo) {
    attributes.MessageGroupId = m.groupId ?? 'default';
    attributes.MessageDeduplicationId = m.messageId;
    attributes.SequenceNumber = String(18_000_000_000_000_000_000n + BigInt(sequence ?? 0));
  }
  const messageAttributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m.attributes ?? {})) {
    messageAttributes[k] = { stringValue: v, stringListValues: [], binaryListValues: [], dataType: 'String' };
  }
  return {
    messageId: m.messageId,
    receiptHandle: `AQEB${Buffer.from(m.messageId).toString('base64')}`,
    body: m.body,
    attributes,
    messageAttributes,
    md5OfBody: '00000000000000000000000000000000',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:${queue}`,
    awsRegion: REGION,
  };
}

/** The JSON an SNS topic writes for one notification (also an SQS body without raw delivery). */
export function snsNotification(m: NeutralMessage, topic: string): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m.attributes ?? {})) attrs[k] = { Type: 'String', Value: v };
  return {
    Type: 'Notification',
    MessageId: m.id,
    TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${topic}`,
    Subject: null,
    Message: text(m.body),
    Timestamp: new Date(SENT).toISOString(),
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertUrl: `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-0000.pem`,
    UnsubscribeUrl: `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe`,
    MessageAttributes: attrs,
  };
}

export function snsEvent(m: NeutralMessage, topic: string): Record<string, unknown> {
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${topic}:${randomUUID()}`,
        EventSource: 'aws:sns',
        Sns: snsNotification(m, topic),
      },
    ],
  };
}

export function kinesisRecord(
  m: NeutralMessage,
  stream: string,
  sequenceNumber: string,
): Record<string, unknown> {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: m.groupId ?? 'default',
      sequenceNumber,
      data: Buffer.from(m.body).toString('base64'),
      approximateArrivalTimestamp: SENT / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: m.id,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${ACCOUNT}:role/lambda-role`,
    awsRegion: REGION,
    eventSourceARN: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${stream}`,
  };
}

/** S3 writes keys URL-encoded like a form value: space → `+`, everything else reserved → `%XX`. */
export function s3EncodeKey(key: string): string {
  return encodeURIComponent(key).replaceAll('%20', '+').replaceAll('%2F', '/');
}

const NOTIFICATION_NAMES: Record<StorageEventType, string> = {
  created: 'ObjectCreated:Put',
  deleted: 'ObjectRemoved:Delete',
  archived: 'LifecycleTransition',
  metadataUpdated: 'ObjectTagging:Put',
};

export function s3Record(change: NeutralStorageChange): Record<string, unknown> {
  const object: Record<string, unknown> = { key: s3EncodeKey(change.key), sequencer: '0055AED6DCD90281E5' };
  if (change.size !== undefined) object.size = change.size;
  if (change.etag !== undefined) object.eTag = change.etag;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: REGION,
    eventTime: new Date(SENT).toISOString(),
    eventName: NOTIFICATION_NAMES[change.type],
    userIdentity: { principalId: 'AWS:EXAMPLE' },
    requestParameters: { sourceIPAddress: '203.0.113.7' },
    responseElements: { 'x-amz-request-id': randomUUID().slice(0, 16), 'x-amz-id-2': 'EXAMPLE' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'polycloud',
      bucket: {
        name: change.bucket,
        ownerIdentity: { principalId: 'EXAMPLE' },
        arn: `arn:aws:s3:::${change.bucket}`,
      },
      object,
    },
  };
}

const EVENTBRIDGE_S3_TYPES: Record<StorageEventType, string> = {
  created: 'Object Created',
  deleted: 'Object Deleted',
  archived: 'Object Storage Class Changed',
  metadataUpdated: 'Object Tags Added',
};

export function s3EventBridgeEvent(change: NeutralStorageChange): Record<string, unknown> {
  const object: Record<string, unknown> = { key: s3EncodeKey(change.key), sequencer: '0055AED6DCD90281E5' };
  if (change.size !== undefined) object.size = change.size;
  if (change.etag !== undefined) object.etag = change.etag;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': EVENTBRIDGE_S3_TYPES[change.type],
    source: 'aws.s3',
    account: ACCOUNT,
    time: '2026-03-04T05:06:07Z',
    region: REGION,
    resources: [`arn:aws:s3:::${change.bucket}`],
    detail: {
      version: '0',
      bucket: { name: change.bucket },
      object,
      'request-id': 'EXAMPLE',
      requester: ACCOUNT,
      reason: 'PutObject',
    },
  };
}

/** EventBridge writes whole-second timestamps without a fraction. */
function eventBridgeTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

export function scheduledEvent(scheduledTime: Date, rule: string): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time: eventBridgeTime(scheduledTime),
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/${rule}`],
    detail: {},
  };
}

export function eventBridgeEvent(ev: CloudEvent): Record<string, unknown> {
  return {
    version: '0',
    id: ev.id,
    'detail-type': ev.type,
    source: ev.source,
    account: ACCOUNT,
    time: ev.time ?? eventBridgeTime(new Date()),
    region: REGION,
    resources: ev.subject ? [ev.subject] : [],
    detail: ev.data ?? {},
  };
}
