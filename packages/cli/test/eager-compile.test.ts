import { describe, expect, it } from 'vitest';
import { EagerCompileError, eagerCompile } from '../src/eager-compile.ts';

const marked = (doc: string, declaration: string, body = '  return 1;\n') =>
  `${doc}\n${declaration} {\n${body}}\n`;

describe('eagerCompile', () => {
  it('turns a marked top-level function into a parenthesized expression of the same name, first in the module', () => {
    const source = `import { x } from './x.ts';\n${marked('/** @coldStart */', 'export function parse<T>(a: T): T', '  if (a) {\n    return a;\n  }\n  return a;\n')}const after = 1;\n`;
    expect(eagerCompile(source, 'a.ts')).toBe(
      "export var parse = (function parse<T>(a: T): T {\n  if (a) {\n    return a;\n  }\n  return a;\n});\nimport { x } from './x.ts';\n/** @coldStart */\n\nconst after = 1;\n",
    );
  });

  it('defines the functions before any code of the module runs, as a declaration is', () => {
    // An object of handlers built above the functions it names (AWS's `apigwV2` shape).
    const source = `export const shape = { matches: isIt };\n${marked('/** @coldStart */', 'function isIt(a: number)', '  return a === 1;\n')}`;
    const out = eagerCompile(source, 'a.ts').replace('export const', 'const').replace('(a: number)', '(a)');
    expect(new Function(`${out}\nreturn shape.matches(1);`)()).toBe(true);
  });

  it('keeps a JSDoc that carries the tag on a line of its own, and async and unexported functions', () => {
    const source = `${marked('/**\n * Reads it.\n * @coldStart\n */', 'async function read(a: number)')}`;
    expect(eagerCompile(source, 'a.ts')).toBe(
      'var read = (async function read(a: number) {\n  return 1;\n});\n/**\n * Reads it.\n * @coldStart\n */\n\n',
    );
  });

  it('leaves unmarked functions and a tag mentioned in running text alone', () => {
    const source = `${marked('/** Not @coldStart: mentioned only. */', 'export function a()')}${marked('/** Plain. */', 'function b()')}`;
    expect(eagerCompile(source, 'a.ts')).toBe(source);
  });

  it('ends the function at its own closing line, not at a "}" inside a template literal', () => {
    const source = marked('/** @coldStart */', 'function f()', '  return `a\n}b`;\n');
    const out = eagerCompile(source, 'a.ts');
    expect(out).toBe('var f = (function f() {\n  return `a\n}b`;\n});\n/** @coldStart */\n\n');
    expect(new Function(`${out}\nreturn f();`)()).toBe('a\n}b');
  });

  it('rejects a mark it cannot honour, naming the file and the function', () => {
    expect(() => eagerCompile('/** @coldStart */\nconst f = () => 1;\n', 'a.ts')).toThrow(EagerCompileError);
    expect(() => eagerCompile('/** @coldStart */\nconst f = () => 1;\n', 'a.ts')).toThrow(
      'a.ts: a @coldStart mark: the comment is not followed by a top-level function',
    );
    const overload =
      '/** @coldStart */\nexport function f(a: string): string;\nexport function f(a: unknown) {\n  return a;\n}\n';
    expect(() => eagerCompile(overload, 'b.ts')).toThrow(
      'b.ts: a @coldStart mark: function f is an overload: mark its implementation',
    );
    expect(() => eagerCompile('/** @coldStart */\nfunction f() {\n  return 1;}', 'c.ts')).toThrow(
      'c.ts: a @coldStart mark: no line "}" ends function f',
    );
  });

  it('accepts a mark on the implementation of an overloaded function', () => {
    const source =
      'export function f(a: string): string;\n/** @coldStart */\nexport function f(a: unknown) {\n  return a;\n}\n';
    expect(eagerCompile(source, 'a.ts')).toContain(
      'export var f = (function f(a: unknown) {\n  return a;\n});',
    );
  });
});
