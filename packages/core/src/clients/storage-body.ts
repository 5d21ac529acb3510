import { Readable } from 'node:stream';
import { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { StorageBody } from '../storage.ts';

/** A `put` body as the clients upload it: bytes with their length, or a stream of unknown length. */
export type UploadBody =
  | { kind: 'bytes'; bytes: Uint8Array; defaultContentType: string }
  | { kind: 'stream'; stream: Readable; defaultContentType: string };

const OCTETS = 'application/octet-stream';
const TEXT = 'text/plain; charset=utf-8';

/**
 * Normalises a `Storage.put` body: text becomes UTF-8 bytes, a web ReadableStream a Node Readable
 * (the SDKs all take Node streams). Anything else is a TypeError naming the accepted types, thrown
 * before any provider call.
 */
export function uploadBody(body: StorageBody, where: string): UploadBody {
  if (typeof body === 'string') return { kind: 'bytes', bytes: Buffer.from(body), defaultContentType: TEXT }; // UTF-8, Buffer's default
  if (body instanceof Uint8Array) return { kind: 'bytes', bytes: body, defaultContentType: OCTETS };
  if (body instanceof Readable) return { kind: 'stream', stream: body, defaultContentType: OCTETS };
  if (body instanceof NodeWebStream || isWebStream(body))
    return {
      kind: 'stream',
      stream: Readable.fromWeb(body as NodeWebStream<Uint8Array>),
      defaultContentType: OCTETS,
    };
  throw new TypeError(`${where}: body must be a Uint8Array, a string, a Readable or a ReadableStream`);
}

// A ReadableStream from another realm (undici's global, a polyfill) fails instanceof.
function isWebStream(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { getReader?: unknown }).getReader === 'function' &&
    typeof (value as { pipeTo?: unknown }).pipeTo === 'function'
  );
}

/** Reads a stream into one Uint8Array (for `get`, which promises the whole body). */
export async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  // Buffer.concat takes Uint8Arrays as they are: only text needs encoding.
  // Stryker disable next-line ConditionalExpression: `true` copies a byte chunk through Buffer.from, the same bytes (the `false` mutant is killed: Buffer.concat refuses a string)
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}
