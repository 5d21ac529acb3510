import { fromUtf8, type HttpResponse, isBinaryBody, toBase64 } from '@polycloud/core';

/** A body in Lambda's JSON envelope: base64 exactly when core says the content is binary. */
export function encodeResponseBody(response: HttpResponse): { body: string; isBase64Encoded: boolean } {
  if (response.body.length === 0) return { body: '', isBase64Encoded: false };
  if (isBinaryBody(response.headers)) return { body: toBase64(response.body), isBase64Encoded: true };
  return { body: fromUtf8(response.body), isBase64Encoded: false };
}
