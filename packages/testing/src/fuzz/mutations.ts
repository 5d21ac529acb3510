import fc from 'fast-check';

/**
 * One change to a real payload. `at` picks a node (the root, then every nested field and element
 * in depth-first order) modulo the node count, so any mutation applies to any payload.
 */
export type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'retype'; at: number; value: null | boolean | number | string | [] | Record<string, never> }
  | { op: 'huge'; at: number; length: number }
  | { op: 'unicode'; at: number; text: string }
  | { op: 'proto'; at: number; key: '__proto__' | 'constructor' | 'prototype' }
  | { op: 'truncate-base64'; at: number; keep: number }
  | { op: 'nest'; at: number; shape: 'empty-array' | 'empty-object' | 'wrapped' | 'deep' | 'array-of-self' };

const at = fc.nat();

/** The fast-check arbitrary of a mutation (huge strings weighted down: they are slow to move around). */
export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('drop' as const), at }), weight: 4 },
  {
    arbitrary: fc.record({
      op: fc.constant('retype' as const),
      at,
      value: fc.oneof(
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53 + 1),
        fc.string({ maxLength: 8 }),
        fc.constant([] as []),
        fc.constant({} as Record<string, never>),
      ),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('huge' as const),
      at,
      length: fc.integer({ min: 4096, max: 200_000 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('unicode' as const),
      at,
      text: fc.oneof(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
      ),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('proto' as const),
      at,
      key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('truncate-base64' as const), at, keep: fc.nat() }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant('nest' as const),
      at,
      shape: fc.constantFrom('empty-array', 'empty-object', 'wrapped', 'deep', 'array-of-self'),
    }),
    weight: 2,
  },
) as fc.Arbitrary<Mutation>;

type Path = (string | number)[];

/** Every node's path, depth-first, root first; bounded so a huge payload stays cheap. */
function paths(value: unknown, limit = 5000): Path[] {
  const out: Path[] = [[]];
  const walk = (node: unknown, path: Path, depth: number) => {
    if (out.length >= limit || depth > 40 || typeof node !== 'object' || node === null) return;
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      if (out.length >= limit) return;
      const child = [...path, key];
      out.push(child);
      walk((node as Record<string | number, unknown>)[key], child, depth + 1);
    }
  };
  walk(value, [], 0);
  return out;
}

/** A deep copy that keeps own `__proto__` keys as data (JSON.parse creates them; spreading would not). */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, {
      value: clone((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function replacement(m: Mutation, current: unknown): unknown {
  switch (m.op) {
    case 'retype':
      // A copy: fast-check hands the same `[]` / `{}` constant to many cases, and later mutations edit in place.
      return clone(m.value);
    case 'huge':
      return typeof current === 'string' && current.length > 0
        ? current.repeat(Math.ceil(m.length / current.length)).slice(0, m.length)
        : 'A'.repeat(m.length);
    case 'unicode':
      return m.text;
    case 'truncate-base64': {
      const text = typeof current === 'string' ? current : JSON.stringify(current ?? null);
      const b64 = BASE64.test(text) && text.length >= 4 ? text : Buffer.from(text).toString('base64');
      // Keep a length that is not a whole base64 quantum, so the truncation is visible to a decoder.
      let keep = b64.length > 1 ? 1 + (m.keep % (b64.length - 1)) : 1;
      if (keep % 4 === 0) keep -= 1;
      return b64.slice(0, Math.max(1, keep));
    }
    case 'nest':
      switch (m.shape) {
        case 'empty-array':
          return [];
        case 'empty-object':
          return {};
        case 'wrapped':
          return [current];
        case 'array-of-self':
          return [current, clone(current), clone(current)];
        case 'deep': {
          let deep: unknown = current ?? null;
          for (let i = 0; i < 200; i++) deep = [deep];
          return deep;
        }
      }
      return current;
    default:
      return current;
  }
}

/** Applies `mutations` in order to a copy of `payload`; the payload itself is never changed. */
export function mutatePayload(payload: unknown, mutations: readonly Mutation[]): unknown {
  let root = clone(payload);
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.at % all.length]!;
    const parent =
      path.length === 0 ? undefined : (get(root, path.slice(0, -1)) as Record<string | number, unknown>);
    const key = path.at(-1);
    const current = path.length === 0 ? root : parent![key!];
    if (m.op === 'drop') {
      if (!parent) root = undefined;
      else if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key!];
      continue;
    }
    if (m.op === 'proto') {
      const target =
        typeof current === 'object' && current !== null && !Array.isArray(current) ? current : undefined;
      const polluted = m.key === 'constructor' ? { prototype: { polluted: true } } : { polluted: true };
      if (target)
        Object.defineProperty(target, m.key, {
          value: polluted,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      continue;
    }
    const next = replacement(m, current);
    if (!parent) root = next;
    else if (Array.isArray(parent)) parent[key as number] = next;
    // defineProperty: plain assignment to an own `__proto__` key would run the prototype setter.
    else
      Object.defineProperty(parent, key!, {
        value: next,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return root;
}

function get(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}
