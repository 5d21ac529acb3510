/**
 * What a client is told when a CloudEvent over HTTP is refused: each InvalidEventError names the
 * part of the request at fault (`content-type`, `headers`, `body`, `body.data_base64`), since the
 * message is the 400's text. Plus the media-type rule's anchoring and a lone surrogate kept.
 */
import { describe, expect, it } from 'vitest';
import { cloudEventFromHttp, cloudEventFromJson, decodeData } from '../src/cloud-event-http.ts';
import { InvalidEventError } from '../src/errors.ts';
import { HttpHeaders } from '../src/http-headers.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const headers = (h: Record<string, string>) => new HttpHeaders(Object.entries(h));
const ev = { id: '1', source: '/s', type: 't', specversion: '1.0' };

function refusal(call: () => unknown): InvalidEventError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEventError);
    return error as InvalidEventError;
  }
  throw new Error('not refused');
}

describe('cloudEventFromHttp refusals name the part of the request', () => {
  it('a batch by its content type', () => {
    const error = refusal(() =>
      cloudEventFromHttp(headers({ 'content-type': 'application/cloudevents-batch+json' }), enc('[]')),
    );
    expect(error.path).toBe('content-type');
    expect(error.message).toBe(
      'content-type: batched CloudEvents are not accepted; send one event per request',
    );
  });

  it('a request without ce-* headers, and a binary event missing an attribute, by its headers', () => {
    expect(
      refusal(() => cloudEventFromHttp(headers({ 'content-type': 'application/json' }), enc('{}'))).path,
    ).toBe('headers');
    const missing = refusal(() =>
      cloudEventFromHttp(headers({ 'ce-id': '1', 'ce-source': '/s', 'ce-specversion': '1.0' }), enc('')),
    );
    expect(missing.message).toMatch(/^headers: /);
    expect(missing.message).toContain('type');
  });

  it('a structured event that is no JSON, or no CloudEvent, by its body', () => {
    const structured = headers({ 'content-type': 'application/cloudevents+json' });
    expect(refusal(() => cloudEventFromHttp(structured, enc('{'))).path).toBe('body');
    expect(refusal(() => cloudEventFromHttp(structured, enc('{"id":"1"}'))).message).toMatch(/^body: /);
  });
});

describe('cloudEventFromJson', () => {
  it('names "body" unless told otherwise', () => {
    expect(refusal(() => cloudEventFromJson({ id: '1' })).message).toMatch(/^body: /);
    expect(refusal(() => cloudEventFromJson({ ...ev, data_base64: '!!' })).path).toBe('body.data_base64');
  });

  it('refuses a data_base64 that is no string as not base64', () => {
    for (const data_base64 of [42, ['AA=='], { a: 1 }]) {
      const error = refusal(() => cloudEventFromJson({ ...ev, data_base64 }, 'req'));
      expect(error.message).toBe('req.data_base64: data_base64 is not valid base64');
    }
    // JSON format §2.4: a null attribute is absent.
    expect(cloudEventFromJson({ ...ev, data_base64: null }).data).toBeUndefined();
  });

  it('names data_base64 when its decoded JSON does not parse', () => {
    const error = refusal(() =>
      cloudEventFromJson({ ...ev, datacontenttype: 'application/json', data_base64: 'ew==' }, 'req'),
    );
    expect(error.path).toBe('req.data_base64');
  });
});

describe('decodeData', () => {
  it('names "body" for JSON that does not parse, unless told otherwise', () => {
    expect(refusal(() => decodeData(enc('{'), 'application/json')).path).toBe('body');
  });

  it('reads the JSON media type before any parameter only', () => {
    // A parameter that mentions JSON does not make a text body JSON.
    expect(decodeData(enc('{"a":1}'), 'text/plain; profile=application/json')).toBe('{"a":1}');
    expect(decodeData(enc('{"a":1}'), 'text/plain;x=+json')).toBe('{"a":1}');
  });
});
