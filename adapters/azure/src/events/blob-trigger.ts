import { InvalidEventError, type StorageEvent } from '@polycloud/core';
import { metaString, type TriggerMetadata, toDate } from './trigger-metadata.ts';

/**
 * A blob trigger invocation → StorageEvent. The trigger fires for new and updated blobs only (never
 * deletes), so the type is always `created`. Metadata: `blobTrigger` = `<container>/<name>`, `uri`,
 * `properties` (`contentLength`, `contentType`, `eTag`, `lastModified`, `versionId`). The trigger has no
 * event id: the invocation id stands in. The blob content itself is not part of the neutral event.
 */
export function storageEventFromBlob(meta: TriggerMetadata, invocationId: string): StorageEvent {
  const path = metaString(meta, 'blobTrigger');
  // Stryker disable next-line UnaryOperator: without a path the `!path` test below refuses it whatever slash is
  const slash = path ? path.indexOf('/') : -1;
  if (!path || slash <= 0 || slash === path.length - 1) {
    throw new InvalidEventError('expected "<container>/<blob name>"', 'triggerMetadata.blobTrigger');
  }
  const props = (meta?.properties ?? {}) as Record<string, unknown>;
  const out: StorageEvent = {
    id: invocationId,
    type: 'created',
    bucket: path.slice(0, slash),
    key: path.slice(slash + 1),
    raw: meta,
  };
  const size = props.contentLength ?? props.length;
  if (typeof size === 'number') out.size = size;
  if (typeof props.eTag === 'string') out.etag = props.eTag;
  if (typeof props.contentType === 'string') out.contentType = props.contentType;
  if (typeof props.versionId === 'string') out.versionId = props.versionId;
  const time = toDate(props.lastModified);
  if (time) out.time = time;
  return out;
}
