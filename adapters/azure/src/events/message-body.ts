import { EMPTY_BYTES, utf8 } from '@polycloud/core/adapter';

/**
 * Message content as bytes. @azure/functions hands over bytes as a Buffer but JSON-parses any string
 * it can (`fromRpcTypedData`): a JSON body arrives as a value and is serialised back, which keeps its
 * meaning but not its whitespace; text that is not JSON stays byte-exact.
 */
export function bodyBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return utf8(value);
  if (value === undefined) return EMPTY_BYTES;
  return utf8(JSON.stringify(value));
}
