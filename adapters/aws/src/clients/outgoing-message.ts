import type { MessageBody } from '@polycloud/core';
import { encodeMessageBody } from '@polycloud/core/clients/message-body';
import { BASE64_ENCODING, BODY_ENCODING_ATTRIBUTE } from '../events/body-encoding.ts';

/** A message attribute as SQS SendMessage and SNS Publish both take it. */
export interface StringAttribute {
  DataType: 'String';
  StringValue: string;
}

export interface OutgoingMessage {
  text: string;
  attributes: Record<string, StringAttribute> | undefined;
}

// SQS and SNS both limit a message to 10 attributes; names are letters, digits, "_", "-", "." and
// must not start with the reserved "AWS." / "Amazon." prefixes.
const MAX_ATTRIBUTES = 10;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?$/;
const RESERVED_PREFIX = /^(aws\.|amazon\.)/i;

/**
 * The body and attributes of a `Queue.send` / `Topic.publish` as SQS and SNS accept them: text as is,
 * bytes as base64 marked with `polycloud-body-encoding`, any other value as JSON. `where` names the
 * call in errors (`Queue.send("orders")`).
 */
export function outgoingMessage(
  body: MessageBody,
  attributes: Record<string, string> | undefined,
  where: string,
): OutgoingMessage {
  let text: string;
  let base64 = false;
  const encoded = encodeMessageBody(body, where);
  if (encoded.type === 'bytes') {
    const bytes = encoded.bytes;
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    base64 = true;
  } else text = encoded.text;
  // SQS and SNS both refuse an empty message ("must contain the parameter MessageBody").
  if (text === '')
    throw new RangeError(`${where}: body must not be empty (SQS and SNS reject empty messages)`);
  const out: Record<string, StringAttribute> = {};
  let count = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const path = `${where}: options.attributes.${name}`;
    if (name === BODY_ENCODING_ATTRIBUTE) throw new TypeError(`${path} is reserved by polycloud`);
    if (!ATTRIBUTE_NAME.test(name) || RESERVED_PREFIX.test(name) || name.includes('..')) {
      throw new TypeError(
        `${path}: attribute names are 1-256 letters, digits, "_", "-", "." and may not start with AWS. or Amazon.`,
      );
    }
    if (typeof value !== 'string' || value === '') throw new TypeError(`${path} must be a non-empty string`);
    out[name] = { DataType: 'String', StringValue: value };
    count++;
  }
  if (base64) {
    out[BODY_ENCODING_ATTRIBUTE] = { DataType: 'String', StringValue: BASE64_ENCODING };
    count++;
  }
  if (count > MAX_ATTRIBUTES) {
    throw new RangeError(
      `${where}: options.attributes has ${count} entries${base64 ? ' (one is the byte body marker)' : ''}; ` +
        `SQS and SNS allow ${MAX_ATTRIBUTES}`,
    );
  }
  return { text, attributes: count > 0 ? out : undefined };
}
