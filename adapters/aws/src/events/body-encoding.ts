import { InvalidEventError } from '@polycloud/core';
import { fromBase64 } from '@polycloud/core/adapter';

/**
 * SQS and SNS carry text only (SQS even rejects some code points), so `Queue.send` / `Topic.publish`
 * send a byte body as base64 and mark it with this message attribute; the SQS and SNS decoders
 * turn it back into the exact bytes and hide the attribute from the handler.
 */
export const BODY_ENCODING_ATTRIBUTE = 'polycloud-body-encoding';
export const BASE64_ENCODING = 'base64';

/**
 * The body bytes and the handler-visible attributes of a received SQS/SNS message. A body marked
 * base64 that is not valid base64 is an InvalidEventError naming `path` (the message is rejected,
 * never handed over as corrupted bytes).
 */
export function decodeBody(
  text: string,
  attributes: Record<string, string> | undefined,
  path: string,
  // Appended to `path` for an error only: a valid record's body path is never built (SQS×10, issue 12).
  field = '',
): { body: Uint8Array | string; attributes: Record<string, string> | undefined } | InvalidEventError {
  const encoding = attributes?.[BODY_ENCODING_ATTRIBUTE];
  if (encoding === undefined) return { body: text, attributes };
  const { [BODY_ENCODING_ATTRIBUTE]: _, ...visible } = attributes!;
  if (encoding !== BASE64_ENCODING) {
    return new InvalidEventError(
      `unknown ${BODY_ENCODING_ATTRIBUTE} "${encoding.slice(0, 40)}" (only "${BASE64_ENCODING}")`,
      path + field,
    );
  }
  const bytes = fromBase64(text);
  if (!bytes)
    return new InvalidEventError(
      `is marked ${BODY_ENCODING_ATTRIBUTE}: base64 but is not base64`,
      path + field,
    );
  return { body: bytes, attributes: visible };
}
