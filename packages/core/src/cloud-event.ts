import { InvalidEventError } from './errors.ts';

/**
 * A CloudEvent 1.0 in its JSON shape; extensions are extra top-level attributes.
 *
 * @example
 * event({ type: 'com.example.order.created' }, (ev: CloudEvent) => console.log(ev.id, ev.source, ev.data));
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  /** JSON data as a value; binary data as bytes. */
  data?: T;
  [extension: string]: unknown;
}

export const CLOUD_EVENT_REQUIRED = ['id', 'source', 'specversion', 'type'] as const;
/** The CloudEvents 1.0 context attributes (plus `data`/`data_base64`); every other attribute is an extension. */
export const CLOUD_EVENT_ATTRIBUTES: ReadonlySet<string> = new Set([
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
/** Extension names: lower-case letters and digits, at most 20. */
export const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

/**
 * Validates a CloudEvent envelope per the 1.0 spec: a missing or empty required attribute
 * is an InvalidEventError that names every missing one.
 */
export function validateCloudEvent(value: unknown, where = 'event'): CloudEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEventError('a CloudEvent must be a JSON object', where);
  }
  const ev = value as Record<string, unknown>;
  // JSON format §2.4: an attribute whose value is null is absent.
  for (const key in ev) if (ev[key] === null && key !== 'data') delete ev[key];
  const missing = CLOUD_EVENT_REQUIRED.filter((k) => typeof ev[k] !== 'string' || ev[k] === '');
  if (missing.length > 0) {
    throw new InvalidEventError(`missing required CloudEvent attribute(s): ${missing.join(', ')}`, where);
  }
  if (ev.specversion !== '1.0') {
    throw new InvalidEventError(
      `unsupported specversion "${String(ev.specversion)}" (expected "1.0")`,
      `${where}.specversion`,
    );
  }
  if (ev.time !== undefined && (typeof ev.time !== 'string' || Number.isNaN(Date.parse(ev.time)))) {
    throw new InvalidEventError('time must be an RFC 3339 timestamp', `${where}.time`);
  }
  for (const key of ['subject', 'datacontenttype', 'dataschema'] as const) {
    if (ev[key] !== undefined && typeof ev[key] !== 'string') {
      throw new InvalidEventError('must be a string', `${where}.${key}`);
    }
  }
  for (const key in ev) {
    if (CLOUD_EVENT_ATTRIBUTES.has(key)) continue;
    if (!EXTENSION_NAME.test(key)) {
      throw new InvalidEventError(
        'extension names are lower-case letters and digits, at most 20',
        `${where}.${key}`,
      );
    }
    const v = ev[key];
    // The CloudEvents type system: extension values are strings, booleans or integers from
    // -2,147,483,648 to +2,147,483,647 inclusive.
    if (
      !(
        typeof v === 'string' ||
        typeof v === 'boolean' ||
        (Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31)
      )
    ) {
      throw new InvalidEventError(
        'extension attribute values must be strings, booleans or 32-bit integers',
        `${where}.${key}`,
      );
    }
  }
  return ev as CloudEvent;
}

/** The extension attributes of an event (everything that is not a core context attribute). */
export function cloudEventExtensions(ev: CloudEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in ev) if (!CLOUD_EVENT_ATTRIBUTES.has(key)) out[key] = ev[key];
  return out;
}
