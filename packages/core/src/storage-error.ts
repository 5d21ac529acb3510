/**
 * Which Storage call failed, as `StorageError.operation` says.
 *
 * @example
 * const failed: StorageOperation | undefined = error instanceof StorageError ? error.operation : undefined;
 */
export type StorageOperation = 'put' | 'get' | 'getStream' | 'head' | 'list' | 'delete' | 'signedUrl';

export interface StorageErrorInit {
  operation: StorageOperation;
  bucket: string;
  key?: string;
  /** The provider's error code (`NoSuchKey`, `BlobNotFound`, HTTP 404 ...), when it gave one. */
  code?: string;
  /** The provider error, kept for logs; never shown to a client. */
  cause?: unknown;
}

/**
 * A Storage call failed after the provider's retries: the same class on every provider, so
 * `catch (e) { if (e instanceof StorageError) ... }` is portable. The provider error is `cause`.
 *
 * @example
 * try {
 *   await ctx.get(Storage).put('receipts', key, body);
 * } catch (error) {
 *   if (error instanceof StorageError) ctx.log.error('receipt not stored', { code: error.code, error });
 *   throw error;
 * }
 */
export class StorageError extends Error {
  override name = 'StorageError';
  readonly operation: StorageOperation;
  readonly bucket: string;
  readonly key: string | undefined;
  readonly code: string | undefined;

  constructor(message: string, init: StorageErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.bucket = init.bucket;
    this.key = init.key;
    this.code = init.code;
  }
}

/**
 * The object (or bucket) does not exist: `get`/`getStream` of a missing key, or any call on a missing
 * bucket. `head` answers `undefined` for a missing key instead, and `delete` of a missing key succeeds.
 *
 * @example
 * try {
 *   return (await storage.get('receipts', key)).body;
 * } catch (error) {
 *   if (error instanceof StorageNotFoundError) throw new HttpError(404, 'no such receipt');
 *   throw error;
 * }
 */
export class StorageNotFoundError extends StorageError {
  override name = 'StorageNotFoundError';
}
