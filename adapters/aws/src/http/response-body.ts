import type { HttpResponse } from '@polycloud/core';
import { isBinaryBody, responseBytes, toBase64 } from '@polycloud/core/adapter';

/** A body in Lambda's JSON envelope: base64 exactly when core says the content is binary. */
export function encodeResponseBody(response: HttpResponse): { body: string; isBase64Encoded: boolean } {
  const bytes = response.body;
  if (bytes.length === 0) return { body: '', isBase64Encoded: false };
  if (isBinaryBody(response.headers))
    return { body: toBase64(responseBytes(response)), isBase64Encoded: true };
  // Text produced by the handler (a string or JSON) goes out as is: no encode/decode round trip.
  if (typeof bytes === 'string') return { body: bytes, isBase64Encoded: false };
  // Buffer's UTF-8 decoder costs a fraction of TextDecoder's per call on small bodies (the hot path).
  return {
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    isBase64Encoded: false,
  };
}
