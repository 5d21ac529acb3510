/**
 * CloudEvents 1.0 envelope rules every adapter applies to incoming events (spec "Context
 * Attributes", "Type System", JSON format §2.4 and §3.1,
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md): each violation is an
 * InvalidEventError naming the attribute, so a malformed event is a 400 or a rejected message.
 */
import { describe, expect, it } from 'vitest';
import { cloudEventExtensions, validateCloudEvent } from '../src/cloud-events.ts';

const base = { specversion: '1.0' as const, id: 'e-1', source: '/orders', type: 'com.example.created' };
const message = (value: unknown, where?: string) => {
  try {
    validateCloudEvent(value, where);
  } catch (error) {
    return (error as Error).message;
  }
  return 'valid';
};

describe('validateCloudEvent', () => {
  it('refuses anything but a JSON object, under the caller-given path', () => {
    for (const value of ['{}', 7, null, [base]])
      expect(message(value, 'body')).toBe('body: a CloudEvent must be a JSON object');
  });

  it('a required attribute must be a non-empty string', () => {
    expect(message({ ...base, id: 12 })).toBe('event: missing required CloudEvent attribute(s): id');
    expect(message({ ...base, source: '', type: false })).toBe(
      'event: missing required CloudEvent attribute(s): source, type',
    );
  });

  it('a null attribute is absent, but null data is data', () => {
    const ev = validateCloudEvent({ ...base, data: null, dataschema: null });
    expect(ev).toEqual({ ...base, data: null });
    expect('data' in ev).toBe(true);
    expect(message({ ...base, id: null })).toBe('event: missing required CloudEvent attribute(s): id');
  });

  it('only specversion 1.0', () => {
    expect(message({ ...base, specversion: '1.1' })).toBe(
      'event.specversion: unsupported specversion "1.1" (expected "1.0")',
    );
  });

  it('time is an RFC 3339 string', () => {
    expect(validateCloudEvent({ ...base, time: '2026-01-02T03:04:05Z' }).time).toBe('2026-01-02T03:04:05Z');
    expect(message({ ...base, time: 1700000000 })).toBe('event.time: time must be an RFC 3339 timestamp');
    // A number Date.parse would read as a year is still not a timestamp string.
    expect(message({ ...base, time: 2026 })).toBe('event.time: time must be an RFC 3339 timestamp');
  });

  it('subject, datacontenttype and dataschema are strings when present', () => {
    for (const key of ['subject', 'datacontenttype', 'dataschema'])
      expect(message({ ...base, [key]: 1 })).toBe(`event.${key}: must be a string`);
    expect(message({ ...base, subject: 's', datacontenttype: 'text/plain', dataschema: 'urn:x' })).toBe(
      'valid',
    );
  });

  it('extension names are lower-case letters and digits, 1 to 20 of them', () => {
    expect(message({ ...base, [`a${'1'.repeat(19)}`]: 'x' })).toBe('valid');
    expect(message({ ...base, [`a${'1'.repeat(20)}`]: 'x' })).toBe(
      `event.a${'1'.repeat(20)}: extension names are lower-case letters and digits, at most 20`,
    );
    expect(message({ ...base, traceParent: 'x' })).toMatch(/^event\.traceParent: extension names/);
    expect(message({ ...base, 'trace-id': 'x' })).toMatch(/^event\.trace-id: extension names/);
  });

  it('extension values are strings, booleans or signed 32-bit integers', () => {
    const ok = [{ s: '' }, { b: false }, { i: 2 ** 31 - 1 }, { i: -(2 ** 31) }, { i: 0 }];
    for (const ext of ok) expect(message({ ...base, ...ext }), JSON.stringify(ext)).toBe('valid');
    const bad = [{ i: 2 ** 31 }, { i: -(2 ** 31) - 1 }, { i: 1.5 }, { i: [1] }];
    for (const ext of bad)
      expect(message({ ...base, ...ext }), JSON.stringify(ext)).toBe(
        'event.i: extension attribute values must be strings, booleans or 32-bit integers',
      );
  });
});

describe('cloudEventExtensions', () => {
  it('returns the extension attributes only', () => {
    const ev = validateCloudEvent({
      ...base,
      subject: 's',
      time: '2026-01-02T03:04:05Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:s',
      data: { a: 1 },
      traceparent: '00-abc-def-01',
      partitionkey: 'p',
      sequence: 3,
    });
    expect(cloudEventExtensions(ev)).toEqual({
      traceparent: '00-abc-def-01',
      partitionkey: 'p',
      sequence: 3,
    });
    expect(cloudEventExtensions({ ...base, data_base64: 'AA==' } as never)).toEqual({});
  });
});
