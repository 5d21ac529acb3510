import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BuildOptions } from '@polycloud/core/adapter';

/** The framework's package: external, its CLI loads the entry and must share its function registry. */
export const FRAMEWORK = '@google-cloud/functions-framework';

/** What `import.meta.url` is in a CommonJS file: the same file: URL, from `__filename`. */
const IMPORT_META_URL = 'require("node:url").pathToFileURL(__filename).href';

/**
 * Turns the split build's ES module entry (`esmEntry`, one startup file: what its cold start loads)
 * into the CommonJS file `cjsEntry` beside it, with the same code and exports; the lazily imported
 * chunks stay ES modules and import the entry's names through a small CommonJS file of those names
 * (`exportsFile`), so one instance serves both.
 *
 * Why: the framework's loader `require()`s a `.cjs` main, where an ES module goes through Node's
 * ES module loader (resolve, load, translate, link, instantiate, each step a promise): ~1 ms more
 * CPU per cold start for the same code (issue 12; GCP cold-start probe, a one-line function:
 * import 2.72 ms as `.mjs`, 1.64 ms as `.cjs`, 21 interleaved rounds).
 *
 * Only `import.meta.url` has no CommonJS equivalent that esbuild supplies: it is spelled out from
 * `__filename` first, and any other `import.meta` use fails the build rather than becoming `{}`.
 *
 * @example
 * await commonJsEntry(bundle, outDir, 'index.mjs', 'index.cjs', chunks);
 */
export async function commonJsEntry(
  bundle: BuildOptions['bundle'],
  outDir: string,
  esmEntry: string,
  cjsEntry: string,
  chunks: readonly string[],
): Promise<{ bytes: number; namesFile: string }> {
  const esmPath = join(outDir, esmEntry);
  const text = readFileSync(esmPath, 'utf8')
    // The entry's import() of itself (a lazy chunk of re-exports folded into it, see the CLI's
    // startup-merge): require() hands back its exports, where import() would have Node lex the whole
    // file for its export names (~30 ms for the 130 KB startup file of an app with inversify).
    .replaceAll(
      `import(${JSON.stringify(`./${esmEntry}`)})`,
      `Promise.resolve().then(() => require(${JSON.stringify(`./${cjsEntry}`)}))`,
    )
    .replaceAll('import.meta.url', IMPORT_META_URL);
  if (text.includes('import.meta'))
    throw new Error(`${esmPath}: import.meta other than import.meta.url has no CommonJS form`);
  writeFileSync(esmPath, text);
  const { bytes } = await bundle(`export * from ${JSON.stringify(esmPath)};`, join(outDir, cjsEntry), {
    // The chunks (and the entry itself, which a chunk holding only re-exports is folded into) load
    // through `import()` at run time, as they do from the ES module entry.
    external: [FRAMEWORK, './chunk-*', `./${cjsEntry}`],
    format: 'cjs',
  });
  rmSync(esmPath);
  const cjsPath = join(outDir, cjsEntry);
  const names = exportNames(readFileSync(cjsPath, 'utf8'), cjsPath);
  const namesFile = cjsEntry.replace(/\.cjs$/, '-names.cjs');
  writeFileSync(join(outDir, namesFile), exportsFile(cjsEntry, names));
  for (const chunk of chunks) writeFileSync(chunk, pointAt(readFileSync(chunk, 'utf8'), esmEntry, namesFile));
  return { bytes: bytes + statSync(join(outDir, namesFile)).size, namesFile };
}

/**
 * The CommonJS file the ES module chunks import the entry's names from: the names only, then the
 * entry's exports. Node reads an imported CommonJS file's export names by lexing its source; lexing
 * the whole entry cost ~5 ms of CPU at the first import of a lazy chunk (the IAP chunk, GCP plain
 * app), this file of names a fraction of it. `module.exports = entry`, not `= require(...)`, which
 * Node would follow to lex the entry after all. Node takes the values when the first chunk imports
 * them, as it does from any CommonJS module; the entry's exports are all set when it has loaded.
 */
function exportsFile(cjsEntry: string, names: readonly string[]): string {
  return [
    '"use strict";',
    `0 && (module.exports = { ${names.join(', ')} });`,
    `const entry = require(${JSON.stringify(`./${cjsEntry}`)});`,
    'module.exports = entry;',
    '',
  ].join('\n');
}

/** The entry's export names, from esbuild's annotation for Node (`0 && (module.exports = { … })`). */
function exportNames(code: string, file: string): string[] {
  const annotation = /0\s*&&\s*\(module\.exports\s*=\s*\{([^}]*)\}\s*\)/.exec(code);
  if (!annotation) throw new Error(`${file}: no export annotation for Node`);
  return annotation[1]!
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** `text` with its imports of the ES module entry (`"./index.mjs"`) pointed at `to`. */
function pointAt(text: string, from: string, to: string): string {
  return text.replaceAll(JSON.stringify(`./${basename(from)}`), JSON.stringify(`./${basename(to)}`));
}
