import { statSync } from 'node:fs';
import { build } from 'esbuild';
import { lazyInversify, writeInversifyCjs } from './lazy-inversify.ts';

/**
 * One esbuild configuration for every provider: ESM for Node 20, minified, tree-shaken, with
 * the entry given as source so each function's bundle contains only what it imports.
 */
export async function bundle(
  appDir: string,
  source: string,
  outfile: string,
  options: { external?: string[]; format?: 'esm' | 'cjs'; minify?: boolean } = {},
): Promise<{ bytes: number }> {
  const format = options.format ?? 'esm';
  const lazy = format === 'esm' && !(options.external ?? []).includes('inversify');
  const result = await build({
    stdin: { contents: source, resolveDir: appDir, sourcefile: 'polycloud-entry.ts', loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    external: options.external ?? [],
    // Bundled CommonJS dependencies call require(); give ESM output a real one.
    banner:
      format === 'esm'
        ? {
            js: "import { createRequire as __pcRequire } from 'node:module'; const require = __pcRequire(import.meta.url);",
          }
        : {},
    logLevel: 'silent',
    plugins: lazy ? [lazyInversify(appDir)] : [],
    metafile: true,
  });
  if (
    lazy &&
    Object.keys(result.metafile?.inputs ?? {}).some((input) => input.startsWith('polycloud-lazy:'))
  ) {
    await writeInversifyCjs(appDir, outfile);
  }
  return { bytes: statSync(outfile).size };
}
