import {
  type CloudEvent,
  fromBase64,
  fromUtf8,
  InvalidEventError,
  parseJson,
  validateCloudEvent,
} from '@polycloud/core';

const CORE = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
]);
const EXTENSION = /^[a-z0-9]{1,20}$/;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * A structured-mode CloudEvent (JSON object) → neutral CloudEvent, normalised so that the same
 * event gives the same result in binary and structured mode:
 * - a JSON `null` attribute is absent (JSON format §2.4);
 * - Google's structured samples use camelCase extensions (`methodName`, `resourceName`); binary
 *   mode delivers them as lower-case `ce-*` headers, so they are lower-cased here;
 * - extension values must be strings, booleans or 32-bit integers (a decimal number is invalid);
 * - `data_base64` is decoded, then read as JSON or text when datacontenttype says so, as binary
 *   mode reads its body.
 */
export function fromStructuredObject(value: unknown, where = 'body'): CloudEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidEventError('a CloudEvent must be a JSON object', where);
  const input = value as Record<string, unknown>;
  const ev: Record<string, unknown> = {};
  for (const key in input) {
    const v = input[key];
    if (v === null && key !== 'data') continue;
    if (CORE.has(key)) {
      ev[key] = v;
      continue;
    }
    const lower = key.toLowerCase();
    const name = !EXTENSION.test(key) && EXTENSION.test(lower) && !(lower in input) ? lower : key;
    if (!(typeof v === 'string' || typeof v === 'boolean' || isInt32(v)))
      throw new InvalidEventError(
        'extension attribute values must be strings, booleans or 32-bit integers',
        `${where}.${key}`,
      );
    ev[name] = v;
  }
  const event = validateCloudEvent(ev, where);
  if (event.data_base64 !== undefined) {
    if (event.data !== undefined)
      throw new InvalidEventError('data and data_base64 are mutually exclusive', `${where}.data_base64`);
    if (typeof event.data_base64 !== 'string')
      throw new InvalidEventError('must be a base64 string', `${where}.data_base64`);
    const bytes = fromBase64(event.data_base64);
    if (!bytes) throw new InvalidEventError('data_base64 is not valid base64', `${where}.data_base64`);
    delete event.data_base64;
    event.data = decodeBytes(bytes, event.datacontenttype, `${where}.data_base64`);
  }
  return event;
}

/** Reads bytes as JSON or text when the content type says so; anything else (protobuf, images) stays bytes. */
export function decodeBytes(bytes: Uint8Array, contentType: string | undefined, where: string): unknown {
  const type = (contentType ?? '').toLowerCase();
  if (/^[^;]*[/+]json\s*(;|$)/.test(type))
    return bytes.length === 0 ? undefined : parseJson(fromUtf8(bytes), where);
  if (type.startsWith('text/')) return fromUtf8(bytes);
  return bytes;
}

function isInt32(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}
