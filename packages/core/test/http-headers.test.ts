import { describe, expect, it } from 'vitest';
import type { HeaderSource } from '../src/adapter.ts';
import { HttpHeaders } from '../src/index.ts';

describe('HttpHeaders', () => {
  it('takes a HeaderSource that appends itself, lower-casing names', () => {
    const source: HeaderSource = {
      appendTo(headers) {
        headers.append('Accept', 'application/json');
        headers.append('X-Tag', 'a');
        headers.append('x-tag', 'b');
      },
    };
    const headers = new HttpHeaders(source);
    expect(headers.get('accept')).toBe('application/json');
    expect(headers.getAll('X-TAG')).toEqual(['a', 'b']);
  });

  it('iterates every value as a pair, with and without repeated names', () => {
    const single = new HttpHeaders([
      ['A', '1'],
      ['b', '2'],
    ]);
    expect([...single]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    const repeated = new HttpHeaders([
      ['a', '1'],
      ['b', '2'],
      ['A', '3'],
    ]);
    expect([...repeated]).toEqual([
      ['a', '1'],
      ['a', '3'],
      ['b', '2'],
    ]);
    // A repeat appended after a first iteration is seen by the next one.
    single.append('a', '9');
    expect([...single]).toEqual([
      ['a', '1'],
      ['a', '9'],
      ['b', '2'],
    ]);
  });
});
