import { EMPTY_BYTES, utf8 } from '@polycloud/core/adapter';

/**
 * Message content as bytes, exactly as the binding's declared encoding delivered it; never a guess.
 *
 * - Storage Queues: the host decodes the message text per host.json `extensions.queues.messageEncoding`
 *   (`base64`, which build writes explicitly and the queue client encodes for) before the worker sees
 *   it. What arrives here is already the payload: a string that happens to be valid base64 (`ping`,
 *   `test`, `order-42`) is text and must never be decoded a second time.
 * - The trigger's `dataType` decides the RPC type: `binary` arrives as bytes (a Buffer), the default as a
 *   string. @azure/functions JSON-parses any string it can (`fromRpcTypedData`): a JSON body arrives as
 *   a value and is serialised back, which keeps its meaning but not its whitespace; text that is not
 *   JSON stays byte-exact.
 */
export function bodyBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return utf8(value);
  if (value === undefined) return EMPTY_BYTES;
  return utf8(JSON.stringify(value));
}
