/**
 * An adapter's lazy headers that append themselves: plain loops instead of the iterator protocol
 * (a generator costs per header yielded; see HttpHeaders' constructor).
 *
 * @example
 * const source: HeaderSource = { appendTo: (headers) => headers.append('accept', 'text/plain') };
 */
export interface HeaderSource {
  appendTo(headers: HttpHeaders): void;
}

/**
 * What adapters hand over: a record (values may repeat), name/value pairs in wire order, or a
 * HeaderSource.
 *
 * @example
 * const headers: HeadersInit = { 'cache-control': 'no-store' };
 */
export type HeadersInit =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>
  | HeaderSource;

/**
 * Request headers with lower-case names and every repeated value kept in order.
 * `get` joins repeats with ", " like WHATWG Headers; `getAll` returns them separately.
 *
 * @example
 * const type = req.headers.get('content-type');
 * const all = req.headers.getAll('x-forwarded-for');
 */
export class HttpHeaders implements Iterable<[string, string]> {
  // Until a name repeats or there are many, names and values sit in two lists, in arrival order: a
  // front door's 15 headers go in with one push each, where a Map costs ~40 ns a set (building the
  // Map was most of the +2.6 µs of reading every header through the neutral API, issue 12).
  #names: string[] | undefined = [];
  #values: string[] = [];
  // Then a Map: a name seen once holds its string (no array per header), a repeated one its list.
  #map: Map<string, string | string[]> | undefined;
  // Whether some name repeats: without, the map's own iterator yields exactly the pairs.
  #repeats = false;

  constructor(init?: HeadersInit) {
    if (!init) return;
    // A generator per header costs ~0.1 µs per yield: reading all 15 headers of an API Gateway
    // event through the neutral API cost +4 µs over the native event (issue 12).
    if (typeof (init as HeaderSource).appendTo === 'function') {
      (init as HeaderSource).appendTo(this);
      return;
    }
    if (isIterable(init)) {
      for (const [name, value] of init) this.append(name, value);
      return;
    }
    this.appendRecord(init as Readonly<Record<string, string | readonly string[] | undefined>>);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const names = this.#names;
    if (names !== undefined) {
      if (names.length < LIST_LIMIT && !names.includes(key)) {
        names.push(key);
        this.#values.push(value);
        return;
      }
      this.#toMap();
    }
    this.#appendToMap(key, value);
  }

  /**
   * Appends every value of a record (a list value is several; undefined and null are skipped). An
   * object's keys are unique, so while every name is lower-case already no name can repeat and none
   * is looked up.
   *
   * @example
   * headers.appendRecord({ accept: 'application/json', 'x-forwarded-for': ['203.0.113.7', '10.0.0.1'] });
   */
  appendRecord(record: Readonly<Record<string, string | readonly string[] | null | undefined>>): void {
    const names = this.#names;
    let unique = names !== undefined && names.length === 0;
    for (const name in record) {
      const value = record[name];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') {
        unique = false;
        for (let i = 0; i < value.length; i++) this.append(name, value[i]!);
        continue;
      }
      if (unique) {
        if (name.toLowerCase() === name && names!.length < LIST_LIMIT) {
          names!.push(name);
          this.#values.push(value);
          continue;
        }
        unique = false;
      }
      this.append(name, value);
    }
  }

  get(name: string): string | undefined {
    const key = name.toLowerCase();
    const names = this.#names;
    if (names !== undefined) {
      const i = names.indexOf(key);
      return i === -1 ? undefined : this.#values[i];
    }
    const seen = this.#map!.get(key);
    return typeof seen === 'object' ? seen.join(', ') : seen;
  }

  getAll(name: string): string[] {
    const key = name.toLowerCase();
    const names = this.#names;
    if (names !== undefined) {
      const i = names.indexOf(key);
      return i === -1 ? [] : [this.#values[i]!];
    }
    const seen = this.#map!.get(key);
    return seen === undefined ? [] : typeof seen === 'string' ? [seen] : seen.slice();
  }

  has(name: string): boolean {
    const key = name.toLowerCase();
    return this.#names !== undefined ? this.#names.includes(key) : this.#map!.has(key);
  }

  keys(): IterableIterator<string> {
    return this.#names !== undefined ? this.#names.slice().values() : this.#map!.keys();
  }

  /** Each value separately, repeated names included, in arrival order per name. */
  [Symbol.iterator](): Iterator<[string, string]> {
    const names = this.#names;
    if (names !== undefined) {
      // Fresh pairs: a caller may change the arrays it is handed.
      const values = this.#values;
      const pairs = new Array<[string, string]>(names.length);
      for (let i = 0; i < names.length; i++) pairs[i] = [names[i]!, values[i]!];
      return pairs.values();
    }
    // No repeats: every value is a string, and the Map's native iterator beats a generator.
    return this.#repeats ? this.#eachValue() : (this.#map!.entries() as IterableIterator<[string, string]>);
  }

  *#eachValue(): Iterator<[string, string]> {
    for (const [name, seen] of this.#map!) {
      if (typeof seen === 'string') yield [name, seen];
      else for (const value of seen) yield [name, value];
    }
  }

  toJSON(): Record<string, string> {
    const out: Record<string, string> = {};
    const names = this.#names;
    if (names !== undefined) for (let i = 0; i < names.length; i++) setOwn(out, names[i]!, this.#values[i]!);
    else for (const name of this.#map!.keys()) setOwn(out, name, this.get(name)!);
    return out;
  }

  #toMap(): void {
    const names = this.#names!;
    const map = new Map<string, string | string[]>();
    for (let i = 0; i < names.length; i++) map.set(names[i]!, this.#values[i]!);
    this.#map = map;
    this.#names = undefined;
    this.#values = [];
  }

  #appendToMap(key: string, value: string): void {
    const map = this.#map!;
    const seen = map.get(key);
    if (seen === undefined) map.set(key, value);
    else {
      this.#repeats = true;
      if (typeof seen === 'string') map.set(key, [seen, value]);
      else seen.push(value);
    }
  }
}

/**
 * Beyond this many names the lists give way to the Map: a lookup in the lists is a linear search
 * (~3 ns a name), which stays below a Map's cost only for the header counts requests really carry.
 */
const LIST_LIMIT = 64;

/** `out[name] = value`, except that a header named `__proto__` becomes an entry, not the prototype. */
function setOwn(out: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__')
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  else out[name] = value;
}

function isIterable(value: object): value is Iterable<readonly [string, string]> {
  return typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}
