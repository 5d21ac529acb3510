import type { ListOptions, PutOptions, SignedUrlOptions } from '../storage.ts';

/** Longest key every provider stores: S3 and Cloud Storage count 1024 UTF-8 bytes, Blob Storage 1024 characters. */
export const MAX_KEY_BYTES = 1024;
/** S3 allows 2 KB of user metadata (names and values); Blob Storage and Cloud Storage 8 KB. */
export const MAX_METADATA_BYTES = 2048;
/** S3 SigV4 and Cloud Storage v4 signed URLs live at most 7 days. */
export const MAX_SIGNED_URL_SECONDS = 604_800;
/** S3 ListObjectsV2 and Cloud Storage objects.list return at most 1000 objects a page. */
export const MAX_LIST_LIMIT = 1000;

// C0 controls and DEL: Cloud Storage refuses CR and LF in names, S3 lists other controls only URL-encoded.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// String#isWellFormed is ES2024; Node 20 has it but the project's lib is ES2023.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const METADATA_NAME = /^[a-z_][a-z0-9_]*$/;
const METADATA_VALUE = /^[\u0020-\u007e]*$/;
// RFC 9110 media type: type "/" subtype, then parameters; no control characters.
const CONTENT_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;.*)?$/;

/** `Storage.put("receipts", "a.json")` and the like, for error messages. */
export function storageCall(operation: string, bucket: unknown, key?: unknown): string {
  return key === undefined
    ? `Storage.${operation}(${JSON.stringify(bucket)})`
    : `Storage.${operation}(${JSON.stringify(bucket)}, ${JSON.stringify(key)})`;
}

/** A logical bucket name: a non-empty string (each provider maps it through its config). */
export function checkBucket(bucket: unknown, where: string): string {
  if (typeof bucket !== 'string' || bucket === '')
    throw new TypeError(`${where}: bucket must be a non-empty string`);
  return bucket;
}

/**
 * A key that every provider stores and lists back exactly: any text up to 1024 UTF-8 bytes
 * (spaces, `+`, `%`, unicode and `/` included) without control characters, not `.` or `..`
 * (Cloud Storage refuses them) and not ending in `/`, `.` or `\` (Blob Storage does not support
 * such names: it folds `\` into `/` and trims trailing dots in URLs).
 */
export function checkKey(key: unknown, where: string): string {
  if (typeof key !== 'string' || key === '') throw new TypeError(`${where}: key must be a non-empty string`);
  const bytes = Buffer.byteLength(key); // UTF-8, Buffer's default
  if (bytes > MAX_KEY_BYTES)
    throw new RangeError(
      `${where}: key is ${bytes} UTF-8 bytes; keys are at most ${MAX_KEY_BYTES} (S3 and Cloud Storage limit)`,
    );
  if (CONTROL.test(key))
    throw new TypeError(`${where}: key contains a control character (Cloud Storage refuses CR/LF)`);
  if (key === '.' || key === '..')
    throw new TypeError(`${where}: "." and ".." are not valid keys on Cloud Storage`);
  if (/[/.\\]$/.test(key))
    throw new TypeError(
      `${where}: a key must not end with "/", "." or "\\" (Blob Storage does not keep such names apart)`,
    );
  if (key.includes('\\'))
    throw new TypeError(`${where}: "\\" in a key is read as "/" by Blob Storage; use "/"`);
  if (LONE_SURROGATE.test(key))
    throw new TypeError(`${where}: key contains a lone surrogate (not encodable as UTF-8)`);
  return key;
}

export interface CheckedPutOptions {
  contentType: string | undefined;
  metadata: Record<string, string>;
}

/** `PutOptions` checked against the strictest provider, so a put that works on one works on all. */
export function checkPutOptions(options: PutOptions | undefined, where: string): CheckedPutOptions {
  if (options === undefined) return { contentType: undefined, metadata: {} };
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${where}: options must be an object`);
  const contentType = options.contentType;
  if (contentType !== undefined && (typeof contentType !== 'string' || !CONTENT_TYPE.test(contentType)))
    throw new TypeError(`${where}: options.contentType must be a media type such as "application/json"`);
  const metadata: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    const path = `${where}: options.metadata.${name}`;
    if (!METADATA_NAME.test(name))
      throw new TypeError(
        `${path}: metadata names are lower-case letters, digits and "_", starting with a letter or "_" (S3 lower-cases names; Blob Storage needs C# identifiers)`,
      );
    if (typeof value !== 'string' || !METADATA_VALUE.test(value))
      throw new TypeError(`${path} must be printable ASCII text (sent as an HTTP header)`);
    bytes += name.length + value.length;
    metadata[name] = value;
  }
  if (bytes > MAX_METADATA_BYTES)
    throw new RangeError(
      `${where}: options.metadata is ${bytes} bytes; at most ${MAX_METADATA_BYTES} (S3's limit for user metadata)`,
    );
  return { contentType, metadata };
}

export interface CheckedListOptions {
  prefix: string | undefined;
  cursor: string | undefined;
  limit: number;
}

export function checkListOptions(options: ListOptions | undefined, where: string): CheckedListOptions {
  const prefix = options?.prefix;
  if (prefix !== undefined && typeof prefix !== 'string')
    throw new TypeError(`${where}: options.prefix must be a string`);
  const cursor = options?.cursor;
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === ''))
    throw new TypeError(`${where}: options.cursor must be the cursor of a previous page`);
  const limit = options?.limit ?? MAX_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT)
    throw new RangeError(
      `${where}: options.limit must be an integer 1-${MAX_LIST_LIMIT} (the S3 and Cloud Storage page maximum)`,
    );
  return { prefix: prefix || undefined, cursor, limit };
}

export interface CheckedSignedUrlOptions {
  method: 'GET' | 'PUT';
  expiresIn: number;
  contentType: string | undefined;
}

export function checkSignedUrlOptions(options: SignedUrlOptions, where: string): CheckedSignedUrlOptions {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${where}: options { expiresIn } is required`);
  const method = options.method ?? 'GET';
  if (method !== 'GET' && method !== 'PUT')
    throw new TypeError(`${where}: options.method must be "GET" or "PUT"`);
  const expiresIn = options.expiresIn;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_SIGNED_URL_SECONDS)
    throw new RangeError(
      `${where}: options.expiresIn must be whole seconds 1-${MAX_SIGNED_URL_SECONDS} (7 days: the S3 SigV4 and Cloud Storage v4 maximum)`,
    );
  const contentType = options.contentType;
  if (contentType !== undefined) {
    if (method !== 'PUT') throw new TypeError(`${where}: options.contentType applies to PUT URLs only`);
    if (typeof contentType !== 'string' || !CONTENT_TYPE.test(contentType))
      throw new TypeError(`${where}: options.contentType must be a media type such as "image/png"`);
  }
  return { method, expiresIn, contentType };
}
