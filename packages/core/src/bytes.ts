// Built on first use: constructing the encoder took 0.05 ms of an AWS cold start's import (median
// of 21 fresh processes, issue 12), and an http function answering JSON text never needs it.
let encoder: TextEncoder | undefined;
let decoder: TextDecoder | undefined;

export const EMPTY_BYTES = new Uint8Array(0);

export function utf8(text: string): Uint8Array {
  if (text.length === 0) return EMPTY_BYTES;
  encoder ??= new TextEncoder();
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  decoder ??= new TextDecoder();
  return decoder.decode(bytes);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Strict base64 (standard or url alphabet): Buffer.from silently skips bad characters and
 * truncated input, which would hand a handler corrupted bytes instead of an error.
 */
export function fromBase64(text: string): Uint8Array | undefined {
  // Stryker disable next-line Regex: removing white space one character or one run at a time gives the same text
  const clean = text.replace(/\s+/g, '');
  if (!BASE64.test(clean) || clean.length % 4 === 1) return undefined;
  // Node's 'base64' decoder also accepts the URL-safe alphabet (RFC 4648 §5), so one call reads both.
  const buf = Buffer.from(clean, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function asBytes(value: Uint8Array | ArrayBuffer | Buffer): Uint8Array {
  if (value instanceof Uint8Array) return value;
  return new Uint8Array(value);
}
