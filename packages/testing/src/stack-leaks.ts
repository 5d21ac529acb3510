/**
 * Finds what must never reach a client: stack frames, `Error:` headers followed by frames, and
 * source paths. Kept narrow so an echoed user string does not look like a leak by accident, and
 * every quantifier bounded so a 200 KB fuzzed string is scanned in linear time.
 */
const PATTERNS: readonly [string, RegExp][] = [
  ['a stack frame', /(?:^|\n|\\n)[ \t]{0,40}at [^\n]{0,300}?:\d{1,7}:\d{1,7}/],
  ['an Error header with a stack', /Error:[^\n]{0,500}?(?:\n|\\n)[ \t]{0,40}at /],
  ['a file URL', /file:\/\/\//],
  ['a node_modules path', /node_modules[\\/]/],
  ['a Lambda task path', /\/var\/task\//],
  ['a source file position', /\.(?:[cm]?[jt]sx?):\d{1,7}:\d{1,7}/],
];

/** Names the first leak found in `text`, or undefined; `extra` adds literal strings (e.g. the cwd). */
export function findLeak(text: string, extra: readonly string[] = []): string | undefined {
  for (const [what, pattern] of PATTERNS) {
    const m = pattern.exec(text);
    if (m) return `${what}: ${JSON.stringify(m[0].slice(0, 120))}`;
  }
  for (const literal of extra) {
    if (literal && text.includes(literal)) return `the text ${JSON.stringify(literal)}`;
  }
  return undefined;
}
