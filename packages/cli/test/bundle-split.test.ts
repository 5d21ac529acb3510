/**
 * The split build must keep lazy code lazy where users have polycloud: installed under
 * node_modules/@polycloud, not only in this workspace (where packages resolve to packages/). What a
 * module loaded only through `import()` needs from core comes from a subpath of its own
 * (`@polycloud/core/clients/*`), never through an index the entry imports: esbuild puts whatever
 * an index re-exports in that index's chunk.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle } from '../src/bundle.ts';

const dir = mkdtempSync(join(tmpdir(), 'polycloud-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** An installed core: its index, and one subpath per module for what lazy code needs. */
const CORE_PACKAGE = JSON.stringify({
  name: '@polycloud/core',
  type: 'module',
  exports: { '.': './src/index.ts', './clients/*': './src/clients/*.ts' },
});

describe('split bundle of installed polycloud packages', () => {
  it('loads only what the entry imports statically at startup; the rest stays in lazy chunks', async () => {
    const core = 'node_modules/@polycloud/core';
    write(`${core}/package.json`, CORE_PACKAGE);
    write(`${core}/src/index.ts`, "export { small } from './small.ts';\n");
    write(`${core}/src/small.ts`, "export const small = () => 'small';\n");
    write(`${core}/src/clients/big.ts`, `export const big = () => ${JSON.stringify('BIG'.repeat(2000))};\n`);
    const adapter = 'node_modules/@polycloud/aws';
    write(
      `${adapter}/package.json`,
      JSON.stringify({ name: '@polycloud/aws', type: 'module', exports: './src/index.ts' }),
    );
    write(
      `${adapter}/src/index.ts`,
      "import { small } from '@polycloud/core';\nexport const handler = async (e: { big?: boolean }) => (e.big ? (await import('./lazy.ts')).run() : small());\n",
    );
    write(
      `${adapter}/src/lazy.ts`,
      "import { big } from '@polycloud/core/clients/big';\nexport const run = () => big();\n",
    );
    const outfile = join(dir, 'dist/index.mjs');
    const result = await bundle(dir, "export { handler } from '@polycloud/aws';", outfile, {
      splitting: true,
    });
    const startup = result.startup.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(startup).toMatch(/["']small["']/);
    expect(startup).not.toContain('BIGBIG');
    const { handler } = (await import(outfile)) as { handler: (e: { big?: boolean }) => Promise<string> };
    expect(await handler({})).toBe('small');
    expect(await handler({ big: true })).toBe('BIG'.repeat(2000));
  });

  it('keeps startup in one chunk when a lazy import() targets a module startup already loads', async () => {
    const root = join(dir, 'proxy');
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    const core = 'node_modules/@polycloud/core';
    put(`${core}/package.json`, CORE_PACKAGE);
    put(`${core}/src/index.ts`, "export { small } from './small.ts';\n");
    put(
      `${core}/src/small.ts`,
      "import { text } from './text.ts';\nexport const small = () => text('small');\n",
    );
    put(`${core}/src/text.ts`, 'export const text = (s: string) => `<${s}>`;\n');
    put(
      `${core}/src/clients/envelope.ts`,
      "import { text } from '../text.ts';\nexport const envelope = (s: string) => text(`envelope ${s}`);\n",
    );
    put(
      `${core}/src/clients/other.ts`,
      "import { small } from '../small.ts';\nexport const other = () => small();\n",
    );
    put(
      `${core}/src/runtime.ts`,
      [
        "export const later = async (s: string) => (await import('./clients/envelope.ts')).envelope(s);",
        "export const elsewhere = async () => (await import('./clients/other.ts')).other();",
      ].join('\n'),
    );
    // The entry loads the envelope statically too (as GCP's event entry does).
    const outfile = join(root, 'dist/index.mjs');
    const result = await bundle(
      root,
      [
        "import { small } from '@polycloud/core';",
        "import { envelope } from '@polycloud/core/clients/envelope';",
        `import { elsewhere, later } from ${JSON.stringify(join(root, core, 'src/runtime.ts'))};`,
        'export const handler = async (e: { late?: boolean }) =>',
        '  e.late ? (await later("x")) + (await elsewhere()) : small() + envelope("y");',
      ].join('\n'),
      outfile,
      { splitting: true },
    );
    // One file: the entry with its startup chunk merged in (an import() of that chunk could not be).
    expect(result.startup).toEqual([outfile]);
    const { handler } = (await import(outfile)) as { handler: (e: { late?: boolean }) => Promise<string> };
    expect(await handler({})).toBe('<small><envelope y>');
    expect(await handler({ late: true })).toBe('<envelope x><small>');
  });

  it('starts from one file, and lazy chunks share the instances that file loaded', async () => {
    const root = join(dir, 'merge');
    const { put, core } = counterCore(root);
    put(
      `${core}/src/clients/cjs-user.ts`,
      "import dep from 'cjs-dep';\nimport { count } from '../counter.ts';\nexport const viaCjs = () => dep.twice(count());\n",
    );
    put('node_modules/cjs-dep/package.json', JSON.stringify({ name: 'cjs-dep', main: 'index.js' }));
    put('node_modules/cjs-dep/index.js', 'exports.twice = (n) => n * 2;\n');
    const outfile = join(root, 'dist/index.mjs');
    const result = await bundle(
      root,
      [
        "import { bump, count } from '@polycloud/core';",
        'export const handler = async (e: { lazy?: boolean; cjs?: boolean }) => {',
        "  if (e.cjs) return (await import('@polycloud/core/clients/cjs-user')).viaCjs();",
        "  return e.lazy ? (await import('@polycloud/core/clients/lazy')).lazyBump() : (bump(), count());",
        '};',
      ].join('\n'),
      outfile,
      { splitting: true },
    );
    // esbuild's split output starts from three files here: the entry, the chunk it shares with the
    // lazy modules, and the chunk of CommonJS helpers every entry imports.
    expect(result.startup).toEqual([outfile]);
    const entryText = readFileSync(outfile, 'utf8');
    expect(entryText).not.toMatch(/(from|import)\s*["']\.\//);
    expect(entryText).toMatch(/import\(\s*["']\.\/chunk-/);
    expect(result.files.length).toBeGreaterThan(2);
    const { handler } = (await import(outfile)) as {
      handler: (e: { lazy?: boolean; cjs?: boolean }) => Promise<number>;
    };
    expect(await handler({})).toBe(1);
    // The lazy chunk bumps the counter the entry bumped: one module instance, not a copy.
    expect(await handler({ lazy: true })).toBe(2);
    expect(await handler({})).toBe(3);
    expect(await handler({ cjs: true })).toBe(6);
  });

  it('gives the require() banner only to the files that name require, and bundled CommonJS still requires and resolves', async () => {
    const root = join(dir, 'banner');
    const { put, core } = counterCore(root);
    put(
      `${core}/src/clients/cjs-path.ts`,
      "import dep from 'cjs-path';\nexport const base = (p: string) => dep.base(p);\n",
    );
    put('node_modules/cjs-path/package.json', JSON.stringify({ name: 'cjs-path', main: 'index.js' }));
    // A CommonJS require() of a builtin: esbuild keeps it as a call of its shim, which needs a require.
    put(
      'node_modules/cjs-path/index.js',
      "const path = require('node:path');\nexports.base = (p) => path.basename(p) + ' ' + require.resolve('node:path');\n",
    );
    const outfile = join(root, 'dist/index.mjs');
    const result = await bundle(
      root,
      [
        "import { bump, count } from '@polycloud/core';",
        'export const handler = async (e: { lazy?: boolean; cjs?: boolean }) => {',
        "  if (e.cjs) return (await import('@polycloud/core/clients/cjs-path')).base('/a/b.txt');",
        "  return e.lazy ? (await import('@polycloud/core/clients/lazy')).lazyBump() : (bump(), count());",
        '};',
      ].join('\n'),
      outfile,
      { splitting: true },
    );
    const banners = (path: string) => readFileSync(path, 'utf8').match(/createRequire/g)?.length ?? 0;
    // Startup holds esbuild's shim (its chunk of CommonJS helpers is merged in): one banner, not one per merged chunk.
    expect(banners(outfile)).toBe(1);
    // Every other file but the CommonJS module's own chunk names no require: no banner.
    const others = result.files.filter(
      (f) => f !== outfile && !readFileSync(f, 'utf8').includes('node:path'),
    );
    expect(others.length).toBeGreaterThan(0);
    expect(others.map(banners)).toEqual(others.map(() => 0));
    const { handler } = (await import(outfile)) as {
      handler: (e: { lazy?: boolean; cjs?: boolean }) => Promise<number | string>;
    };
    // The banner's require is made on first use; `require.resolve` reaches the real one too.
    expect(await handler({ cjs: true })).toBe('b.txt node:path');
    expect(await handler({ lazy: true })).toBe(1);
  });

  it('keeps an entry that awaits at top level apart from the startup code lazy chunks import', async () => {
    const root = join(dir, 'tla');
    counterCore(root);
    const outfile = join(root, 'dist/server.mjs');
    const result = await bundle(
      root,
      [
        "import { bump, count } from '@polycloud/core';",
        'bump();',
        // As the node server's entry awaits handle(), which may import() a lazy chunk.
        "await (await import('@polycloud/core/clients/lazy')).lazyBump();",
        'export const total = count();',
      ].join('\n'),
      outfile,
      { splitting: true },
    );
    // Had the entry hosted the startup code, the lazy chunk would wait for the entry and the entry
    // for the lazy chunk: the import below would never settle.
    expect(result.startup).toHaveLength(2);
    expect(result.startup[0]).toBe(outfile);
    const { total } = (await import(outfile)) as { total: number };
    expect(total).toBe(2);
  });

  it('entryAwaitsStartupOnly: an entry that awaits only startup code holds that code, one file', async () => {
    const root = join(dir, 'tla-startup-only');
    counterCore(root);
    const outfile = join(root, 'dist/server.mjs');
    const result = await bundle(
      root,
      [
        "import { bump, count } from '@polycloud/core';",
        // As the node server's entry awaits a server that imports no lazy chunk before it listens.
        'await new Promise((resolve) => setTimeout(resolve, 1)).then(bump);',
        'export const total = count();',
        "export const later = async () => (await import('@polycloud/core/clients/lazy')).lazyBump();",
      ].join('\n'),
      outfile,
      { splitting: true, entryAwaitsStartupOnly: true },
    );
    expect(result.startup).toEqual([outfile]);
    expect(readFileSync(outfile, 'utf8')).not.toMatch(/(from|import)\s*["']\.\//);
    const { total, later } = (await import(outfile)) as { total: number; later: () => Promise<number> };
    expect(total).toBe(1);
    // The lazy chunk, imported once the entry has settled, shares the counter the entry loaded.
    expect(await later()).toBe(2);
  });

  it('serves an import() of a package startup loaded from the startup file, not from a chunk of its own', async () => {
    const root = join(dir, 'served');
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    // As an app whose container module imports inversify, and core's runtime that import()s it.
    put(
      'node_modules/counter-dep/package.json',
      JSON.stringify({ name: 'counter-dep', type: 'module', main: 'index.js' }),
    );
    put(
      'node_modules/counter-dep/index.js',
      'let n = 0;\nexport const bump = () => ++n;\nexport const count = () => n;\n',
    );
    const entry = [
      "import { bump } from 'counter-dep';",
      'bump();',
      "export const handler = async () => (await import('counter-dep')).count();",
    ];
    const outfile = join(root, 'dist/index.mjs');
    const result = await bundle(root, entry.join('\n'), outfile, { splitting: true });
    expect(result.files).toEqual([outfile]);
    expect(readFileSync(outfile, 'utf8')).toMatch(/import\(\s*["']\.\/index\.mjs["']\s*\)/);
    const { handler } = (await import(outfile)) as { handler: () => Promise<number> };
    // The instance startup loaded, bumped once.
    expect(await handler()).toBe(1);

    // An entry that awaits at top level gets it from the startup chunk beside it.
    const tla = join(root, 'dist-tla/server.mjs');
    const served = await bundle(
      root,
      [
        "import { bump } from 'counter-dep';",
        'bump();',
        "export const total = (await import('counter-dep')).count() + 1;",
      ].join('\n'),
      tla,
      { splitting: true },
    );
    expect(served.files).toHaveLength(2);
    expect(served.startup).toEqual(served.files);
    expect(((await import(tla)) as { total: number }).total).toBe(2);
  });
});

/**
 * An installed core whose index exports a counter (state a lazy chunk must share with startup) and
 * a lazy `clients/lazy` module that bumps it.
 */
function counterCore(root: string) {
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const core = 'node_modules/@polycloud/core';
  put(`${core}/package.json`, CORE_PACKAGE);
  put(`${core}/src/index.ts`, "export { count, bump } from './counter.ts';\n");
  put(
    `${core}/src/counter.ts`,
    'let n = 0;\nexport const bump = () => ++n;\nexport const count = () => n;\n',
  );
  put(
    `${core}/src/clients/lazy.ts`,
    "import { bump } from '../counter.ts';\nexport const lazyBump = () => bump();\n",
  );
  return { put, core };
}
