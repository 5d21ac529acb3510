import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type PutOptions,
  type SignedUrlOptions,
  type Storage,
  type StorageBody,
  StorageError,
  type StorageEvent,
  StorageNotFoundError,
  type StorageOperation,
  type StoredObject,
  type StoredObjectStream,
} from '@polycloud/core';
import {
  checkBucket,
  checkKey,
  checkListOptions,
  checkPutOptions,
  checkSignedUrlOptions,
  storageCall,
} from '@polycloud/core/clients/storage-arguments';
import { readAll, uploadBody } from '@polycloud/core/clients/storage-body';
import type { NodeRaw } from '../raw.ts';

/** Where signed URLs point: the node server's `/_polycloud/storage/` route, known once it listens. */
export interface FolderUrlSigner {
  /** The server's base URL, or undefined when no server runs (signed URLs then fail clearly). */
  baseUrl(): string | undefined;
  readonly secret: Uint8Array;
}

export interface FolderStorageOptions {
  /** The folder holding one sub-folder per bucket. */
  root: string;
  /** Logical bucket name → folder name (`providers.node.buckets`). */
  bucket: (logical: string) => string;
  /** Told after a put or delete took effect: the node runtime delivers it to storage functions. */
  onChange?: (event: StorageEvent) => void;
  signer?: FolderUrlSigner;
}

/** The route the node server answers signed URLs on. */
export const SIGNED_URL_PATH = '/_polycloud/storage/';

// Folder names a bucket may map to: no separators, no "." or "..", so a bucket can never leave the root.
const BUCKET_FOLDER = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,255}$/;
// A trailer of at most 1 MiB: key (1 KiB), metadata (2 KiB) and a few fields fit many times over.
const MAX_TRAILER = 1 << 20;

interface Trailer {
  key: string;
  size: number;
  etag: string;
  contentType: string;
  lastModified: string;
  metadata: Record<string, string>;
}

/**
 * Storage over a local folder, for `polycloud dev` and self-hosting: `<root>/<bucket>/<sha256(key)>`.
 * Each object is one file (the body, then a JSON trailer with key, size, MD5 etag, content type and
 * metadata, then the trailer's length in 4 bytes), written to a temporary name and renamed into place,
 * so a reader never sees half an object and any key (`..`, `a` beside `a/b`, unicode) maps to a valid
 * file name. Puts and deletes report a neutral StorageEvent through `onChange`, as the clouds notify.
 * Signed URLs are HMAC-signed links to the node server, which checks them and streams the object.
 */
export class FolderStorage implements Storage {
  readonly #root: string;
  readonly #bucket: (logical: string) => string;
  readonly #onChange: ((event: StorageEvent) => void) | undefined;
  readonly #signer: FolderUrlSigner | undefined;

  constructor(options: FolderStorageOptions) {
    this.#root = options.root;
    this.#bucket = options.bucket;
    this.#onChange = options.onChange;
    this.#signer = options.signer;
  }

  async put(bucket: string, key: string, body: StorageBody, options?: PutOptions): Promise<ObjectInfo> {
    const where = storageCall('put', bucket, key);
    checkKey(key, where);
    const { contentType, metadata } = checkPutOptions(options, where);
    const upload = uploadBody(body, where);
    const folder = this.#folder(bucket, where);
    const dir = join(this.#root, folder);
    const tmp = join(dir, `.tmp-${randomUUID()}`);
    const md5 = createHash('md5');
    let size = 0;
    try {
      await mkdir(dir, { recursive: true });
      const source = upload.kind === 'bytes' ? Readable.from([upload.bytes]) : upload.stream;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          md5.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(source, count, createWriteStream(tmp));
      const trailer: Trailer = {
        key,
        size,
        etag: md5.digest('hex'),
        contentType: contentType ?? upload.defaultContentType,
        lastModified: new Date().toISOString(),
        metadata,
      };
      const json = Buffer.from(JSON.stringify(trailer), 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(json.length);
      await appendFile(tmp, Buffer.concat([json, length]));
      await rename(tmp, join(dir, fileName(key)));
      const info = toInfo(folder, trailer);
      this.#notify('created', info);
      return info;
    } catch (error) {
      await rm(tmp, { force: true });
      throw failure('put', bucket, key, error, where);
    }
  }

  async get(bucket: string, key: string): Promise<StoredObject> {
    const { body, ...info } = await this.#open('get', bucket, key);
    return { ...info, body: await readAll(body) };
  }

  getStream(bucket: string, key: string): Promise<StoredObjectStream> {
    return this.#open('getStream', bucket, key);
  }

  async head(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    const where = storageCall('head', bucket, key);
    checkKey(key, where);
    const folder = this.#folder(bucket, where);
    try {
      const file = await open(join(this.#root, folder, fileName(key)));
      try {
        return toInfo(folder, (await readTrailer(file)).trailer);
      } finally {
        await file.close();
      }
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw failure('head', bucket, key, error, where);
    }
  }

  async list(bucket: string, options?: ListOptions): Promise<ListPage> {
    const where = storageCall('list', bucket);
    const { prefix, cursor, limit } = checkListOptions(options, where);
    const folder = this.#folder(bucket, where);
    const dir = join(this.#root, folder);
    const after = cursor === undefined ? undefined : Buffer.from(cursor, 'base64url');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      // No folder yet: a bucket nothing was put in is empty (there is no bucket creation on node).
      if (isMissing(error)) return { objects: [] };
      throw failure('list', bucket, undefined, error, where);
    }
    const entries: { key: Buffer; trailer: Trailer }[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      try {
        const file = await open(join(dir, name));
        try {
          const { trailer } = await readTrailer(file);
          if (prefix !== undefined && !trailer.key.startsWith(prefix)) continue;
          const key = Buffer.from(trailer.key, 'utf8');
          if (after && Buffer.compare(key, after) <= 0) continue;
          entries.push({ key, trailer });
        } finally {
          await file.close();
        }
      } catch (error) {
        if (isMissing(error)) continue; // deleted while listing
        throw failure('list', bucket, undefined, error, where);
      }
    }
    // UTF-8 byte order, as S3, Blob Storage and Cloud Storage list.
    entries.sort((a, b) => Buffer.compare(a.key, b.key));
    const page = entries.slice(0, limit);
    const out: ListPage = {
      objects: page.map(({ trailer }) => ({
        key: trailer.key,
        size: trailer.size,
        etag: trailer.etag,
        lastModified: new Date(trailer.lastModified),
      })),
    };
    if (entries.length > limit) out.cursor = page.at(-1)!.key.toString('base64url');
    return out;
  }

  async delete(bucket: string, key: string): Promise<void> {
    const where = storageCall('delete', bucket, key);
    const info = await this.head(bucket, key);
    if (!info) return;
    try {
      await rm(join(this.#root, this.#folder(bucket, where), fileName(key)), { force: true });
    } catch (error) {
      throw failure('delete', bucket, key, error, where);
    }
    this.#notify('deleted', info);
  }

  async signedUrl(bucket: string, key: string, options: SignedUrlOptions): Promise<string> {
    const where = storageCall('signedUrl', bucket, key);
    checkBucket(bucket, where);
    checkKey(key, where);
    const { method, expiresIn, contentType } = checkSignedUrlOptions(options, where);
    const base = this.#signer?.baseUrl();
    if (!this.#signer || !base)
      throw new StorageError(
        `${where}: signed URLs on node are served by the node server (serve() or polycloud dev); none is running`,
        { operation: 'signedUrl', bucket, key },
      );
    const expires = Math.floor(Date.now() / 1000) + expiresIn;
    const query = new URLSearchParams({ method, expires: String(expires) });
    if (contentType) query.set('contentType', contentType);
    query.set('signature', sign(this.#signer.secret, method, bucket, key, expires, contentType));
    return `${base}${SIGNED_URL_PATH}${encodeURIComponent(bucket)}/${encodeURIComponent(key)}?${query}`;
  }

  /**
   * Checks a signed URL's path and query as the node server received them: the bucket, key,
   * method and content type it grants, or a reason to refuse it (403).
   */
  verify(
    requestMethod: string,
    pathAndQuery: string,
  ): { ok: true; bucket: string; key: string; contentType?: string } | { ok: false; reason: string } {
    if (!this.#signer) return { ok: false, reason: 'signed URLs are not enabled' };
    const url = new URL(pathAndQuery, 'http://x');
    const rest = url.pathname.slice(SIGNED_URL_PATH.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) return { ok: false, reason: 'malformed signed URL' };
    let bucket: string;
    let key: string;
    try {
      bucket = decodeURIComponent(rest.slice(0, slash));
      key = decodeURIComponent(rest.slice(slash + 1));
    } catch {
      return { ok: false, reason: 'malformed signed URL' };
    }
    const method = url.searchParams.get('method');
    const expires = Number(url.searchParams.get('expires'));
    const signature = url.searchParams.get('signature') ?? '';
    const contentType = url.searchParams.get('contentType') ?? undefined;
    if (method !== requestMethod && !(method === 'GET' && requestMethod === 'HEAD'))
      return { ok: false, reason: `this URL is signed for ${method}` };
    if (!Number.isInteger(expires) || expires * 1000 < Date.now())
      return { ok: false, reason: 'signed URL expired' };
    const expected = Buffer.from(sign(this.#signer.secret, method, bucket, key, expires, contentType), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'signature does not match' };
    return contentType === undefined ? { ok: true, bucket, key } : { ok: true, bucket, key, contentType };
  }

  async #open(operation: 'get' | 'getStream', bucket: string, key: string): Promise<StoredObjectStream> {
    const where = storageCall(operation, bucket, key);
    checkKey(key, where);
    const folder = this.#folder(bucket, where);
    let file: Awaited<ReturnType<typeof open>>;
    try {
      file = await open(join(this.#root, folder, fileName(key)));
    } catch (error) {
      throw failure(operation, bucket, key, error, where);
    }
    try {
      const { trailer } = await readTrailer(file);
      // The open descriptor keeps this version readable even if a put replaces the file meanwhile.
      const body =
        trailer.size === 0
          ? Readable.from([])
          : file.createReadStream({ start: 0, end: trailer.size - 1, autoClose: true });
      if (trailer.size === 0) await file.close();
      return { ...toInfo(folder, trailer), body };
    } catch (error) {
      await file.close();
      throw failure(operation, bucket, key, error, where);
    }
  }

  #folder(bucket: string, where: string): string {
    checkBucket(bucket, where);
    const folder = this.#bucket(bucket);
    if (!BUCKET_FOLDER.test(folder))
      throw new TypeError(
        `${where}: bucket "${folder}" is not a folder name (letters, digits, ".", "_", "-"; not "." or "..")`,
      );
    return folder;
  }

  #notify(type: 'created' | 'deleted', info: ObjectInfo): void {
    if (!this.#onChange) return;
    const event: StorageEvent = {
      id: randomUUID(),
      type,
      bucket: info.bucket,
      key: info.key,
      time: new Date(),
      raw: {
        provider: 'node',
        storageChange: { root: this.#root, object: fileName(info.key) },
      } satisfies NodeRaw,
    };
    if (type === 'created') {
      event.size = info.size;
      if (info.etag) event.etag = info.etag;
      if (info.contentType) event.contentType = info.contentType;
    }
    this.#onChange(event);
  }
}

function fileName(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

async function readTrailer(file: Awaited<ReturnType<typeof open>>): Promise<{ trailer: Trailer }> {
  const { size } = await file.stat();
  const tail = Buffer.alloc(4);
  if (size < 4) throw new Error('not an object file (too short)');
  await file.read(tail, 0, 4, size - 4);
  const length = tail.readUInt32BE(0);
  if (length > MAX_TRAILER || length + 4 > size) throw new Error('not an object file (bad trailer length)');
  const json = Buffer.alloc(length);
  await file.read(json, 0, length, size - 4 - length);
  return { trailer: JSON.parse(json.toString('utf8')) as Trailer };
}

function toInfo(bucket: string, trailer: Trailer): ObjectInfo {
  return {
    bucket,
    key: trailer.key,
    size: trailer.size,
    contentType: trailer.contentType,
    etag: trailer.etag,
    lastModified: new Date(trailer.lastModified),
    metadata: trailer.metadata,
  };
}

function sign(
  secret: Uint8Array,
  method: string,
  bucket: string,
  key: string,
  expires: number,
  contentType: string | undefined,
): string {
  return createHmac('sha256', secret)
    .update(JSON.stringify([method, bucket, key, expires, contentType ?? null]))
    .digest('hex');
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function failure(
  operation: StorageOperation,
  bucket: string,
  key: string | undefined,
  error: unknown,
  where: string,
): Error {
  // Already explained (an argument error thrown by a caller's stream, or a StorageError): keep it.
  if (error instanceof StorageError || error instanceof TypeError || error instanceof RangeError)
    return error;
  const code =
    typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const init = {
    operation,
    bucket,
    ...(key === undefined ? {} : { key }),
    ...(code ? { code } : {}),
    cause: error,
  };
  if (isMissing(error)) return new StorageNotFoundError(`${where}: no such object`, init);
  const message = error instanceof Error ? error.message : String(error);
  return new StorageError(`${where} failed: ${message}`, init);
}
