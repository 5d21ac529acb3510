/**
 * The CloudEvents HTTP protocol binding 1.0 in core (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md):
 * binary mode (ce-* headers + body) and structured mode (application/cloudevents+json), both directions.
 */
import { describe, expect, it } from 'vitest';
import {
  cloudEventFromHttp,
  cloudEventFromJson,
  cloudEventToBinary,
  cloudEventToStructured,
  decodeData,
} from '../src/cloud-event-http.ts';
import { InvalidEventError } from '../src/errors.ts';
import { HttpHeaders } from '../src/http-headers.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const base = { 'ce-id': '1', 'ce-source': '/s', 'ce-type': 't', 'ce-specversion': '1.0' };
const headers = (h: Record<string, string>) => new HttpHeaders(Object.entries(h));

describe('binary mode in', () => {
  it('reads attributes from ce-* headers (percent-decoded) and the body by content type', () => {
    const ev = cloudEventFromHttp(
      headers({
        ...base,
        'ce-subject': 'caf%C3%A9',
        'content-type': 'application/json; charset=utf-8',
        other: 'x',
      }),
      enc('{"a":1}'),
    );
    expect(ev).toEqual({
      id: '1',
      source: '/s',
      type: 't',
      specversion: '1.0',
      subject: 'café',
      datacontenttype: 'application/json; charset=utf-8',
      data: { a: 1 },
    });
  });

  it('an empty body is an event without data; no content type is no datacontenttype', () => {
    const ev = cloudEventFromHttp(headers(base), new Uint8Array(0));
    expect('data' in ev).toBe(false);
    expect('datacontenttype' in ev).toBe(false);
  });

  it('no ce-* headers and not structured: a 400 naming every required attribute', () => {
    expect(() => cloudEventFromHttp(headers({ 'content-type': 'application/json' }), enc('{}'))).toThrow(
      'not a CloudEvent: no ce-* headers and content-type is not application/cloudevents+json; missing required CloudEvent attribute(s): id, source, specversion, type',
    );
  });

  it('batched mode is refused; structured mode is read from the body whatever the parameters', () => {
    expect(() =>
      cloudEventFromHttp(headers({ 'content-type': 'application/cloudevents-batch+json' }), enc('[]')),
    ).toThrow(/batched CloudEvents are not accepted/);
    const ev = cloudEventFromHttp(
      headers({ 'content-type': 'Application/CloudEvents+JSON ; charset=utf-8' }),
      enc('{"id":"9","source":"/x","type":"y","specversion":"1.0","data":"z"}'),
    );
    expect(ev).toMatchObject({ id: '9', data: 'z' });
  });
});

describe('decodeData: JSON and text become values, anything else stays bytes', () => {
  it('JSON types (also +json and parameters), text types, and others', () => {
    expect(decodeData(enc('{"a":1}'), 'application/json')).toEqual({ a: 1 });
    expect(decodeData(enc('[1]'), 'application/vnd.x+json ; charset=utf-8')).toEqual([1]);
    expect(decodeData(new Uint8Array(0), 'application/json')).toBeUndefined();
    expect(decodeData(enc('héllo'), 'text/plain')).toBe('héllo');
    expect(decodeData(enc('<a/>'), 'TEXT/xml')).toBe('<a/>');
    expect(decodeData(enc('x'), 'application/xml')).toEqual(enc('x'));
    expect(decodeData(enc('{"a":1}'), 'application/jsonx')).toEqual(enc('{"a":1}'));
    expect(decodeData(enc('a text/plain'), 'application/octet-stream; x=text/plain')).toEqual(
      enc('a text/plain'),
    );
  });

  it('no content type: JSON when it parses, otherwise the bytes', () => {
    expect(decodeData(enc('{"a":1}'), '')).toEqual({ a: 1 });
    expect(decodeData(enc('not json'), '')).toEqual(enc('not json'));
  });

  it('malformed JSON under a JSON type is an InvalidEventError naming where', () => {
    expect(() => decodeData(enc('{'), 'application/json', 'body.data')).toThrow(InvalidEventError);
    expect(() => decodeData(enc('{'), 'application/json', 'body.data')).toThrow(/body\.data/);
  });
});

describe('structured mode data_base64', () => {
  const ev = { id: '1', source: '/s', type: 't', specversion: '1.0' };
  it('decodes data_base64 by datacontenttype, or keeps bytes without one', () => {
    expect(cloudEventFromJson({ ...ev, datacontenttype: 'text/plain', data_base64: 'aMOp' }).data).toBe('hé');
    expect(cloudEventFromJson({ ...ev, data_base64: 'AP8=' }).data).toEqual(new Uint8Array([0, 255]));
    expect('data_base64' in cloudEventFromJson({ ...ev, data_base64: 'AP8=' })).toBe(false);
  });

  it('refuses data with data_base64, and data_base64 that is not base64, naming the field', () => {
    expect(() => cloudEventFromJson({ ...ev, data: 1, data_base64: 'AA==' }, 'req')).toThrow(
      'req.data_base64: data and data_base64 are mutually exclusive',
    );
    expect(() => cloudEventFromJson({ ...ev, data_base64: '!!' }, 'req')).toThrow(
      'req.data_base64: data_base64 is not valid base64',
    );
  });
});

describe('out: structured and binary mode', () => {
  const ev = { id: '1', source: '/s', type: 't', specversion: '1.0' } as const;
  it('structured: bytes go to data_base64, other data to data', () => {
    const bin = JSON.parse(
      new TextDecoder().decode(cloudEventToStructured({ ...ev, data: new Uint8Array([1]) }).body),
    );
    expect(bin).toEqual({ ...ev, data_base64: 'AQ==' });
    const json = JSON.parse(new TextDecoder().decode(cloudEventToStructured({ ...ev, data: { a: 1 } }).body));
    expect(json).toEqual({ ...ev, data: { a: 1 } });
    const none = JSON.parse(new TextDecoder().decode(cloudEventToStructured({ ...ev }).body));
    expect(none).toEqual(ev);
  });

  it('binary: attributes as percent-encoded ce-* headers; content type by data kind', () => {
    const bytes = cloudEventToBinary({ ...ev, subject: 'café', data: new Uint8Array([7]) });
    expect(bytes.headers).toEqual({
      'ce-id': '1',
      'ce-source': '/s',
      'ce-type': 't',
      'ce-specversion': '1.0',
      'ce-subject': 'caf%C3%A9',
      'content-type': 'application/octet-stream',
    });
    expect(bytes.body).toEqual(new Uint8Array([7]));
    const text = cloudEventToBinary({ ...ev, data: 'hi' });
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(new TextDecoder().decode(text.body)).toBe('hi');
    const typedText = cloudEventToBinary({ ...ev, datacontenttype: 'text/csv', data: 'a,b' });
    expect(new TextDecoder().decode(typedText.body)).toBe('a,b');
    expect(typedText.headers['content-type']).toBe('text/csv');
    const jsonString = cloudEventToBinary({ ...ev, datacontenttype: 'application/json', data: 'hi' });
    expect(new TextDecoder().decode(jsonString.body)).toBe('"hi"');
    expect(jsonString.headers['content-type']).toBe('application/json');
    expect('ce-datacontenttype' in jsonString.headers).toBe(false);
    const obj = cloudEventToBinary({ ...ev, data: { a: 1 } });
    expect(obj.headers['content-type']).toBe('application/json');
    expect(new TextDecoder().decode(obj.body)).toBe('{"a":1}');
    const empty = cloudEventToBinary({ ...ev, subject: undefined } as never);
    expect(empty.body).toEqual(new Uint8Array(0));
    expect('ce-subject' in empty.headers).toBe(false);
    const typed = cloudEventToBinary({ ...ev, datacontenttype: 'image/png', data: new Uint8Array([1]) });
    expect(typed.headers['content-type']).toBe('image/png');
  });
});
