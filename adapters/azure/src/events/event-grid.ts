import {
  type CloudEvent,
  InvalidEventError,
  type StorageEvent,
  type StorageEventType,
} from '@polycloud/core';
import { fromBase64 } from '@polycloud/core/adapter';
import { validateCloudEvent } from '@polycloud/core/cloud-events';
import { toDate } from './trigger-metadata.ts';

/**
 * An Event Grid delivery → CloudEvent 1.0. Both schemas a subscription can use arrive here:
 * - CloudEvents schema (`specversion`): validated as is; `data_base64` becomes bytes;
 * - Event Grid schema (`eventType`): `id` → id, `topic` → source, `eventType` → type, `subject`,
 *   `eventTime` → time, `data`; a non-empty `dataVersion` becomes the `dataversion` extension.
 *   Event Grid data is always JSON, so `datacontenttype` is `application/json` when there is data.
 */
export function cloudEventFromEventGrid(value: unknown, where = 'event'): CloudEvent {
  const ev = asObject(value, where);
  if ('specversion' in ev) return fromCloudEventSchema(ev, where);
  if ('eventType' in ev) return fromEventGridSchema(ev, where);
  throw new InvalidEventError(
    'neither an Event Grid event (eventType) nor a CloudEvent (specversion)',
    where,
  );
}

function fromCloudEventSchema(ev: Record<string, unknown>, where: string): CloudEvent {
  const { data_base64, ...rest } = ev;
  const out = validateCloudEvent(rest, where);
  // Event Grid stamps `subject: ""` on events published without one; the spec wants it absent then.
  if (out.subject === '') delete out.subject;
  if (data_base64 !== undefined) {
    if (typeof data_base64 !== 'string')
      throw new InvalidEventError('must be a string', `${where}.data_base64`);
    const bytes = fromBase64(data_base64);
    if (!bytes) throw new InvalidEventError('not valid base64', `${where}.data_base64`);
    out.data = bytes;
  }
  return out;
}

function fromEventGridSchema(ev: Record<string, unknown>, where: string): CloudEvent {
  for (const key of ['id', 'topic', 'eventType'] as const) {
    if (typeof ev[key] !== 'string' || ev[key] === '')
      throw new InvalidEventError('must be a non-empty string', `${where}.${key}`);
  }
  const out: CloudEvent = {
    specversion: '1.0',
    id: ev.id as string,
    source: ev.topic as string,
    type: ev.eventType as string,
  };
  if (ev.subject !== undefined) {
    if (typeof ev.subject !== 'string') throw new InvalidEventError('must be a string', `${where}.subject`);
    if (ev.subject !== '') out.subject = ev.subject;
  }
  if (ev.eventTime !== undefined) {
    if (typeof ev.eventTime !== 'string' || Number.isNaN(Date.parse(ev.eventTime)))
      throw new InvalidEventError('must be an ISO 8601 timestamp', `${where}.eventTime`);
    out.time = ev.eventTime;
  }
  if (typeof ev.dataVersion === 'string' && ev.dataVersion !== '') out.dataversion = ev.dataVersion;
  if (ev.data !== undefined) {
    out.datacontenttype = 'application/json';
    out.data = ev.data;
  }
  return out;
}

const BLOB_SUBJECT = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/;

/**
 * A Blob Storage event from Event Grid (either schema) → StorageEvent. `BlobCreated` → created,
 * `BlobDeleted` → deleted, `BlobTierChanged` to the Archive tier → archived. Returns undefined for other
 * storage event types (directory events, tier changes to hot/cool), which the neutral model does not
 * carry: the adapter acknowledges them unrun. The blob name comes from `subject`, where it is not
 * percent-encoded (unlike `data.url`).
 */
export function storageEventFromEventGrid(value: unknown, where = 'event'): StorageEvent | undefined {
  const ce = cloudEventFromEventGrid(value, where);
  if (!ce.type.startsWith('Microsoft.Storage.')) {
    throw new InvalidEventError(`"${ce.type}" is not a Blob Storage event`, `${where}.type`);
  }
  const data = (typeof ce.data === 'object' && ce.data !== null ? ce.data : {}) as Record<string, unknown>;
  const type = storageType(ce.type, data);
  if (!type) return undefined;
  const m = BLOB_SUBJECT.exec(ce.subject ?? '');
  if (!m) {
    throw new InvalidEventError(
      'expected /blobServices/default/containers/<container>/blobs/<name>',
      `${where}.subject`,
    );
  }
  const out: StorageEvent = { id: ce.id, type, bucket: m[1]!, key: m[2]!, raw: value };
  if (typeof data.contentLength === 'number') out.size = data.contentLength;
  if (typeof data.eTag === 'string') out.etag = data.eTag;
  if (typeof data.contentType === 'string') out.contentType = data.contentType;
  if (typeof data.versionId === 'string') out.versionId = data.versionId;
  const time = toDate(ce.time);
  if (time) out.time = time;
  return out;
}

function storageType(type: string, data: Record<string, unknown>): StorageEventType | undefined {
  switch (type) {
    case 'Microsoft.Storage.BlobCreated':
      return 'created';
    case 'Microsoft.Storage.BlobDeleted':
      return 'deleted';
    case 'Microsoft.Storage.BlobTierChanged':
      return String(data.accessTier ?? '').toLowerCase() === 'archive' ? 'archived' : undefined;
    default:
      return undefined;
  }
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEventError('an Event Grid event must be a JSON object', where);
  }
  return value as Record<string, unknown>;
}
