import { describe, expect, it } from 'vitest';
import {
  cloudEventFromHttp,
  cloudEventToBinary,
  cloudEventToStructured,
  validateCloudEvent,
} from '../src/cloud-events.ts';
import { HttpHeaders, InvalidEventError } from '../src/index.ts';

const base = { specversion: '1.0' as const, id: '1', source: '/s', type: 't' };

describe('CloudEvents 1.0', () => {
  it('names every missing required attribute', () => {
    expect(() => validateCloudEvent({ specversion: '1.0' })).toThrow(
      'event: missing required CloudEvent attribute(s): id, source, type',
    );
    expect(() => validateCloudEvent({ ...base, id: '' })).toThrow(/: id$/);
    expect(() => validateCloudEvent([])).toThrow(InvalidEventError);
  });

  it('rejects wrong specversion, bad time and bad extension names', () => {
    expect(() => validateCloudEvent({ ...base, specversion: '0.3' })).toThrow(
      /event.specversion: unsupported specversion "0.3"/,
    );
    expect(() => validateCloudEvent({ ...base, time: 'yesterday' })).toThrow(/event.time/);
    expect(() => validateCloudEvent({ ...base, 'Bad-Name': 1 })).toThrow(/event.Bad-Name/);
  });

  it('round-trips binary mode with extensions and percent-encoded values', () => {
    const ev = { ...base, subject: 'ünï', myext: 'v', datacontenttype: 'application/json', data: { a: 1 } };
    const wire = cloudEventToBinary(ev);
    expect(wire.headers['ce-subject']).toBe('%C3%BCn%C3%AF');
    expect(cloudEventFromHttp(new HttpHeaders(wire.headers), wire.body)).toEqual(ev);
  });

  it('round-trips structured mode with binary data through data_base64', () => {
    const ev = { ...base, datacontenttype: 'application/octet-stream', data: new Uint8Array([0, 1, 255]) };
    const wire = cloudEventToStructured(ev);
    expect(JSON.parse(new TextDecoder().decode(wire.body)).data_base64).toBe('AAH/');
    expect(cloudEventFromHttp(new HttpHeaders(wire.headers), wire.body)).toEqual(ev);
  });

  it('rejects a POST without ce-* headers, batches, and bad base64', () => {
    expect(() =>
      cloudEventFromHttp(
        new HttpHeaders({ 'content-type': 'application/json' }),
        new TextEncoder().encode('{}'),
      ),
    ).toThrow(/id, source, specversion, type/);
    expect(() =>
      cloudEventFromHttp(
        new HttpHeaders({ 'content-type': 'application/cloudevents-batch+json' }),
        new Uint8Array(),
      ),
    ).toThrow(/batched/);
    const body = new TextEncoder().encode(JSON.stringify({ ...base, data_base64: 'a' }));
    expect(() =>
      cloudEventFromHttp(new HttpHeaders({ 'content-type': 'application/cloudevents+json' }), body),
    ).toThrow(/body.data_base64/);
  });
});

describe('CloudEvents JSON format details', () => {
  it('treats null attributes as absent and types extension values', () => {
    expect(validateCloudEvent({ ...base, subject: null, ext: null })).toEqual(base);
    expect(validateCloudEvent({ ...base, flag: true, count: 7 })).toMatchObject({ flag: true, count: 7 });
    expect(() => validateCloudEvent({ ...base, ratio: 0.5 })).toThrow(
      'event.ratio: extension attribute values must be strings, booleans or 32-bit integers',
    );
    expect(() => validateCloudEvent({ ...base, nested: { a: 1 } })).toThrow(/event.nested/);
  });

  it('reads structured data_base64 by its content type, as binary mode reads its body', () => {
    const body = new TextEncoder().encode(
      JSON.stringify({ ...base, datacontenttype: 'application/json', data_base64: btoa('{"a":1}') }),
    );
    expect(
      cloudEventFromHttp(new HttpHeaders({ 'content-type': 'application/cloudevents+json' }), body).data,
    ).toEqual({ a: 1 });
  });
});
