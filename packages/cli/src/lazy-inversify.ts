import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * inversify is most of a small function's bundle, yet a function that never calls `ctx.get`
 * never needs it. This plugin replaces `inversify` in an ESM bundle with a shim that loads a
 * CommonJS copy (`inversify.cjs`, written next to the bundle) synchronously on first use, so
 * `ctx.get` stays synchronous and the cold start of such a function neither parses nor runs it.
 */
const SHIM = `
import { createRequire } from 'node:module';
let real;
const load = () => (real ??= createRequire(import.meta.url)('./inversify.cjs'));
const make = (name) => function (...args) { return new (load()[name])(...args); };
const call = (name) => (...args) => load()[name](...args);
export const Container = make('Container');
export const ContainerModule = make('ContainerModule');
export const LazyServiceIdentifier = make('LazyServiceIdentifier');
export const injectable = call('injectable');
export const inject = call('inject');
export const multiInject = call('multiInject');
export const optional = call('optional');
export const named = call('named');
export const tagged = call('tagged');
export const unmanaged = call('unmanaged');
export const postConstruct = call('postConstruct');
export const preDestroy = call('preDestroy');
export const injectFromBase = call('injectFromBase');
export const injectFromHierarchy = call('injectFromHierarchy');
export const decorate = call('decorate');
export const bindingScopeValues = { Request: 'Request', Singleton: 'Singleton', Transient: 'Transient' };
`;

export function lazyInversify(resolveDir: string): Plugin {
  return {
    name: 'polycloud-lazy-inversify',
    setup(b) {
      b.onResolve({ filter: /^inversify$/ }, () => ({ path: 'inversify', namespace: 'polycloud-lazy' }));
      b.onLoad({ filter: /.*/, namespace: 'polycloud-lazy' }, () => ({
        contents: SHIM,
        loader: 'js',
        resolveDir,
      }));
    },
  };
}

/** Writes the CommonJS copy of inversify the shim loads, next to `outfile`. */
export async function writeInversifyCjs(resolveDir: string, outfile: string): Promise<void> {
  await build({
    stdin: { contents: "export * from 'inversify';", resolveDir, sourcefile: 'inversify-entry.js' },
    outfile: join(dirname(outfile), 'inversify.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
}
