/**
 * The build's one source rewrite for speed: a top-level function whose JSDoc carries `@coldStart`
 * (polycloud's own code that every cold start of an http function runs) becomes a parenthesized
 * function expression, which V8 compiles while it parses the file instead of on the function's first
 * call.
 *
 * Why: V8 pre-parses every function of a file when it loads it, then parses a function again, in
 * full, and compiles it on its first call. A function that surely runs at cold start pays both, and
 * each lazy compile has a fixed cost of its own (~10 µs for a tiny function on this machine). V8
 * compiles a function at once when its `function` keyword follows a `(` (its heuristic for an
 * immediately invoked function), and esbuild keeps those parentheses when it minifies.
 * Doing it to every function is worse: what never runs then costs a full compile instead of a
 * pre-parse.
 *
 * Measured (AWS, `test/cold-start/apps/plain`, `GET /items/:id`, median of 21 interleaved fresh
 * processes, CPU): the 42 marked functions of its startup file took import + first invocation from
 * 6.13 to 5.64 ms (first invocation 1.35 → 0.73 ms); all 96 of its top-level functions, 7.13 ms.
 *
 * A declaration is hoisted: the module can use it above the line that defines it (an object of
 * handlers built at the top, `{ matches: isHttpApiEvent }`). A `var` is defined only where it
 * stands, so the rewritten functions move to the start of the module, where they are defined before
 * any of its own code runs (function bodies run only when called; modules import each other without
 * cycles: `npm run circles`).
 *
 * The rewrite relies on how polycloud's sources (Biome) and its published JavaScript (tsc) are
 * printed: a top-level function starts at a line's start and its body ends with a line that is
 * exactly `}`. A mark it cannot honour fails the build, naming the function.
 *
 * @example
 * // in:  import { x } from './x.ts';
 * //      /** … @coldStart *\/
 * //      export function parseRoute(route: string): RouteSpec {
 * //        …
 * //      }
 * // out: export var parseRoute = (function parseRoute(route: string): RouteSpec {
 * //        …
 * //      });
 * //      import { x } from './x.ts';
 * //      /** … @coldStart *\/
 */
export function eagerCompile(source: string, file: string): string {
  if (!source.includes('@coldStart')) return source;
  let hoisted = '';
  let out = '';
  let from = 0;
  for (const mark of source.matchAll(MARK)) {
    const commentEnd = source.indexOf('*/', mark.index);
    const declaration = commentEnd === -1 ? null : DECLARATION.exec(source.slice(commentEnd + 2));
    if (!declaration)
      throw new EagerCompileError(file, 'the comment is not followed by a top-level function');
    const [whole, exported = '', async = '', name] = declaration;
    const declarationEnd = commentEnd + 2 + whole.length;
    const keyword = declarationEnd - `${async}function ${name}`.length;
    if (isOverload(source, keyword))
      throw new EagerCompileError(file, `function ${name} is an overload: mark its implementation`);
    const end = bodyEnd(source, keyword);
    if (end === -1) throw new EagerCompileError(file, `no line "}" ends function ${name}`);
    out += source.slice(from, keyword - exported.length);
    hoisted += `${exported}var ${name} = (${source.slice(keyword, end)});\n`;
    from = end;
  }
  return hoisted + out + source.slice(from);
}

export class EagerCompileError extends Error {
  override name = 'EagerCompileError';
  constructor(file: string, reason: string) {
    super(`${file}: a @coldStart mark: ${reason}`);
  }
}

/** The tag on a line of its own in a JSDoc comment (a mention in running text is no mark). */
const MARK = /^[ \t]*(?:\/\*\*|\*)[ \t]*@coldStart\b/gm;
/** After the comment: the declaration, at the next line's start. */
const DECLARATION = /^[ \t]*\r?\n(export )?(async )?function (\w+)/;

/**
 * Whether the declaration at `from` is a signature without a body: its first line, or the first
 * line after it that starts at the line's start (the end of wrapped parameters), ends with `;`.
 */
function isOverload(source: string, from: number): boolean {
  for (let at = from; at < source.length; ) {
    const end = source.indexOf('\n', at);
    const line = source.slice(at, end === -1 ? source.length : end).trimEnd();
    if (at === from || !/^\s/.test(line)) {
      if (line.endsWith(';')) return true;
      if (line.endsWith('{')) return false;
    }
    if (end === -1) break;
    at = end + 1;
  }
  return false;
}

/** The offset just past the line `}` that ends the top-level function starting at `from`, or -1. */
function bodyEnd(source: string, from: number): number {
  for (let at = source.indexOf('\n}', from); at !== -1; at = source.indexOf('\n}', at + 2)) {
    const next = source[at + 2];
    if (next === undefined || next === '\n' || next === '\r') return at + 2;
  }
  return -1;
}
