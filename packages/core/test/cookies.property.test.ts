/**
 * Cookie values containing `=`, as a property (a second guard next to the fixed examples in
 * cookies.test.ts): RFC 6265 §4.2.1 splits a cookie-pair at the FIRST `=` (cookie-name is a token,
 * which has no `=`), so everything after it, `=` included, is the value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCookies } from '../src/cookies.ts';

// RFC 6265 token for names (no separators), cookie-octet for values (no CTLs, whitespace, DQUOTE, comma, semicolon, backslash).
const name = fc.stringMatching(/^[A-Za-z0-9!#$&'*+.^_`|~-]{1,12}$/).filter((n) => n !== '__proto__');
const value = fc.stringMatching(/^[A-Za-z0-9!#$&'()*+./:<=>?@[\]^_`{|}~-]{0,16}$/);

describe('parseCookies: values containing `=`', () => {
  it('keeps everything after the first `=` as the value', () => {
    fc.assert(
      fc.property(name, value, value, (n, left, right) => {
        const v = `${left}=${right}`;
        expect(parseCookies([`${n}=${v}`])[n]).toBe(v);
      }),
      { numRuns: 500 },
    );
  });

  it('several pairs with `=` in their values each keep theirs (first occurrence of a name wins)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 6 }), (pairs) => {
        const header = pairs.map(([n, v]) => `${n}==${v}=`).join('; ');
        const expected: Record<string, string> = {};
        for (const [n, v] of pairs) if (!Object.hasOwn(expected, n)) expected[n] = `=${v}=`;
        expect({ ...parseCookies([header]) }).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
