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
});
