import type { Readable } from 'node:stream';
import { token } from './tokens.ts';

/**
 * What `Storage.put` takes: bytes, text (stored as UTF-8), or a stream (never held in memory whole):
 * a Node Readable or a web ReadableStream such as `(await fetch(url)).body`.
 *
 * @example
 * const body: StorageBody = (await fetch(photoUrl)).body!;
 * await ctx.get(Storage).put('photos', 'cat.jpg', body, { contentType: 'image/jpeg' });
 */
export type StorageBody = Uint8Array | string | Readable | ReadableStream<Uint8Array>;

/**
 * Options of `Storage.put`: the object's Content-Type and user metadata.
 *
 * @example
 * const options: PutOptions = { contentType: 'application/json', metadata: { order_id: '42' } };
 * await ctx.get(Storage).put('receipts', 'orders/42.json', JSON.stringify(receipt), options);
 */
export interface PutOptions {
  /** Stored as the object's Content-Type; default `application/octet-stream` (text bodies: `text/plain; charset=utf-8`). */
  contentType?: string;
  /**
   * User metadata. Portable names are lower-case letters, digits and `_`, starting with a letter or `_`
   * (S3 lower-cases names, Azure requires C# identifiers); values printable ASCII; at most 2 KB in all
   * (S3's limit, the smallest of the providers).
   */
  metadata?: Record<string, string>;
}

/**
 * What a stored object is, without its body: what `put` and `head` answer.
 *
 * @example
 * const info: ObjectInfo = await ctx.get(Storage).head('receipts', 'orders/42.json');
 * ctx.log.info('receipt', { size: info.size, etag: info.etag });
 */
export interface ObjectInfo {
  bucket: string;
  key: string;
  size: number;
  contentType: string | undefined;
  /** Opaque version tag of the content (quotes removed); changes when the object is overwritten. */
  etag: string | undefined;
  lastModified: Date | undefined;
  metadata: Readonly<Record<string, string>>;
}

/**
 * A stored object with its whole body in memory: what `Storage.get` answers.
 *
 * @example
 * const { body, contentType }: StoredObject = await ctx.get(Storage).get('receipts', 'orders/42.json');
 */
export interface StoredObject extends ObjectInfo {
  body: Uint8Array;
}

/**
 * A stored object whose body streams from the provider: what `Storage.getStream` answers.
 *
 * @example
 * const { body }: StoredObjectStream = await ctx.get(Storage).getStream('videos', 'intro.mp4');
 * await pipeline(body, createWriteStream('/tmp/intro.mp4'));
 */
export interface StoredObjectStream extends ObjectInfo {
  /** The body as it arrives from the provider; read it or destroy it. */
  body: Readable;
}

/**
 * Options of `Storage.list`: a key prefix, the page cursor and the page size.
 *
 * @example
 * const options: ListOptions = { prefix: 'orders/', limit: 100 };
 * const page = await ctx.get(Storage).list('receipts', options);
 */
export interface ListOptions {
  /** Only keys starting with this text. */
  prefix?: string;
  /** The `cursor` of the previous page. */
  cursor?: string;
  /** Objects per page, 1-1000 (default 1000, the S3 and Cloud Storage maximum). */
  limit?: number;
}

/**
 * One object of a `Storage.list` page: its key, size, etag and last change.
 *
 * @example
 * const keys = page.objects.map((o: ObjectSummary) => o.key);
 */
export interface ObjectSummary {
  key: string;
  size: number;
  etag: string | undefined;
  lastModified: Date | undefined;
}

/**
 * One page of `Storage.list`: objects in key order and the cursor of the next page.
 *
 * @example
 * let page: ListPage | undefined;
 * do {
 *   page = await ctx.get(Storage).list('receipts', { prefix: 'orders/', cursor: page?.cursor });
 * } while (page.cursor);
 */
export interface ListPage {
  /** In key order (UTF-8 byte order on every provider). */
  objects: ObjectSummary[];
  /** Pass to the next `list` call; absent on the last page. */
  cursor?: string;
}

/**
 * Options of `Storage.signedUrl`: the method, how long the URL lives and, for uploads, the Content-Type.
 *
 * @example
 * const options: SignedUrlOptions = { method: 'PUT', expiresIn: 600, contentType: 'image/png' };
 * const uploadUrl = await ctx.get(Storage).signedUrl('avatars', `${userId}.png`, options);
 */
export interface SignedUrlOptions {
  /** `GET` downloads the object, `PUT` uploads it (default `GET`). */
  method?: 'GET' | 'PUT';
  /** Seconds the URL stays valid, 1-604800 (7 days: the longest S3 SigV4 and Cloud Storage v4 URLs live). */
  expiresIn: number;
  /** PUT only: the Content-Type the uploader must send (signed into the URL where the provider can). */
  contentType?: string;
}

/**
 * Objects in buckets: S3 on AWS, Blob Storage containers on Azure, Cloud Storage on GCP, a local
 * folder on node (whose writes and deletes trigger the app's storage functions, as the clouds do).
 * Bucket names are logical: each provider maps them through its config (`providers.<name>.buckets`).
 * Failures are a `StorageError` (`StorageNotFoundError` for a missing object) with the provider error
 * as `cause`; invalid arguments are a TypeError/RangeError before any call.
 *
 * @example
 * const storage = ctx.get(Storage);
 * await storage.put('receipts', `orders/${id}.json`, JSON.stringify(receipt), { contentType: 'application/json' });
 * const { body } = await storage.get('receipts', `orders/${id}.json`);
 * const url = await storage.signedUrl('receipts', `orders/${id}.json`, { expiresIn: 300 });
 */
export interface Storage {
  /** Stores (or replaces) an object; a stream body is uploaded as it is read. */
  put(bucket: string, key: string, body: StorageBody, options?: PutOptions): Promise<ObjectInfo>;
  /** The whole object in memory; `StorageNotFoundError` when it does not exist. */
  get(bucket: string, key: string): Promise<StoredObject>;
  /** The object as a stream, for bodies too large to hold; `StorageNotFoundError` when it does not exist. */
  getStream(bucket: string, key: string): Promise<StoredObjectStream>;
  /** The object's info, or `undefined` when it does not exist. */
  head(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /** One page of objects in key order. */
  list(bucket: string, options?: ListOptions): Promise<ListPage>;
  /** Deletes an object; deleting a missing object succeeds (as on S3). */
  delete(bucket: string, key: string): Promise<void>;
  /** A URL anyone holding it can GET or PUT without credentials until it expires. */
  signedUrl(bucket: string, key: string, options: SignedUrlOptions): Promise<string>;
}
export const Storage = token<Storage>('Storage');

/** The methods of `Storage`, for adapters that build it lazily (`lazyService`). */
export const STORAGE_METHODS = [
  'put',
  'get',
  'getStream',
  'head',
  'list',
  'delete',
  'signedUrl',
] as const satisfies readonly (keyof Storage)[];
