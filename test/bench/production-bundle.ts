import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle } from '../../packages/cli/src/bundle.ts';

const ROOT = join(import.meta.dirname, '../..');
// vitest rewrites every imported binding of a module it transforms into a getter call on a module
// object (its SSR transform), which adds hundreds of ns per call to whichever side has more module
// hops. Modules under node_modules are externalised: imported by Node itself, as on a provider.
const OUT = join(ROOT, 'node_modules/.cache/polycloud-bench');

/**
 * Bundles a bench module exactly as `polycloud build` bundles a function (same esbuild settings,
 * minified, lazy inversify) and imports the result natively. Both the raw and the polycloud handler
 * live in that one bundle, so the comparison is between the code that would run on the provider.
 * Each `instance` is a separate module, so its functions gather their own type feedback: a Lambda
 * process runs one function of one trigger kind, and a bench of http and then SQS in one module
 * would measure code the JIT had specialised for the other case first.
 */
export async function importProductionBundle<T>(
  moduleFile: string,
  external: string[] = [],
  instance = 'main',
): Promise<T> {
  mkdirSync(OUT, { recursive: true });
  const name = moduleFile.replace(/^.*\//, '').replace(/\.ts$/, '');
  const outfile = join(OUT, `${name}.${instance}.mjs`);
  await bundle(ROOT, `export * from ${JSON.stringify(moduleFile)};`, outfile, { external });
  return (await import(pathToFileURL(outfile).href)) as T;
}
