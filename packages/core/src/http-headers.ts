/**
 * What adapters hand over: a record (values may repeat) or name/value pairs in wire order.
 *
 * @example
 * const headers: HeadersInit = { 'cache-control': 'no-store' };
 */
export type HeadersInit =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>;

/**
 * Request headers with lower-case names and every repeated value kept in order.
 * `get` joins repeats with ", " like WHATWG Headers; `getAll` returns them separately.
 *
 * @example
 * const type = req.headers.get('content-type');
 * const all = req.headers.getAll('x-forwarded-for');
 */
export class HttpHeaders implements Iterable<[string, string]> {
  // A name seen once holds its string: no array per header on the hot path, only for repeats.
  readonly #map = new Map<string, string | string[]>();

  constructor(init?: HeadersInit) {
    if (!init) return;
    if (isIterable(init)) {
      for (const [name, value] of init) this.append(name, value);
      return;
    }
    for (const name in init) {
      const value = init[name];
      if (value === undefined) continue;
      if (typeof value === 'string') this.append(name, value);
      else for (const v of value) this.append(name, v);
    }
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const seen = this.#map.get(key);
    if (seen === undefined) this.#map.set(key, value);
    else if (typeof seen === 'string') this.#map.set(key, [seen, value]);
    else seen.push(value);
  }

  get(name: string): string | undefined {
    const seen = this.#map.get(name.toLowerCase());
    return typeof seen === 'object' ? seen.join(', ') : seen;
  }

  getAll(name: string): string[] {
    const seen = this.#map.get(name.toLowerCase());
    return seen === undefined ? [] : typeof seen === 'string' ? [seen] : seen.slice();
  }

  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /** Each value separately, repeated names included, in arrival order per name. */
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [name, seen] of this.#map) {
      if (typeof seen === 'string') yield [name, seen];
      else for (const value of seen) yield [name, value];
    }
  }

  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of this.#map.keys()) out[name] = this.get(name)!;
    return out;
  }
}

function isIterable(value: object): value is Iterable<readonly [string, string]> {
  return typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}
