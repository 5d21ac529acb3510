import { pipeline, Transform } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
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
import { type AwsClientTarget, clientTarget } from './client-target.ts';

/** JSON `{ logicalName: bucketName }`, as a deployment template sets it; `providers.aws.buckets` wins. */
export const BUCKETS_ENV = 'POLYCLOUD_AWS_BUCKETS';
/** A single PutObject takes at most 5 GiB; larger known-size bodies go through multipart like streams. */
export const MAX_PUT_OBJECT_BYTES = 5 * 1024 ** 3;
/** S3 objects are at most 5 TiB (multipart). */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;
/**
 * Multipart part size for streams (S3's 5 MiB minimum) and parts in flight. One at a time: measured
 * against fauxqs, a 100 MiB stream kept 30-37 MiB of buffers alive with one part in flight, 41-51 MiB
 * with two and ~56 MiB with lib-storage's default four (lib-storage concatenates and slices chunks, and
 * the socket holds a part until the server reads it) — too much for a 128 MB Lambda.
 */
const PART_BYTES = 5 * 1024 * 1024;
const QUEUE = 1;

// One S3Client per cold start and target, as for SQS/SNS.
const clients = new Map<string, Promise<S3Client>>();

function s3Client(target: AwsClientTarget): Promise<S3Client> {
  const key = `${target.region ?? ''}|${target.endpoint ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = import('@aws-sdk/client-s3').then(
      ({ S3Client }) =>
        new S3Client({
          ...target,
          // Retries with exponential backoff and jitter (the SDK's standard mode), 3 attempts.
          maxAttempts: 3,
          // A custom endpoint is an emulator or an S3-compatible store: path-style addressing (no bucket
          // DNS), and checksums only where S3 requires them (older S3 implementations store the
          // aws-chunked framing of the SDK's default CRC32 trailer as object bytes).
          ...(target.endpoint
            ? {
                forcePathStyle: true,
                requestChecksumCalculation: 'WHEN_REQUIRED' as const,
                responseChecksumValidation: 'WHEN_REQUIRED' as const,
              }
            : {}),
        }),
    );
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
}

/**
 * Storage over S3 (`@aws-sdk/client-s3`, presigned URLs from `@aws-sdk/s3-request-presigner`).
 * Logical bucket names map through `providers.aws.buckets` / `POLYCLOUD_AWS_BUCKETS`; the endpoint
 * comes from `providers.aws.endpoints.s3` or `providers.aws.endpoint` (else the SDK's chain).
 *
 * - Bytes and text go up in one PutObject; streams through `@aws-sdk/lib-storage` multipart
 *   uploads in 5 MiB parts, one in flight, so a 100 MB body is never held whole.
 * - Metadata travels as `x-amz-meta-*` headers; ETags lose their quotes.
 * - Missing objects: `get` rejects with StorageNotFoundError, `head` answers undefined.
 */
export function createS3Storage(config: PolycloudConfig, env: NodeJS.ProcessEnv = process.env): Storage {
  const bucketName = bucketResolver(config, 'aws', BUCKETS_ENV, env);
  let target: AwsClientTarget | undefined;
  const client = () => {
    target ??= clientTarget(config, 's3', env);
    return Promise.all([s3Client(target), import('@aws-sdk/client-s3')]);
  };

  async function open(
    operation: 'get' | 'getStream',
    bucket: string,
    key: string,
  ): Promise<StoredObjectStream> {
    const where = storageCall(operation, bucket, key);
    checkKey(key, where);
    const Bucket = bucketName(bucket);
    const [s3, { GetObjectCommand }] = await client();
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
      return {
        bucket: Bucket,
        key,
        size: out.ContentLength ?? 0,
        contentType: out.ContentType,
        etag: unquote(out.ETag),
        lastModified: out.LastModified,
        metadata: out.Metadata ?? {},
        body: out.Body as StoredObjectStream['body'],
      };
    } catch (error) {
      throw s3Error(operation, bucket, key, error, where);
    }
  }

  return {
    async put(bucket: string, key: string, body: StorageBody, options?: PutOptions): Promise<ObjectInfo> {
      const where = storageCall('put', bucket, key);
      checkKey(key, where);
      const { contentType, metadata } = checkPutOptions(options, where);
      const upload = uploadBody(body, where);
      if (upload.kind === 'bytes' && upload.bytes.byteLength > MAX_OBJECT_BYTES)
        throw new RangeError(
          `${where}: body is ${upload.bytes.byteLength} bytes; S3 objects are at most 5 TiB`,
        );
      const Bucket = bucketName(bucket);
      const ContentType = contentType ?? upload.defaultContentType;
      const [s3, { PutObjectCommand }] = await client();
      try {
        let etag: string | undefined;
        let size: number;
        if (upload.kind === 'bytes' && upload.bytes.byteLength <= MAX_PUT_OBJECT_BYTES) {
          const out = await s3.send(
            new PutObjectCommand({ Bucket, Key: key, Body: upload.bytes, ContentType, Metadata: metadata }),
          );
          etag = out.ETag;
          size = upload.bytes.byteLength;
        } else {
          // Counted as it passes: CompleteMultipartUpload does not report the object's size.
          size = upload.kind === 'bytes' ? upload.bytes.byteLength : 0;
          const counted: Uint8Array | Transform =
            upload.kind === 'bytes'
              ? upload.bytes
              : new Transform({
                  transform(chunk: Buffer, _encoding, done) {
                    size += chunk.length;
                    done(null, chunk);
                  },
                });
          // pipeline (not pipe) so an error of the caller's stream fails the upload instead of hanging it.
          if (upload.kind === 'stream') pipeline(upload.stream, counted as Transform, () => {});
          const { Upload } = await import('@aws-sdk/lib-storage');
          const out = await new Upload({
            client: s3,
            params: { Bucket, Key: key, Body: counted, ContentType, Metadata: metadata },
            partSize: PART_BYTES,
            queueSize: QUEUE,
            leavePartsOnError: false,
          }).done();
          etag = out.ETag;
        }
        return {
          bucket: Bucket,
          key,
          size,
          contentType: ContentType,
          etag: unquote(etag),
          lastModified: new Date(),
          metadata,
        };
      } catch (error) {
        throw s3Error('put', bucket, key, error, where);
      }
    },

    async get(bucket: string, key: string): Promise<StoredObject> {
      const { body, ...info } = await open('get', bucket, key);
      try {
        return { ...info, body: await readAll(body) };
      } catch (error) {
        throw s3Error('get', bucket, key, error, storageCall('get', bucket, key));
      }
    },

    getStream: (bucket, key) => open('getStream', bucket, key),

    async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
      const where = storageCall('head', bucket, key);
      checkKey(key, where);
      const Bucket = bucketName(bucket);
      const [s3, { HeadObjectCommand }] = await client();
      try {
        const out = await s3.send(new HeadObjectCommand({ Bucket, Key: key }));
        return {
          bucket: Bucket,
          key,
          size: out.ContentLength ?? 0,
          contentType: out.ContentType,
          etag: unquote(out.ETag),
          lastModified: out.LastModified,
          metadata: out.Metadata ?? {},
        };
      } catch (error) {
        // HEAD answers carry no body, so a missing key is only a 404 (the SDK names it NotFound).
        if (statusOf(error) === 404 && codeOf(error) !== 'NoSuchBucket') return undefined;
        throw s3Error('head', bucket, key, error, where);
      }
    },

    async list(bucket: string, options?: ListOptions): Promise<ListPage> {
      const where = storageCall('list', bucket);
      const { prefix, cursor, limit } = checkListOptions(options, where);
      const Bucket = bucketName(bucket);
      const [s3, { ListObjectsV2Command }] = await client();
      try {
        const out = await s3.send(
          new ListObjectsV2Command({
            Bucket,
            MaxKeys: limit,
            ...(prefix ? { Prefix: prefix } : {}),
            ...(cursor ? { ContinuationToken: cursor } : {}),
          }),
        );
        const page: ListPage = {
          objects: (out.Contents ?? []).map((o) => ({
            key: o.Key ?? '',
            size: o.Size ?? 0,
            etag: unquote(o.ETag),
            lastModified: o.LastModified,
          })),
        };
        if (out.IsTruncated && out.NextContinuationToken) page.cursor = out.NextContinuationToken;
        return page;
      } catch (error) {
        throw s3Error('list', bucket, undefined, error, where);
      }
    },

    async delete(bucket: string, key: string): Promise<void> {
      const where = storageCall('delete', bucket, key);
      checkKey(key, where);
      const Bucket = bucketName(bucket);
      const [s3, { DeleteObjectCommand }] = await client();
      try {
        // S3 answers 204 for a missing key too: delete is idempotent, as Storage promises.
        await s3.send(new DeleteObjectCommand({ Bucket, Key: key }));
      } catch (error) {
        throw s3Error('delete', bucket, key, error, where);
      }
    },

    async signedUrl(bucket: string, key: string, options: SignedUrlOptions): Promise<string> {
      const where = storageCall('signedUrl', bucket, key);
      checkKey(key, where);
      const { method, expiresIn, contentType } = checkSignedUrlOptions(options, where);
      const Bucket = bucketName(bucket);
      const [[s3, { GetObjectCommand, PutObjectCommand }], { getSignedUrl }] = await Promise.all([
        client(),
        import('@aws-sdk/s3-request-presigner'),
      ]);
      try {
        const command =
          method === 'GET'
            ? new GetObjectCommand({ Bucket, Key: key })
            : new PutObjectCommand({
                Bucket,
                Key: key,
                ...(contentType ? { ContentType: contentType } : {}),
              });
        // Content-Type stays a signed header, so the uploader must send exactly the type signed for.
        return await getSignedUrl(s3, command, {
          expiresIn,
          ...(contentType ? { signableHeaders: new Set(['content-type']) } : {}),
        });
      } catch (error) {
        throw s3Error('signedUrl', bucket, key, error, where);
      }
    },
  };
}

function unquote(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '');
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function codeOf(error: unknown): string | undefined {
  const e = error as { Code?: unknown; name?: unknown };
  return typeof e?.Code === 'string' ? e.Code : typeof e?.name === 'string' ? e.name : undefined;
}

/** The SDK error as a StorageError naming the call, S3's code and message; the SDK error is `cause`. */
function s3Error(
  operation: StorageOperation,
  bucket: string,
  key: string | undefined,
  error: unknown,
  where: string,
): Error {
  if (error instanceof TypeError || error instanceof RangeError || error instanceof StorageError)
    return error;
  const code = codeOf(error);
  const message = typeof (error as Error)?.message === 'string' ? (error as Error).message : String(error);
  const init = {
    operation,
    bucket,
    ...(key === undefined ? {} : { key }),
    ...(code ? { code } : {}),
    cause: error,
  };
  if (code === 'NoSuchKey' || code === 'NoSuchBucket' || code === 'NotFound' || statusOf(error) === 404)
    return new StorageNotFoundError(`${where} failed: ${code ?? 'NotFound'}: ${message}`, init);
  return new StorageError(`${where} failed: ${code ?? 'Error'}: ${message}`, init);
}
