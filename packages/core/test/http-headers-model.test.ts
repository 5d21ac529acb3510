/**
 * HttpHeaders keeps small header sets without repeats in two lists and moves to a Map on the first
 * repeated name or past 64 names (http-headers.ts). Whatever the representation, every read must
 * answer what the documented model answers: names lower-cased, values of a name kept in arrival
 * order and grouped at the name's first position, `get` joining them with ", ".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpHeaders } from '../src/index.ts';

type Op = readonly [string, string];

/** The documented behaviour, written the obvious way. */
function model(ops: readonly Op[]) {
  const groups = new Map<string, string[]>();
  for (const [name, value] of ops) {
    const key = name.toLowerCase();
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

function reads(headers: HttpHeaders, probes: readonly string[]) {
  return {
    pairs: [...headers],
    keys: [...headers.keys()],
    json: headers.toJSON(),
    probes: probes.map((p) => [headers.has(p), headers.get(p), headers.getAll(p)]),
  };
}

function expected(ops: readonly Op[], probes: readonly string[]) {
  const groups = model(ops);
  return {
    pairs: [...groups].flatMap(([name, values]) => values.map((v) => [name, v])),
    keys: [...groups.keys()],
    json: Object.fromEntries([...groups].map(([name, values]) => [name, values.join(', ')])),
    probes: probes.map((p) => {
      const values = groups.get(p.toLowerCase());
      return [values !== undefined, values?.join(', '), values ?? []];
    }),
  };
}

const name = fc.constantFrom(
  'a',
  'A',
  'b',
  'B',
  'x-tag',
  'X-Tag',
  'cookie',
  'Ü',
  'ü',
  'İ',
  '1',
  'constructor',
  '__proto__',
);
const op = fc.tuple(name, fc.string({ maxLength: 3 }));
const probes = fc.array(name, { maxLength: 4 });

describe('HttpHeaders against its model', () => {
  it('appended pairs, in any case and with any repeats', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), probes, (ops, ps) => {
        const headers = new HttpHeaders();
        for (const [n, v] of ops) headers.append(n, v);
        expect(reads(headers, ps)).toEqual(expected(ops, ps));
        expect(reads(new HttpHeaders(ops), ps)).toEqual(expected(ops, ps));
      }),
      { numRuns: 1000 },
    );
  });

  it('a record (list values, skipped undefined/null), then more appends', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
      fc.constant(undefined),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.dictionary(name, value, { maxKeys: 8 }),
        fc.array(op, { maxLength: 4 }),
        probes,
        (record, more, ps) => {
          const ops: Op[] = [];
          for (const n of Object.keys(record)) {
            const v = record[n];
            if (typeof v === 'string') ops.push([n, v]);
            else if (Array.isArray(v)) for (const one of v) ops.push([n, one]);
          }
          const headers = new HttpHeaders(record as Record<string, string | string[] | undefined>);
          expect(reads(headers, ps)).toEqual(expected(ops, ps));
          for (const [n, v] of more) headers.append(n, v);
          expect(reads(headers, ps)).toEqual(expected([...ops, ...more], ps));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('past 64 names, and with a repeat after them, reads stay the same', () => {
    const ops: Op[] = Array.from({ length: 70 }, (_, i) => [`H-${i}`, `v${i}`] as const);
    const headers = new HttpHeaders(Object.fromEntries(ops.slice(0, 60)));
    for (const [n, v] of ops.slice(60)) headers.append(n, v);
    const ps = ['h-0', 'H-63', 'h-64', 'h-69', 'h-70'];
    expect(reads(headers, ps)).toEqual(expected(ops, ps));
    headers.append('h-3', 'again');
    expect(reads(headers, ps.concat('h-3'))).toEqual(expected([...ops, ['h-3', 'again']], ps.concat('h-3')));
  });

  it('pairs and key lists handed out are copies', () => {
    const headers = new HttpHeaders({ accept: 'text/html', host: 'example.com' });
    for (const pair of headers) pair[1] = 'forged';
    const keys = headers.keys();
    expect(headers.get('accept')).toBe('text/html');
    headers.append('x-late', '1');
    expect([...keys]).toEqual(['accept', 'host']);
    expect([...headers.keys()]).toEqual(['accept', 'host', 'x-late']);
  });

  it('a header named __proto__ is an entry of the JSON form, never its prototype', () => {
    const json = new HttpHeaders([['__proto__', 'x']]).toJSON();
    expect(Object.hasOwn(json, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(JSON.stringify(json)).toBe('{"__proto__":"x"}');
  });
});
