/**
 * How a polycloud message travels in NATS headers (no server needed: the header object is the NATS
 * client's own). NATS headers are ASCII lines ended by CRLF, so attribute names and values are
 * percent-encoded and free text is put on one line.
 */
import { headers } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { oneLine, readAttributes, setAttributes, WIRE } from '../../src/events/jetstream-wire.ts';

describe('message attributes in NATS headers', () => {
  it('each attribute is one Pc-Attr-<name> header, name and value percent-encoded', () => {
    const h = headers();
    setAttributes(h, { tenant: 'acme', 'trace id': 'a b', note: 'line 1\r\nline 2', ü: 'ö%' });
    expect(h.get('Pc-Attr-tenant')).toBe('acme');
    expect(h.get('Pc-Attr-trace%20id')).toBe('a%20b');
    expect(h.get('Pc-Attr-note')).toBe('line%201%0D%0Aline%202');
    expect(h.get('Pc-Attr-%C3%BC')).toBe('%C3%B6%25');
    expect([...h].every(([, values]) => values.every((v) => !/[\r\n]/.test(v)))).toBe(true);
  });

  it('read back, attributes are exactly what was set; other headers are not attributes', () => {
    const attributes = { tenant: 'acme', 'trace id': 'a b', note: 'line 1\r\nline 2', ü: 'ö%', empty: '' };
    const h = headers();
    h.set(WIRE.id, 'm-1');
    h.set(WIRE.source, 'orders');
    h.set(WIRE.groupId, 'g-1');
    h.set('X-Other', 'x');
    setAttributes(h, attributes);
    expect(readAttributes(h)).toEqual(attributes);
  });

  it('no attributes to set writes nothing; no headers read as no attributes', () => {
    const h = headers();
    setAttributes(h, undefined);
    setAttributes(h, {});
    expect([...h]).toEqual([]);
    expect(readAttributes(undefined)).toEqual({});
    expect(readAttributes(h)).toEqual({});
  });

  it('a header from another NATS client that is not valid percent-encoding is kept as sent; a repeat reads its first value', () => {
    const h = headers();
    h.set('Pc-Attr-100%', '50%');
    h.append('Pc-Attr-color', 'red');
    h.append('Pc-Attr-color', 'blue');
    expect(readAttributes(h)).toEqual({ '100%': '50%', color: 'red' });
  });

  it('the header names any NATS client reads', () => {
    expect(WIRE).toEqual({
      id: 'Nats-Msg-Id',
      source: 'Pc-Source',
      contentType: 'Pc-Content-Type',
      groupId: 'Pc-Group-Id',
      attrPrefix: 'Pc-Attr-',
      notBefore: 'Pc-Not-Before',
      target: 'Pc-Target',
      scheduledTime: 'Pc-Scheduled-Time',
      deadFunction: 'Pc-Dead-Function',
      deadError: 'Pc-Dead-Error',
      deadDeliveries: 'Pc-Dead-Deliveries',
      deadAt: 'Pc-Dead-At',
      deadSubject: 'Pc-Dead-Subject',
    });
  });
});

describe('oneLine (an error text as a dead-letter header)', () => {
  it('every run of CR and LF becomes one space', () => {
    expect(oneLine('TypeError: bad\n    at x (a.ts:1:2)\r\n\r\n    at y')).toBe(
      'TypeError: bad     at x (a.ts:1:2)     at y',
    );
    expect(oneLine('plain')).toBe('plain');
    expect(oneLine('a\rb\nc')).toBe('a b c');
  });

  it('is cut at 1000 characters (or the given maximum) with an ellipsis; exactly the maximum is kept whole', () => {
    expect(oneLine('x'.repeat(1000))).toBe('x'.repeat(1000));
    expect(oneLine('x'.repeat(1001))).toBe(`${'x'.repeat(1000)}…`);
    expect(oneLine('abcdef', 3)).toBe('abc…');
    expect(oneLine('abc', 3)).toBe('abc');
  });
});
