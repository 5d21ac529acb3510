import type { Storage as GoogleStorage } from '@google-cloud/storage';
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

/** JSON `{ logicalName: bucketName }`, as a deployment script sets it; `providers.gcp.buckets` wins. */
export const BUCKETS_ENV = 'POLYCLOUD_GCP_BUCKETS';

export interface GcsStorageOptions {
  config: PolycloudConfig;
  env?: NodeJS.ProcessEnv;
  /** JSON API endpoint; default STORAGE_EMULATOR_HOST (as the library reads it), else Google's. */
  apiEndpoint?: string;
  projectId?: string;
  /** Service account key for signing URLs off GCP (on GCP the library signs through IAM signBlob). */
  credentials?: { client_email: string; private_key: string };
}

/**
 * Storage over Cloud Storage (`@google-cloud/storage`): the library's auth (metadata server on GCP,
 * ADC elsewhere), retries with exponential backoff for idempotent calls, and v4 signed URLs.
 * Logical buckets map through `providers.gcp.buckets` / `POLYCLOUD_GCP_BUCKETS`.
 *
 * - Uploads are single multipart requests (`resumable: false`) streamed from the body, so a 100 MB
 *   stream is never held; the MD5 the server reports is checked against the bytes sent (`validation:
 *   'md5'`: every non-composite object has one, and no native CRC32C exists in Node 20).
 * - Downloads are checked against the `x-goog-hash` MD5 the same way.
 */
export function createGcsStorage(options: GcsStorageOptions): Storage {
  const env = options.env ?? process.env;
  const bucketName = bucketResolver(options.config, 'gcp', BUCKETS_ENV, env);
  let client: Promise<GoogleStorage> | undefined;
  const storage = () => {
    if (!client) {
      // Imported on the first call: a function that never stores never loads @google-cloud/storage.
      client = import('@google-cloud/storage').then(({ Storage }) => {
        const apiEndpoint =
          options.apiEndpoint ??
          (env.STORAGE_EMULATOR_HOST ? normalise(env.STORAGE_EMULATOR_HOST) : undefined);
        const gcs = new Storage({
          ...(apiEndpoint ? { apiEndpoint } : {}),
          ...(options.projectId ? { projectId: options.projectId } : {}),
          ...(options.credentials ? { credentials: options.credentials } : {}),
          retryOptions: { autoRetry: true, maxRetries: 3, retryDelayMultiplier: 2, totalTimeout: 60 },
        });
        // With STORAGE_EMULATOR_HOST in the environment the library uses that host as the JSON API
        // base as it is, without /storage/v1 (googleapis/nodejs-storage#1314): uploads reach the
        // emulator but every read and list goes to /b/... and is a 404. The base is the endpoint's.
        if (apiEndpoint) gcs.baseUrl = `${apiEndpoint}/storage/v1`;
        return gcs;
      });
      client.catch(() => {
        client = undefined;
      });
    }
    return client;
  };
  const file = async (bucket: string, key: string) => (await storage()).bucket(bucketName(bucket)).file(key);

  async function open(
    operation: 'get' | 'getStream',
    bucket: string,
    key: string,
  ): Promise<StoredObjectStream> {
    const where = storageCall(operation, bucket, key);
    checkKey(key, where);
    const f = await file(bucket, key);
    try {
      const [meta] = await f.getMetadata();
      const info = toInfo(bucketName(bucket), key, meta);
      const body = f.createReadStream({ validation: 'md5' });
      return { ...info, body };
    } catch (error) {
      throw gcsError(operation, bucket, key, error, where);
    }
  }

  return {
    async put(bucket: string, key: string, body: StorageBody, options?: PutOptions): Promise<ObjectInfo> {
      const where = storageCall('put', bucket, key);
      checkKey(key, where);
      const { contentType, metadata } = checkPutOptions(options, where);
      const upload = uploadBody(body, where);
      const f = await file(bucket, key);
      const type = contentType ?? upload.defaultContentType;
      try {
        const writer = f.createWriteStream({
          resumable: false,
          validation: 'md5',
          contentType: type,
          metadata: { contentType: type, metadata },
        });
        const { pipeline } = await import('node:stream/promises');
        const { Readable } = await import('node:stream');
        await pipeline(upload.kind === 'bytes' ? Readable.from([upload.bytes]) : upload.stream, writer);
        return toInfo(bucketName(bucket), key, f.metadata);
      } catch (error) {
        throw gcsError('put', bucket, key, error, where);
      }
    },

    async get(bucket: string, key: string): Promise<StoredObject> {
      const { body, ...info } = await open('get', bucket, key);
      try {
        return { ...info, body: await readAll(body) };
      } catch (error) {
        throw gcsError('get', bucket, key, error, storageCall('get', bucket, key));
      }
    },

    getStream: (bucket, key) => open('getStream', bucket, key),

    async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
      const where = storageCall('head', bucket, key);
      checkKey(key, where);
      const f = await file(bucket, key);
      try {
        const [meta] = await f.getMetadata();
        return toInfo(bucketName(bucket), key, meta);
      } catch (error) {
        if (statusOf(error) === 404 && !/bucket/i.test(messageOf(error))) return undefined;
        throw gcsError('head', bucket, key, error, where);
      }
    },

    async list(bucket: string, options?: ListOptions): Promise<ListPage> {
      const where = storageCall('list', bucket);
      const { prefix, cursor, limit } = checkListOptions(options, where);
      const b = (await storage()).bucket(bucketName(bucket));
      try {
        const [files, next] = await b.getFiles({
          autoPaginate: false,
          maxResults: limit,
          ...(prefix ? { prefix } : {}),
          ...(cursor ? { pageToken: cursor } : {}),
        });
        const page: ListPage = {
          objects: files.map((f) => {
            const m = f.metadata;
            return {
              key: f.name,
              size: Number(m.size ?? 0),
              etag: m.md5Hash ? Buffer.from(m.md5Hash, 'base64').toString('hex') : m.etag,
              lastModified: m.updated ? new Date(m.updated) : undefined,
            };
          }),
        };
        const token = (next as { pageToken?: string } | null)?.pageToken;
        if (token) page.cursor = token;
        return page;
      } catch (error) {
        throw gcsError('list', bucket, undefined, error, where);
      }
    },

    async delete(bucket: string, key: string): Promise<void> {
      const where = storageCall('delete', bucket, key);
      checkKey(key, where);
      const f = await file(bucket, key);
      try {
        // A missing object is success, as on S3.
        await f.delete({ ignoreNotFound: true });
      } catch (error) {
        throw gcsError('delete', bucket, key, error, where);
      }
    },

    async signedUrl(bucket: string, key: string, options: SignedUrlOptions): Promise<string> {
      const where = storageCall('signedUrl', bucket, key);
      checkKey(key, where);
      const { method, expiresIn, contentType } = checkSignedUrlOptions(options, where);
      const f = await file(bucket, key);
      try {
        const [url] = await f.getSignedUrl({
          version: 'v4',
          action: method === 'GET' ? 'read' : 'write',
          expires: Date.now() + expiresIn * 1000,
          ...(contentType ? { contentType } : {}),
        });
        return url;
      } catch (error) {
        throw gcsError('signedUrl', bucket, key, error, where);
      }
    },
  };
}

interface GcsMetadata {
  size?: string | number;
  contentType?: string;
  md5Hash?: string;
  etag?: string;
  updated?: string;
  generation?: string | number;
  metadata?: Record<string, unknown> | null;
}

function toInfo(bucket: string, key: string, meta: GcsMetadata): ObjectInfo {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(meta.metadata ?? {}))
    if (typeof value === 'string') metadata[name] = value;
  return {
    bucket,
    key,
    size: Number(meta.size ?? 0),
    contentType: meta.contentType,
    // The MD5 in hex, as S3 and the node folder report a single-part object's etag.
    etag: meta.md5Hash ? Buffer.from(meta.md5Hash, 'base64').toString('hex') : meta.etag,
    lastModified: meta.updated ? new Date(meta.updated) : undefined,
    metadata,
  };
}

function normalise(host: string): string {
  return /^https?:\/\//.test(host) ? host.replace(/\/+$/, '') : `http://${host}`;
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

function messageOf(error: unknown): string {
  return typeof (error as Error)?.message === 'string' ? (error as Error).message : String(error);
}

/** The library error as a StorageError naming the call, HTTP status and message; it stays the `cause`. */
function gcsError(
  operation: StorageOperation,
  bucket: string,
  key: string | undefined,
  error: unknown,
  where: string,
): Error {
  if (error instanceof TypeError || error instanceof RangeError || error instanceof StorageError)
    return error;
  const status = statusOf(error);
  const code = status ? `HTTP ${status}` : undefined;
  const init = {
    operation,
    bucket,
    ...(key === undefined ? {} : { key }),
    ...(code ? { code } : {}),
    cause: error,
  };
  const message = messageOf(error).split('\n')[0];
  if (status === 404) return new StorageNotFoundError(`${where} failed: ${code}: ${message}`, init);
  return new StorageError(`${where} failed: ${code ?? 'Error'}: ${message}`, init);
}
