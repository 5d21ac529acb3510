import { pipeline, Transform } from 'node:stream';
import type { BlobServiceClient } from '@azure/storage-blob';
import {
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type PolycloudConfig,
  type PutOptions,
  type SignedUrlOptions,
  type Storage,
  type StorageBody,
  StorageError,
  StorageNotFoundError,
  type StorageOperation,
  type StoredObject,
  type StoredObjectStream,
} from '@polycloud/core';
import {
  checkKey,
  checkListOptions,
  checkPutOptions,
  checkSignedUrlOptions,
  storageCall,
} from '@polycloud/core/clients/storage-arguments';
import { readAll, uploadBody } from '@polycloud/core/clients/storage-body';
import { bucketResolver } from '@polycloud/core/clients/storage-buckets';
import { connectionString, firstLine } from './connection-string.ts';

/** JSON `{ logicalName: containerName }`, as a deployment template sets it; `providers.azure.buckets` wins. */
export const BUCKETS_ENV = 'POLYCLOUD_AZURE_BUCKETS';
/** Stream uploads stage 4 MiB blocks, two at a time: 100 MiB never sits in memory. */
const BLOCK_BYTES = 4 * 1024 * 1024;
const CONCURRENCY = 2;
/** A block blob staged from a stream is at most 50 000 blocks. */
export const MAX_STREAM_BYTES = 50_000 * BLOCK_BYTES;

// One service client per cold start and connection string: the SDK parses the string and builds
// its HTTP pipeline once.
const clients = new Map<string, Promise<BlobServiceClient>>();

function serviceClient(connection: string): Promise<BlobServiceClient> {
  let client = clients.get(connection);
  if (!client) {
    // Imported on the first call: a function that never stores never loads @azure/storage-blob.
    client = import('@azure/storage-blob').then(({ BlobServiceClient, StorageRetryPolicyType }) =>
      BlobServiceClient.fromConnectionString(connection, {
        // Exponential backoff, 3 tries, as the SDK's default policy but stated.
        retryOptions: { maxTries: 3, retryPolicyType: StorageRetryPolicyType.EXPONENTIAL },
      }),
    );
    client.catch(() => clients.delete(connection));
    clients.set(connection, client);
  }
  return client;
}

/**
 * Storage over Azure Blob Storage block blobs (`@azure/storage-blob`), on the account whose
 * connection string is in the app setting `connectionSetting` (`providers.azure.connections.storage`,
 * default `AzureWebJobsStorage`). Logical buckets map to containers through `providers.azure.buckets`
 * / `POLYCLOUD_AZURE_BUCKETS`. Signed URLs are service SAS URLs signed with the account key of the
 * connection string (`r` for GET, `cw` for PUT; the uploader sends `x-ms-blob-type: BlockBlob`).
 */
export function createBlobStorage(
  config: PolycloudConfig,
  connectionSetting: string,
  env: NodeJS.ProcessEnv = process.env,
): Storage {
  const containerName = bucketResolver(config, 'azure', BUCKETS_ENV, env);
  const blob = async (bucket: string, key: string, where: string) => {
    const service = await serviceClient(connectionString(connectionSetting, env, where, 'storage'));
    return service.getContainerClient(containerName(bucket)).getBlockBlobClient(key);
  };

  async function open(
    operation: 'get' | 'getStream',
    bucket: string,
    key: string,
  ): Promise<StoredObjectStream> {
    const where = storageCall(operation, bucket, key);
    checkKey(key, where);
    const client = await blob(bucket, key, where);
    try {
      const out = await client.download();
      return {
        bucket: containerName(bucket),
        key,
        size: out.contentLength ?? 0,
        contentType: out.contentType,
        etag: unquote(out.etag),
        lastModified: out.lastModified,
        metadata: out.metadata ?? {},
        body: out.readableStreamBody as StoredObjectStream['body'],
      };
    } catch (error) {
      throw blobError(operation, bucket, key, error, where);
    }
  }

  return {
    async put(bucket: string, key: string, body: StorageBody, options?: PutOptions): Promise<ObjectInfo> {
      const where = storageCall('put', bucket, key);
      checkKey(key, where);
      const { contentType, metadata } = checkPutOptions(options, where);
      const upload = uploadBody(body, where);
      if (upload.kind === 'bytes' && upload.bytes.byteLength > MAX_STREAM_BYTES)
        throw new RangeError(
          `${where}: body is ${upload.bytes.byteLength} bytes; at most ${MAX_STREAM_BYTES} (50 000 blocks of 4 MiB)`,
        );
      const client = await blob(bucket, key, where);
      const blobContentType = contentType ?? upload.defaultContentType;
      const common = { blobHTTPHeaders: { blobContentType }, metadata };
      try {
        let size: number;
        let etag: string | undefined;
        if (upload.kind === 'bytes') {
          etag = (await client.uploadData(upload.bytes, common)).etag;
          size = upload.bytes.byteLength;
        } else {
          size = 0;
          const counted = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              size += chunk.length;
              done(null, chunk);
            },
          });
          // pipeline (not pipe) so an error of the caller's stream fails the upload instead of hanging it.
          pipeline(upload.stream, counted, () => {});
          etag = (await client.uploadStream(counted, BLOCK_BYTES, CONCURRENCY, common)).etag;
        }
        return {
          bucket: containerName(bucket),
          key,
          size,
          contentType: blobContentType,
          etag: unquote(etag),
          lastModified: new Date(),
          metadata,
        };
      } catch (error) {
        throw blobError('put', bucket, key, error, where);
      }
    },

    async get(bucket: string, key: string): Promise<StoredObject> {
      const { body, ...info } = await open('get', bucket, key);
      try {
        return { ...info, body: await readAll(body) };
      } catch (error) {
        throw blobError('get', bucket, key, error, storageCall('get', bucket, key));
      }
    },

    getStream: (bucket, key) => open('getStream', bucket, key),

    async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
      const where = storageCall('head', bucket, key);
      checkKey(key, where);
      const client = await blob(bucket, key, where);
      try {
        const out = await client.getProperties();
        return {
          bucket: containerName(bucket),
          key,
          size: out.contentLength ?? 0,
          contentType: out.contentType,
          etag: unquote(out.etag),
          lastModified: out.lastModified,
          metadata: out.metadata ?? {},
        };
      } catch (error) {
        // A HEAD answer has no body: the SDK cannot tell BlobNotFound from ContainerNotFound, only 404.
        if (statusOf(error) === 404 && codeOf(error) !== 'ContainerNotFound') return undefined;
        throw blobError('head', bucket, key, error, where);
      }
    },

    async list(bucket: string, options?: ListOptions): Promise<ListPage> {
      const where = storageCall('list', bucket);
      const { prefix, cursor, limit } = checkListOptions(options, where);
      const service = await serviceClient(connectionString(connectionSetting, env, where, 'storage'));
      const container = service.getContainerClient(containerName(bucket));
      try {
        const pages = container
          .listBlobsFlat(prefix ? { prefix } : {})
          .byPage({ maxPageSize: limit, ...(cursor ? { continuationToken: cursor } : {}) });
        const { value } = await pages.next();
        const page: ListPage = {
          objects: (value?.segment.blobItems ?? []).map((b: BlobItemLike) => ({
            key: b.name,
            size: b.properties.contentLength ?? 0,
            etag: unquote(b.properties.etag),
            lastModified: b.properties.lastModified,
          })),
        };
        if (value?.continuationToken) page.cursor = value.continuationToken;
        return page;
      } catch (error) {
        throw blobError('list', bucket, undefined, error, where);
      }
    },

    async delete(bucket: string, key: string): Promise<void> {
      const where = storageCall('delete', bucket, key);
      checkKey(key, where);
      const client = await blob(bucket, key, where);
      try {
        // deleteIfExists: a missing blob is success, as on S3.
        await client.deleteIfExists({ deleteSnapshots: 'include' });
      } catch (error) {
        throw blobError('delete', bucket, key, error, where);
      }
    },

    async signedUrl(bucket: string, key: string, options: SignedUrlOptions): Promise<string> {
      const where = storageCall('signedUrl', bucket, key);
      checkKey(key, where);
      const { method, expiresIn } = checkSignedUrlOptions(options, where);
      const client = await blob(bucket, key, where);
      const { BlobSASPermissions } = await import('@azure/storage-blob');
      try {
        // A service SAS cannot pin the upload's Content-Type (Blob Storage has no such condition): the
        // uploader's own header is stored. Start a minute early for clock skew, as Azure recommends.
        return await client.generateSasUrl({
          permissions: BlobSASPermissions.parse(method === 'GET' ? 'r' : 'cw'),
          startsOn: new Date(Date.now() - 60_000),
          expiresOn: new Date(Date.now() + expiresIn * 1000),
        });
      } catch (error) {
        throw blobError('signedUrl', bucket, key, error, where);
      }
    },
  };
}

interface BlobItemLike {
  name: string;
  properties: { contentLength?: number; etag?: string; lastModified?: Date };
}

function unquote(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '');
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The SDK error as a StorageError naming the call, Blob Storage's code and first message line. */
function blobError(
  operation: StorageOperation,
  bucket: string,
  key: string | undefined,
  error: unknown,
  where: string,
): Error {
  if (error instanceof TypeError || error instanceof RangeError || error instanceof StorageError)
    return error;
  const code = codeOf(error) ?? (statusOf(error) ? `HTTP ${statusOf(error)}` : undefined);
  const message = firstLine((error as Error)?.message ?? error);
  const init = {
    operation,
    bucket,
    ...(key === undefined ? {} : { key }),
    ...(code ? { code } : {}),
    cause: error,
  };
  if (statusOf(error) === 404)
    return new StorageNotFoundError(`${where} failed: ${code ?? 'NotFound'}: ${message}`, init);
  return new StorageError(`${where} failed: ${code ?? 'Error'}: ${message}`, init);
}
