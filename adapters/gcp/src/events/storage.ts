import {
  type CloudEvent,
  InvalidEventError,
  type StorageEvent,
  type StorageEventType,
} from '@polycloud/core';

const TYPES: Record<string, StorageEventType> = {
  'google.cloud.storage.object.v1.finalized': 'created',
  'google.cloud.storage.object.v1.deleted': 'deleted',
  'google.cloud.storage.object.v1.archived': 'archived',
  'google.cloud.storage.object.v1.metadataUpdated': 'metadataUpdated',
};

/** `google.cloud.storage.object.v1.*` (StorageObjectData) → StorageEvent. */
export function storageEventFromCloudEvent(ev: CloudEvent): StorageEvent {
  // Own keys only: a type named after an Object.prototype member ("constructor") is unknown.
  const type = Object.hasOwn(TYPES, ev.type) ? TYPES[ev.type] : undefined;
  if (!type)
    throw new InvalidEventError(
      `expected a google.cloud.storage.object.v1.* event, got "${ev.type}"`,
      'event.type',
    );
  const data = ev.data;
  if (typeof data !== 'object' || data === null || data instanceof Uint8Array || Array.isArray(data))
    throw new InvalidEventError('expected a StorageObjectData JSON object', 'event.data');
  const d = data as Record<string, unknown>;
  // Object names arrive as plain text in JSON (no URL-encoding, unlike S3 keys).
  if (typeof d.bucket !== 'string' || d.bucket === '')
    throw new InvalidEventError('missing bucket', 'event.data.bucket');
  if (typeof d.name !== 'string' || d.name === '')
    throw new InvalidEventError('missing name', 'event.data.name');
  const out: StorageEvent = { id: ev.id, type, bucket: d.bucket, key: d.name, raw: ev };
  // int64 fields (size, generation) are strings in the proto3 JSON mapping; some samples use numbers.
  if (d.size !== undefined) {
    const size = Number(d.size);
    if (!Number.isSafeInteger(size) || size < 0)
      throw new InvalidEventError('must be a non-negative integer', 'event.data.size');
    out.size = size;
  }
  if (typeof d.etag === 'string') out.etag = d.etag;
  if (typeof d.contentType === 'string') out.contentType = d.contentType;
  if (typeof d.generation === 'string' || typeof d.generation === 'number')
    out.versionId = String(d.generation);
  const time = ev.time ?? (typeof d.updated === 'string' ? d.updated : undefined);
  if (time) out.time = new Date(time);
  return out;
}
