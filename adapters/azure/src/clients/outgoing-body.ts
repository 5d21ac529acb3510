import type { MessageBody } from '@polycloud/core';

/** A `Queue.send` / `Topic.publish` body as bytes: bytes as they are, text as UTF-8, any other value as JSON. */
export function bodyBytes(body: MessageBody, where: string): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  const json = JSON.stringify(body);
  if (json === undefined) throw new TypeError(`${where}: body must be text, bytes or a JSON value`);
  return Buffer.from(json, 'utf8');
}
