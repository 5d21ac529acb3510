import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { isThirdParty, polycloudSourcePlugin } from '../src/source-plugin.ts';

const marked = (doc: string, declaration: string, body = '  return 1;\n') =>
  `${doc}\n${declaration} {\n${body}}\n`;

describe('polycloudSourcePlugin: @coldStart marks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polycloud-eager-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the parentheses through esbuild minifying, for marked functions only', async () => {
    writeFileSync(
      join(dir, 'lib.ts'),
      `${marked('/** @coldStart */', 'export function hot(a: number): number', '  return a + 1;\n')}${marked('/** Lazy. */', 'export function cold(a: number): number', '  return a - 1;\n')}`,
    );
    writeFileSync(
      join(dir, 'entry.ts'),
      "import { cold, hot } from './lib.ts';\nexport const run = (a: number) => hot(cold(a));\n",
    );
    const result = await build({
      entryPoints: [join(dir, 'entry.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      minify: true,
      plugins: [polycloudSourcePlugin()],
    });
    const code = result.outputFiles[0]!.text;
    expect(code.match(/=\(function\(/g)).toHaveLength(1);
    expect(code).toMatch(/function \w+\(\w\)\{return \w-1\}/);
    const { run } = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as {
      run: (a: number) => number;
    };
    expect(run(5)).toBe(5);
  });

  it('leaves third-party packages as they are', () => {
    expect(isThirdParty('/app/node_modules/express/index.js')).toBe(true);
    expect(isThirdParty('/app/node_modules/@polycloud/core/dist/router.js')).toBe(false);
    expect(isThirdParty('/repo/packages/core/src/router.ts')).toBe(false);
  });
});

describe('polycloudSourcePlugin: imports from @polycloud/core', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polycloud-barrel-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A package index re-exporting a module the entry uses and one only a lazily imported module
   * uses (as `@polycloud/core` re-exports `defineApp` and `Message`).
   */
  function writeApp(): void {
    const core = join(dir, 'node_modules/@polycloud/core');
    mkdirSync(core, { recursive: true });
    writeFileSync(
      join(core, 'package.json'),
      JSON.stringify({ name: '@polycloud/core', type: 'module', sideEffects: false, exports: './index.js' }),
    );
    writeFileSync(
      join(core, 'index.js'),
      "export { used } from './used.js';\nexport {\n  lazyOnly,\n  other as renamed,\n} from './lazy-only.js';\n",
    );
    writeFileSync(join(core, 'used.js'), "export const used = () => 'USED-AT-STARTUP';\n");
    writeFileSync(
      join(core, 'lazy-only.js'),
      "export class lazyOnly { name() { return 'ONLY-IN-THE-LAZY-CHUNK'; } }\nexport const other = 2;\n",
    );
    writeFileSync(
      join(dir, 'entry.ts'),
      "import { used } from '@polycloud/core';\nexport const now = used();\nexport const later = () => import('./lazy.ts').then((m) => m.run());\n",
    );
    writeFileSync(
      join(dir, 'lazy.ts'),
      "import { lazyOnly, renamed as two, type Unused } from '@polycloud/core';\nexport const run = () => [new lazyOnly().name(), two].join(' ');\n",
    );
  }

  it('keeps a module the startup code does not import out of the entry, and both still run', async () => {
    writeApp();
    const out = join(dir, 'out');
    const result = await build({
      entryPoints: [join(dir, 'entry.ts')],
      bundle: true,
      splitting: true,
      format: 'esm',
      outdir: out,
      metafile: true,
      plugins: [polycloudSourcePlugin()],
    });
    const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint)![0];
    const startup = [
      entry,
      ...result.metafile.outputs[entry]!.imports.filter((i) => i.kind === 'import-statement').map(
        (i) => i.path,
      ),
    ];
    const startupCode = startup.map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(startupCode).toContain('USED-AT-STARTUP');
    expect(startupCode).not.toContain('ONLY-IN-THE-LAZY-CHUNK');
    const mod = (await import(pathToFileURL(join(process.cwd(), entry)).href)) as {
      now: string;
      later: () => Promise<string>;
    };
    expect(mod.now).toBe('USED-AT-STARTUP');
    await expect(mod.later()).resolves.toBe('ONLY-IN-THE-LAZY-CHUNK 2');
  });
});
