import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Loader, Plugin } from 'esbuild';
import { BarrelIndexes } from './barrel-imports.ts';
import { eagerCompile } from './eager-compile.ts';

/**
 * The build's source rewrites as one esbuild plugin (esbuild loads a file with the first `onLoad`
 * that answers, so they cannot be plugins of their own), for polycloud's packages and the app's own
 * files; other packages are loaded as they are:
 * 1. named imports from a package index become imports from the defining modules (`barrel-imports.ts`);
 * 2. `@coldStart` functions become eagerly compiled expressions (`eager-compile.ts`);
 * 3. `prefix`, code put before a module's own (the split build's startup import), when it gives any.
 */
export function polycloudSourcePlugin(
  prefix: (path: string, text: string) => string | undefined = () => undefined,
): Plugin {
  return {
    name: 'polycloud-source',
    setup(b) {
      const barrels = new BarrelIndexes(async (specifier, resolveDir) => {
        const found = await b.resolve(specifier, { kind: 'import-statement', resolveDir });
        return found.errors.length > 0 || found.external ? undefined : found.path;
      });
      b.onLoad({ filter: /\.([cm]?[jt]s|tsx)$/, namespace: 'file' }, async (args) => {
        if (isThirdParty(args.path)) return undefined;
        const text = await readFile(args.path, 'utf8');
        const before = prefix(args.path, text);
        const rewritten = eagerCompile(await barrels.rewrite(text, args.path), args.path);
        if (before === undefined && rewritten === text) return undefined;
        return {
          contents: (before ?? '') + rewritten,
          loader: loaderOf(args.path),
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

/** Installed code other than polycloud's own (a workspace resolves polycloud to packages/). */
export function isThirdParty(path: string): boolean {
  return /[\\/]node_modules[\\/]/.test(path) && !/[\\/]node_modules[\\/]@polycloud[\\/]/.test(path);
}

function loaderOf(path: string): Loader {
  const ext = path.slice(path.lastIndexOf('.') + 1);
  return ext === 'tsx' ? 'tsx' : ext.endsWith('js') ? 'js' : 'ts';
}
