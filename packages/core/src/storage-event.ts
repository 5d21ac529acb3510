/**
 * The kinds of storage change a `storage()` function can ask for.
 *
 * @example
 * storage('uploads', handler, { events: ['created', 'deleted'] satisfies StorageEventType[] });
 */
export type StorageEventType = 'created' | 'deleted' | 'archived' | 'metadataUpdated';
export const STORAGE_EVENT_TYPES: readonly StorageEventType[] = [
  'created',
  'deleted',
  'archived',
  'metadataUpdated',
];

/**
 * An object changed in a bucket (S3), container (Blob Storage) or bucket (GCS).
 *
 * @example
 * storage('uploads', (ev: StorageEvent) => console.log(ev.type, ev.bucket, ev.key, ev.size));
 */
export interface StorageEvent {
  id: string;
  type: StorageEventType;
  bucket: string;
  /** The object key, decoded exactly once (S3 sends it URL-encoded with `+` for space). */
  key: string;
  size?: number;
  etag?: string;
  contentType?: string;
  versionId?: string;
  time?: Date;
  raw?: unknown;
}
