/** Reading request headers as a handler does: lookups in any case, repeats, copies, the logged form. */
import { describe, expect, it } from 'vitest';
import { HttpHeaders } from '../src/index.ts';

describe('HttpHeaders reads', () => {
  const headers = new HttpHeaders({
    Accept: 'text/html',
    'X-Forwarded-For': ['203.0.113.1', '10.0.0.1', '10.0.0.2'],
    skipped: undefined,
  });

  it('finds names in any case, and knows which are absent', () => {
    expect(headers.has('ACCEPT')).toBe(true);
    expect(headers.has('skipped')).toBe(false);
    expect(headers.get('missing')).toBeUndefined();
    expect(headers.getAll('missing')).toEqual([]);
    expect(headers.getAll('accept')).toEqual(['text/html']);
    expect([...headers.keys()]).toEqual(['accept', 'x-forwarded-for']);
  });

  it('keeps three or more repeated values in order; getAll hands out a copy', () => {
    expect(headers.get('x-forwarded-for')).toBe('203.0.113.1, 10.0.0.1, 10.0.0.2');
    const all = headers.getAll('x-forwarded-for');
    all.push('forged');
    expect(headers.getAll('x-forwarded-for')).toEqual(['203.0.113.1', '10.0.0.1', '10.0.0.2']);
  });

  it('iterates whole values when some names repeat and others do not', () => {
    expect([...headers]).toEqual([
      ['accept', 'text/html'],
      ['x-forwarded-for', '203.0.113.1'],
      ['x-forwarded-for', '10.0.0.1'],
      ['x-forwarded-for', '10.0.0.2'],
    ]);
  });

  it('its JSON form joins repeats, one entry per name', () => {
    expect(JSON.parse(JSON.stringify(headers))).toEqual({
      accept: 'text/html',
      'x-forwarded-for': '203.0.113.1, 10.0.0.1, 10.0.0.2',
    });
    expect(new HttpHeaders().toJSON()).toEqual({});
    expect([...new HttpHeaders(undefined)]).toEqual([]);
  });
});
