/** What adapters hand over: a record (values may repeat) or name/value pairs in wire order. */
export type HeadersInit =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>;

/**
 * Request headers with lower-case names and every repeated value kept in order.
 * `get` joins repeats with ", " like WHATWG Headers; `getAll` returns them separately.
 */
export class HttpHeaders implements Iterable<[string, string]> {
  readonly #map = new Map<string, string[]>();

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
    const list = this.#map.get(key);
    if (list) list.push(value);
    else this.#map.set(key, [value]);
  }

  get(name: string): string | undefined {
    const list = this.#map.get(name.toLowerCase());
    if (!list) return undefined;
    return list.length === 1 ? list[0] : list.join(', ');
  }

  getAll(name: string): string[] {
    return this.#map.get(name.toLowerCase())?.slice() ?? [];
  }

  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /** Each value separately, repeated names included, in arrival order per name. */
  *[Symbol.iterator](): Iterator<[string, string]> {
    for (const [name, list] of this.#map) for (const value of list) yield [name, value];
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
