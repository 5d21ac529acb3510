import { join, resolve } from 'node:path';
import { ConfigError } from '@polycloud/core';
import type { AppRuntime } from '@polycloud/core/adapter';
import { bucketResolver } from '@polycloud/core/clients/storage-buckets';
import type { MessageBroker } from '../events/message-broker.ts';
import { FolderStorage, type FolderUrlSigner } from './folder-storage.ts';

/** JSON `{ logicalName: folderName }` for Storage buckets, merged under `providers.node.buckets`. */
export const BUCKETS_ENV = 'POLYCLOUD_NODE_BUCKETS';

/**
 * A runtime's folder Storage (see provider.ts's `folderStorageFor`, which imports this module on
 * first use, so a server that never touches Storage does not parse it): objects live under
 * `storageDir` (option, else `providers.node.storageDir`, else `.polycloud/storage` in the working
 * directory); puts and deletes notify the app's storage functions of that bucket through the broker.
 *
 * @example
 * const storage = runtimeFolderStorage(runtime, undefined, { baseUrl: () => url, secret }, brokerFor(runtime));
 */
export function runtimeFolderStorage(
  runtime: AppRuntime,
  storageDir: string | undefined,
  signer: FolderUrlSigner,
  broker: MessageBroker,
): FolderStorage {
  const bucket = bucketResolver(runtime.config, 'node', BUCKETS_ENV);
  return new FolderStorage({
    root: storageRoot(runtime, storageDir),
    bucket,
    signer,
    onChange: (event) => {
      const targets = [...runtime.functions.values()].filter(
        (f) =>
          f.def.kind === 'storage' &&
          bucket(f.def.bucket) === event.bucket &&
          f.def.events.includes(event.type),
      );
      if (targets.length > 0) broker.notify(targets, event);
    },
  });
}

function storageRoot(runtime: AppRuntime, explicit: string | undefined): string {
  if (explicit) return resolve(explicit);
  const configured = runtime.config.providers.node?.storageDir;
  if (configured !== undefined && (typeof configured !== 'string' || configured === ''))
    throw new ConfigError('providers.node.storageDir must be a folder path');
  return resolve(configured ?? join('.polycloud', 'storage'));
}
