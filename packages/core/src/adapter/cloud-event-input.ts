import { utf8 } from '../bytes.ts';
import { type CloudEvent, cloudEventExtensions } from '../cloud-event.ts';
import { InvalidEventError } from '../errors.ts';
import { Message } from '../message.ts';
import { STORAGE_EVENT_TYPES, type StorageEvent, type StorageEventType } from '../storage-event.ts';

/**
 * A CloudEvent's `data` as message bytes: absent data is an empty body, bytes stay bytes, text is
 * UTF-8, anything else JSON.
 */
export function cloudEventDataBytes(data: unknown): Uint8Array {
  if (data === undefined || data === null) return new Uint8Array(0);
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') return utf8(data);
  return utf8(JSON.stringify(data));
}

/**
 * A CloudEvent delivered to a queue or topic function as a neutral `Message`: extensions become
 * message attributes; `deliverycount` and `partitionkey` are read when present.
 *
 * @example
 * const message = messageFromCloudEvent(cloudEventFromHttp(headers, body), 'orders');
 */
export function messageFromCloudEvent(ev: CloudEvent, source: string): Message {
  const attributes: Record<string, string> = {};
  const extensions = cloudEventExtensions(ev);
  for (const key in extensions) attributes[key] = String(extensions[key]);
  const deliveryCount = Number(extensions.deliverycount ?? 1);
  return new Message({
    id: ev.id,
    body: cloudEventDataBytes(ev.data),
    attributes,
    deliveryCount: Number.isInteger(deliveryCount) && deliveryCount > 0 ? deliveryCount : 1,
    enqueuedAt: ev.time ? new Date(ev.time) : undefined,
    source,
    groupId: typeof extensions.partitionkey === 'string' ? extensions.partitionkey : undefined,
    contentType: ev.datacontenttype,
    raw: ev,
  });
}

const TYPE_SUFFIX: Record<string, StorageEventType> = {
  created: 'created',
  finalized: 'created',
  deleted: 'deleted',
  archived: 'archived',
  metadataupdated: 'metadataUpdated',
};

/**
 * A storage change delivered as a CloudEvent: type `*.created|finalized|deleted|archived|metadataUpdated`, data `{ bucket, key, ... }`; throws `InvalidEventError` when the
 * change or the key cannot be told.
 */
export function storageEventFromCloudEvent(ev: CloudEvent, defaultBucket: string): StorageEvent {
  const suffix = ev.type.slice(ev.type.lastIndexOf('.') + 1).toLowerCase();
  const data = (
    typeof ev.data === 'object' && ev.data !== null && !(ev.data instanceof Uint8Array) ? ev.data : {}
  ) as Record<string, unknown>;
  const type =
    // Own keys only: a type ending in ".constructor" is no storage change.
    (Object.hasOwn(TYPE_SUFFIX, suffix) ? TYPE_SUFFIX[suffix] : undefined) ??
    (STORAGE_EVENT_TYPES.includes(data.type as StorageEventType)
      ? (data.type as StorageEventType)
      : undefined);
  if (!type) {
    throw new InvalidEventError(
      `cannot tell the storage change from type "${ev.type}" (expected a type ending in .created, .deleted, .archived or .metadataUpdated)`,
      'type',
    );
  }
  const key = data.key ?? data.name;
  if (typeof key !== 'string' || key === '')
    throw new InvalidEventError('a storage event needs the object key', 'data.key');
  const out: StorageEvent = {
    id: ev.id,
    type,
    bucket: typeof data.bucket === 'string' ? data.bucket : defaultBucket,
    key,
    raw: ev,
  };
  // A number, or an int64 as a string of digits (Cloud Storage): `Number()` would read null, "" and true as sizes.
  const size = typeof data.size === 'string' && /^\d+$/.test(data.size) ? Number(data.size) : data.size;
  if (Number.isFinite(size)) out.size = size as number; // Number.isFinite is false for every non-number
  if (typeof data.etag === 'string') out.etag = data.etag;
  if (typeof data.contentType === 'string') out.contentType = data.contentType;
  if (ev.time) out.time = new Date(ev.time);
  return out;
}
