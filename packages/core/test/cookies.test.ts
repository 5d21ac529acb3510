/**
 * The cookie parser is a single indexOf pass (it runs on every request that reads a cookie); it must
 * answer exactly what the obvious split/trim reading of RFC 6265 answers, for any input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCookies } from '../src/cookies.ts';
import { decodeLenient } from '../src/percent-decode.ts';

function reference(headerValues: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const header of headerValues) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const name = part.slice(0, eq).trim();
      if (!name || name in out) continue;
      let value = part.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      out[name] = decodeLenient(value);
    }
  }
  return out;
}

const piece = fc.constantFrom(
  ';',
  '=',
  ' ',
  '\t',
  '"',
  '%',
  '%41',
  '%E0%A4%A',
  'a',
  'b',
  '\n',
  '\u00a0',
  '\u2028',
  '_',
  'é',
  '=;',
);
const header = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));

describe('parseCookies', () => {
  it('matches the split/trim reference on any mix of separators, quotes, escapes and whitespace', () => {
    fc.assert(
      fc.property(fc.array(header, { maxLength: 3 }), (headers) => {
        expect(Object.entries(parseCookies(headers))).toEqual(Object.entries(reference(headers)));
      }),
      { numRuns: 2000 },
    );
  });

  it('trims, unquotes, decodes, keeps the first of a name and treats __proto__ as a plain name', () => {
    const cookies = parseCookies([' a = 1 ;b="x y";__proto__=p; c=%41%42;a=2', 'constructor=k; =skip; noeq']);
    expect(Object.entries(cookies)).toEqual([
      ['a', '1'],
      ['b', 'x y'],
      ['__proto__', 'p'],
      ['c', 'AB'],
      ['constructor', 'k'],
    ]);
  });

  // The property test reaches these only by chance: a fixed case keeps the length rule pinned down.
  it('unquotes an empty quoted value; a lone quote is a value of its own', () => {
    expect(Object.entries(parseCookies(['a=""; b="; c="""']))).toEqual([
      ['a', ''],
      ['b', '"'],
      ['c', '"'],
    ]);
  });

  // API Gateway v2 hands the Cookie header over already split (`cookies`); HttpRequest parses that list.
  it('a list of cookie pairs answers what the same list joined with "; " into one header answers', () => {
    fc.assert(
      fc.property(fc.array(header, { maxLength: 5 }), (pairs) => {
        expect(Object.entries(parseCookies(pairs))).toEqual(Object.entries(parseCookies([pairs.join('; ')])));
      }),
      { numRuns: 2000 },
    );
  });

  it('inherits nothing: names like toString or constructor are absent unless sent', () => {
    const cookies = parseCookies(['a=1']);
    expect(cookies.toString).toBeUndefined();
    expect('constructor' in cookies).toBe(false);
    expect('hasOwnProperty' in cookies).toBe(false);
    expect(Object.keys(cookies)).toEqual(['a']);
    expect(JSON.stringify(parseCookies(['toString=t; __proto__=p']))).toBe(
      '{"toString":"t","__proto__":"p"}',
    );
  });
});
