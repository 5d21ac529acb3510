import { utf8 } from '../bytes.ts';
import type { MessageBody } from '../services.ts';

/**
 * A `Queue.send` / `Topic.publish` body as every provider's client encodes it: bytes stay bytes,
 * text stays text, any other value is JSON. The content type says which, so the receiving side can
 * tell bytes from text from JSON.
 */
export type EncodedMessageBody =
  | { readonly type: 'bytes'; readonly bytes: Uint8Array; readonly contentType: 'application/octet-stream' }
  | { readonly type: 'text'; readonly text: string; readonly contentType: 'text/plain; charset=utf-8' }
  | { readonly type: 'json'; readonly text: string; readonly contentType: 'application/json' };

/**
 * Encodes a message body, or throws a `TypeError` naming the call (`where`) for a value JSON cannot
 * hold (`undefined`, a function, a symbol): every provider refuses the same bodies the same way.
 *
 * @example
 * const body = encodeMessageBody(order, `Queue.send("${name}")`);
 * const bytes = messageBodyBytes(body); // for providers that send bytes
 */
export function encodeMessageBody(body: MessageBody, where: string): EncodedMessageBody {
  if (body instanceof Uint8Array)
    return { type: 'bytes', bytes: body, contentType: 'application/octet-stream' };
  if (typeof body === 'string') return { type: 'text', text: body, contentType: 'text/plain; charset=utf-8' };
  const json = JSON.stringify(body);
  if (json === undefined) throw new TypeError(`${where}: body must be text, bytes or a JSON value`);
  return { type: 'json', text: json, contentType: 'application/json' };
}

/** The bytes of an encoded body (text and JSON as UTF-8). */
export function messageBodyBytes(body: EncodedMessageBody): Uint8Array {
  return body.type === 'bytes' ? body.bytes : utf8(body.text);
}
