import { InvalidEventError, type StorageEvent, type StorageEventType } from '@polycloud/core';
import { parseJson } from '@polycloud/core/adapter';
import { clip } from '../clip.ts';
import { isEventBridge, isObject, type JsonObject } from './records-source.ts';
import { isSnsNotification } from './sns.ts';

/**
 * S3 object keys arrive URL-encoded with `+` for a space (`red+flower.jpg`, `a%2Bb` for `a+b`), in
 * notifications and in EventBridge events alike: decoded here exactly once.
 */
export function decodeS3Key(key: unknown, path: string): string {
  if (typeof key !== 'string') throw new InvalidEventError('must be a string', path);
  const spaced = key.includes('+') ? key.replaceAll('+', ' ') : key;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw new InvalidEventError(`malformed percent-encoding in object key "${clip(key)}"`, path);
  }
}

/** Notification `eventName` (`ObjectCreated:Put`) → neutral type; undefined = nothing neutral to report. */
function notificationType(eventName: string): StorageEventType | undefined {
  const name = eventName.startsWith('s3:') ? eventName.slice(3) : eventName;
  if (name.startsWith('ObjectCreated:')) return 'created';
  if (name.startsWith('ObjectRemoved:') || name.startsWith('LifecycleExpiration:')) return 'deleted';
  if (name === 'LifecycleTransition') return 'archived';
  if (name.startsWith('ObjectTagging:') || name.startsWith('ObjectAcl:')) return 'metadataUpdated';
  // ObjectRestore:*, Replication:*, IntelligentTiering, ReducedRedundancyLostObject.
  return undefined;
}

const EVENTBRIDGE_TYPES: Record<string, StorageEventType> = {
  'Object Created': 'created',
  'Object Deleted': 'deleted',
  'Object Storage Class Changed': 'archived',
  'Object Tags Added': 'metadataUpdated',
  'Object Tags Deleted': 'metadataUpdated',
  'Object ACL Updated': 'metadataUpdated',
};

/** What a storage function does with one S3 change: run the handler, or acknowledge it unrun. */
export type S3Change = { event: StorageEvent } | { skip: string };

/** One `Records[i]` of an S3 notification (direct, or inside an SQS/SNS body). */
export function s3NotificationChange(record: unknown, path: string): S3Change {
  if (!isObject(record) || !isObject(record.s3))
    throw new InvalidEventError('must hold an s3 object', `${path}.s3`);
  const { bucket, object } = record.s3;
  if (!isObject(bucket) || typeof bucket.name !== 'string')
    throw new InvalidEventError('must be a string', `${path}.s3.bucket.name`);
  if (!isObject(object)) throw new InvalidEventError('must be an object', `${path}.s3.object`);
  if (typeof record.eventName !== 'string')
    throw new InvalidEventError('must be a string', `${path}.eventName`);
  const type = notificationType(record.eventName);
  if (!type) return { skip: `S3 event "${clip(record.eventName)}" has no neutral storage event type` };
  const key = decodeS3Key(object.key, `${path}.s3.object.key`);
  const response = isObject(record.responseElements) ? record.responseElements : {};
  const requestId =
    typeof response['x-amz-request-id'] === 'string' ? response['x-amz-request-id'] : undefined;
  const sequencer = typeof object.sequencer === 'string' ? object.sequencer : undefined;
  return {
    event: storageEvent({
      // S3 notifications carry no event id: the request id and the per-object sequencer identify one.
      id: [requestId, sequencer].filter(Boolean).join(':') || `${bucket.name}/${key}`,
      type,
      bucket: bucket.name,
      key,
      size: object.size,
      etag: object.eTag,
      versionId: object.versionId,
      time: record.eventTime,
      raw: record,
    }),
  };
}

/** An S3 event delivered through EventBridge (`source: aws.s3`). */
export function s3EventBridgeChange(event: JsonObject, path = 'event'): S3Change {
  const detailType = event['detail-type'] as string;
  // Own keys only: a detail-type named after an Object.prototype member is no type.
  const type = Object.hasOwn(EVENTBRIDGE_TYPES, detailType) ? EVENTBRIDGE_TYPES[detailType] : undefined;
  if (!type) return { skip: `S3 EventBridge event "${clip(detailType)}" has no neutral storage event type` };
  const detail = event.detail;
  if (!isObject(detail)) throw new InvalidEventError('must be an object', `${path}.detail`);
  const { bucket, object } = detail;
  if (!isObject(bucket) || typeof bucket.name !== 'string')
    throw new InvalidEventError('must be a string', `${path}.detail.bucket.name`);
  if (!isObject(object)) throw new InvalidEventError('must be an object', `${path}.detail.object`);
  return {
    event: storageEvent({
      id: typeof event.id === 'string' ? event.id : '',
      type,
      bucket: bucket.name,
      key: decodeS3Key(object.key, `${path}.detail.object.key`),
      size: object.size,
      etag: object.etag,
      versionId: object['version-id'],
      time: event.time,
      raw: event,
    }),
  };
}

export function isS3EventBridge(event: JsonObject): boolean {
  return isEventBridge(event) && event.source === 'aws.s3';
}

/**
 * The S3 changes inside a message body: an S3 notification (S3 → SQS/SNS), an SNS envelope around
 * one (S3 → SNS → SQS), an S3 event from EventBridge (EventBridge → SQS), or S3's `s3:TestEvent`
 * (sent once when a notification is configured: acknowledged, nothing to handle).
 */
export function s3ChangesInBody(text: string, path: string): S3Change[] {
  const value = parseJson(text, path);
  if (!isObject(value)) throw new InvalidEventError('must be a JSON object holding an S3 event', path);
  if (value.Event === 's3:TestEvent')
    return [{ skip: 'S3 test event sent when the notification was configured' }];
  if (Array.isArray(value.Records)) {
    return value.Records.map((r, i) => s3NotificationChange(r, `${path}.Records[${i}]`));
  }
  if (isSnsNotification(value)) return s3ChangesInBody(value.Message as string, `${path}.Message`);
  if (isS3EventBridge(value)) return [s3EventBridgeChange(value, path)];
  throw new InvalidEventError(
    `holds no S3 event (keys: ${
      Object.keys(value)
        .slice(0, 10)
        .map((k) => clip(k, 40))
        .join(', ') || 'none'
    })`,
    path,
  );
}

function storageEvent(f: {
  id: string;
  type: StorageEventType;
  bucket: string;
  key: string;
  size: unknown;
  etag: unknown;
  versionId: unknown;
  time: unknown;
  raw: unknown;
}): StorageEvent {
  const event: StorageEvent = { id: f.id, type: f.type, bucket: f.bucket, key: f.key };
  if (typeof f.size === 'number' && Number.isFinite(f.size)) event.size = f.size;
  if (typeof f.etag === 'string' && f.etag !== '') event.etag = f.etag;
  if (typeof f.versionId === 'string' && f.versionId !== '') event.versionId = f.versionId;
  if (typeof f.time === 'string') {
    const time = new Date(f.time);
    if (!Number.isNaN(time.getTime())) event.time = time;
  }
  event.raw = f.raw;
  return event;
}
