import { describe, expect, it } from 'vitest';
import { parseJson } from '../src/adapter.ts';
import { InvalidEventError } from '../src/index.ts';

describe('parseJson', () => {
  it('parses plain JSON on the fast path', () => {
    expect(parseJson('{"a":[1,{"b":"ü"}]}')).toEqual({ a: [1, { b: 'ü' }] });
  });

  it('drops __proto__ and constructor keys, also when spelled with unicode escapes', () => {
    const value = parseJson('{"\\u005f_proto__":{"x":1},"c\\u006fnstructor":{"y":2},"ok":true}') as Record<
      string,
      unknown
    >;
    expect(Object.keys(value)).toEqual(['ok']);
    const nested = parseJson('[{"__proto__":{"polluted":1}}]') as Record<string, unknown>[];
    expect(Object.hasOwn(nested[0]!, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the path in its error', () => {
    expect(() => parseJson('{', 'Records[3].body')).toThrow(InvalidEventError);
    expect(() => parseJson('{', 'Records[3].body')).toThrow(/^Records\[3\]\.body: malformed JSON/);
  });

  // Short texts are checked with one regex scan, long ones (over 512 characters) with includes.
  it('drops both keys, literal or escaped, in short and in long texts alike', () => {
    const padding = `"pad":"${'x'.repeat(600)}",`;
    for (const pad of ['', padding]) {
      for (const key of ['__proto__', 'constructor', '\\u005f_proto__', 'c\\u006fnstructor']) {
        const text = `{${pad}"a":{"${key}":{"polluted":1},"b":2}}`;
        expect(text.length > 512).toBe(pad !== '');
        const value = parseJson(text) as { a: Record<string, unknown> };
        expect(Object.keys(value.a)).toEqual(['b']);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
    }
  });
});
