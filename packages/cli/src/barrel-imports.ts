import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The build's rewrite of named imports from a package's index (`import { defineApp, http } from
 * '@polycloud/core'`) into imports from the modules that define each name, what Next.js calls
 * `optimizePackageImports`.
 *
 * Why: esbuild splits a build by module. Once any startup code imports the index, every module the
 * index re-exports is reached from the entry and lands in the startup file with what it imports,
 * used or not: `Message`, `StorageError` (the app's index), `bindFunction` and `processBatch` (the
 * adapters' index), which only lazily loaded code runs.
 * Imported by name from their own modules, they stay in the lazy chunks that use them. The modules
 * are the very files the index re-exports, so each still exists once, with its state.
 *
 * Measured (AWS, `test/cold-start/apps/plain`, `GET /items/:id`): the startup file 37.97 → 36.74 KB
 * (Azure 36.29 → 35.05 KB).
 *
 * Only what can be mapped is rewritten: a statement naming something the index does not re-export by
 * name (an `export *`, a default or namespace import, a comment inside the braces) is left as it is,
 * and still correct.
 */
export const BARREL_PACKAGES: readonly string[] = ['@polycloud/core', '@polycloud/core/adapter'];

/** Where each name an index re-exports is defined: the module file and the name there. */
export type IndexExports = ReadonlyMap<string, { readonly module: string; readonly name: string }>;

/**
 * The names `index` (the index module's text, at `indexPath`) re-exports by name from its own
 * modules. Type-only re-exports are left out: they import nothing at run time.
 *
 * @example
 * indexExports("export { defineApp, type App } from './app.ts';", '/core/src/index.ts');
 * // Map { 'defineApp' => { module: '/core/src/app.ts', name: 'defineApp' } }
 */
export function indexExports(index: string, indexPath: string): IndexExports {
  const exports = new Map<string, { module: string; name: string }>();
  for (const [, names, from] of index.matchAll(REEXPORT)) {
    if (!from!.startsWith('.')) continue;
    const module = join(dirname(indexPath), from!);
    for (const spec of specifiers(names!)) exports.set(spec.as, { module, name: spec.name });
  }
  return exports;
}

/**
 * `source` with each named import from `specifier` that `exports` maps in full split into one
 * import per defining module, by absolute path.
 *
 * @example
 * barrelImports("import { defineApp, http } from '@polycloud/core';", '@polycloud/core', exports);
 * // import { defineApp } from "/core/src/app.ts"; import { http } from "/core/src/kinds.ts";
 */
export function barrelImports(source: string, specifier: string, exports: IndexExports): string {
  if (!source.includes(specifier)) return source;
  return source.replace(NAMED_IMPORT, (statement, names: string, _quote: string, from: string) => {
    if (from !== specifier || names.includes('/')) return statement;
    const byModule = new Map<string, string[]>();
    for (const spec of specifiers(names)) {
      const target = exports.get(spec.name);
      if (!target) return statement;
      const imported = target.name === spec.as ? spec.as : `${target.name} as ${spec.as}`;
      byModule.set(target.module, [...(byModule.get(target.module) ?? []), imported]);
    }
    return [...byModule]
      .map(([module, imported]) => `import { ${imported.join(', ')} } from ${JSON.stringify(module)};`)
      .join(' ');
  });
}

/**
 * Finds and reads the index of each package in `BARREL_PACKAGES` as the importer at `importer`
 * resolves it (its TypeScript source in the workspace, its JavaScript when installed), once per index.
 */
export class BarrelIndexes {
  readonly #resolve: (specifier: string, resolveDir: string) => Promise<string | undefined>;
  readonly #read = new Map<string, Promise<IndexExports>>();

  constructor(resolve: (specifier: string, resolveDir: string) => Promise<string | undefined>) {
    this.#resolve = resolve;
  }

  /** `source` (the module at `importer`) with its imports from every barrel package rewritten. */
  async rewrite(source: string, importer: string): Promise<string> {
    let out = source;
    for (const specifier of BARREL_PACKAGES) {
      if (!out.includes(specifier)) continue;
      const indexPath = await this.#resolve(specifier, dirname(importer));
      if (indexPath === undefined) continue;
      let exports = this.#read.get(indexPath);
      if (!exports) {
        exports = readFile(indexPath, 'utf8').then((text) => indexExports(text, indexPath));
        this.#read.set(indexPath, exports);
      }
      out = barrelImports(out, specifier, await exports);
    }
    return out;
  }
}

/** `export { a, b as c, type T } from './x.ts'` (not `export type { … }`), over several lines. */
const REEXPORT = /^export\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm;
/** `import { a, b as c, type T } from 'pkg'` (not `import type`, default or namespace imports). */
const NAMED_IMPORT = /\bimport\s*\{([^}]*)\}\s*from\s*(['"])([^'"]+)\2;?/g;

/** The value (not `type`) specifiers of an import or export list. */
function specifiers(list: string): { name: string; as: string }[] {
  const out: { name: string; as: string }[] = [];
  for (const raw of list.split(',')) {
    const spec = raw.trim();
    if (spec === '' || spec.startsWith('type ')) continue;
    const [name, as = name] = spec.split(/\s+as\s+/) as [string, string?];
    out.push({ name, as: as! });
  }
  return out;
}
