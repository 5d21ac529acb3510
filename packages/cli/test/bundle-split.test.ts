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
    // The entry and one chunk: no chunk of its own for what the envelope and startup share.
    expect(result.startup).toHaveLength(2);
    const { handler } = (await import(outfile)) as { handler: (e: { late?: boolean }) => Promise<string> };
    expect(await handler({})).toBe('<small><envelope y>');
    expect(await handler({ late: true })).toBe('<envelope x><small>');
  });
});
