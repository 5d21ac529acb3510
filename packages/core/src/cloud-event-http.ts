import { fromBase64, fromUtf8, toBase64, utf8 } from './bytes.ts';
import { type CloudEvent, validateCloudEvent } from './cloud-event.ts';
import { InvalidEventError } from './errors.ts';
import type { HttpHeaders } from './http-headers.ts';
import { decodeLenient } from './percent-decode.ts';
import { parseJson } from './safe-json.ts';

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

/**
 * Reads a CloudEvent from the HTTP protocol binding 1.0: structured mode
 * (`application/cloudevents+json`) or binary mode (`ce-*` headers + body). Invalid or incomplete
 * envelopes are InvalidEventErrors naming what is missing.
 */
export function cloudEventFromHttp(headers: HttpHeaders, body: Uint8Array): CloudEvent {
  const contentType = headers.get('content-type') ?? '';
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType === BATCH)
    throw new InvalidEventError(
      'batched CloudEvents are not accepted; send one event per request',
      'content-type',
    );
  if (mediaType === STRUCTURED) return fromStructured(body);

  const ev: Record<string, unknown> = {};
  for (const [name, value] of headers) {
    if (!name.startsWith('ce-')) continue;
    // The HTTP binding percent-encodes attribute values that are not printable ASCII.
    ev[name.slice(3)] = decodeLenient(value);
  }
  if (Object.keys(ev).length === 0) {
    throw new InvalidEventError(
      'not a CloudEvent: no ce-* headers and content-type is not application/cloudevents+json; missing required CloudEvent attribute(s): id, source, specversion, type',
      'headers',
    );
  }
  if (contentType) ev.datacontenttype = contentType;
  if (body.length > 0) ev.data = decodeData(body, contentType);
  return validateCloudEvent(ev, 'headers');
}

function fromStructured(body: Uint8Array): CloudEvent {
  return cloudEventFromJson(parseJson(fromUtf8(body), 'body'), 'body');
}

/**
 * A structured-mode (JSON format) CloudEvent object → CloudEvent: validated, and `data_base64`
 * decoded and read like a binary-mode body (JSON and text content types give a value, others stay
 * bytes), so one event reads the same in both modes.
 */
export function cloudEventFromJson(value: unknown, where = 'body'): CloudEvent {
  const ev = validateCloudEvent(value, where);
  if (ev.data_base64 === undefined) return ev;
  if (ev.data !== undefined)
    throw new InvalidEventError('data and data_base64 are mutually exclusive', `${where}.data_base64`);
  const bytes = typeof ev.data_base64 === 'string' ? fromBase64(ev.data_base64) : undefined;
  if (!bytes) throw new InvalidEventError('data_base64 is not valid base64', `${where}.data_base64`);
  delete ev.data_base64;
  ev.data =
    // Stryker disable next-line ConditionalExpression: `true` hands decodeData an undefined type, which keeps the bytes as they are, as without one (validateCloudEvent refused a datacontenttype that is no string)
    typeof ev.datacontenttype === 'string'
      ? decodeData(bytes, ev.datacontenttype, `${where}.data_base64`)
      : bytes;
  return ev;
}

/** Bytes as JSON or text when the content type says so; anything else (protobuf, images) stays bytes. */
export function decodeData(body: Uint8Array, contentType: string, where = 'body'): unknown {
  if (/^[^;]*[/+]json\s*(;|$)/i.test(contentType) || contentType === '') {
    if (contentType === '') {
      // No content type: keep bytes unless it is valid JSON.
      try {
        return parseJson(fromUtf8(body), where);
      } catch {
        return body;
      }
    }
    return body.length === 0 ? undefined : parseJson(fromUtf8(body), where);
  }
  if (/^text\//i.test(contentType)) return fromUtf8(body);
  return body;
}

/** Writes a CloudEvent as a structured-mode HTTP body (binary data goes to `data_base64`). */
export function cloudEventToStructured(ev: CloudEvent): {
  headers: Record<string, string>;
  body: Uint8Array;
} {
  const { data, ...rest } = ev;
  const out: Record<string, unknown> = { ...rest };
  if (data instanceof Uint8Array) out.data_base64 = toBase64(data);
  else out.data = data; // JSON.stringify leaves an undefined `data` out
  return { headers: { 'content-type': STRUCTURED }, body: utf8(JSON.stringify(out)) };
}

/** Writes a CloudEvent in binary mode: attributes as `ce-*` headers, data as the body. */
export function cloudEventToBinary(ev: CloudEvent): { headers: Record<string, string>; body: Uint8Array } {
  const headers: Record<string, string> = {};
  for (const key in ev) {
    if (key === 'data' || key === 'datacontenttype') continue;
    const value = ev[key];
    if (value !== undefined) headers[`ce-${key}`] = encodeURI(String(value));
  }
  const data = ev.data;
  let body: Uint8Array;
  if (data instanceof Uint8Array) {
    body = data;
    headers['content-type'] = ev.datacontenttype ?? 'application/octet-stream';
  } else if (typeof data === 'string' && !ev.datacontenttype?.includes('json')) {
    body = utf8(data);
    headers['content-type'] = ev.datacontenttype ?? 'text/plain; charset=utf-8';
  } else {
    body = data === undefined ? new Uint8Array(0) : utf8(JSON.stringify(data));
    headers['content-type'] = ev.datacontenttype ?? 'application/json';
  }
  return { headers, body };
}
