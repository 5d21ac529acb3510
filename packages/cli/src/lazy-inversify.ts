import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * inversify is most of a small function's bundle, yet a function that never calls `ctx.get`
 * never needs it. This plugin replaces `inversify` in an ESM bundle with a shim that loads a
 * CommonJS copy (`inversify.cjs`, written next to the bundle) synchronously on first use, so
 * `ctx.get` stays synchronous and the cold start of such a function neither parses nor runs it.
 */
// Pure annotations: a bundle keeps only the exports it imports.
const SHIM = `
import { createRequire } from 'node:module';
let real;
const load = () => (real ??= createRequire(import.meta.url)('./inversify.cjs'));
const make = (name) => function (...args) { return new (load()[name])(...args); };
const call = (name) => (...args) => load()[name](...args);
export const Container = /* @__PURE__ */ make('Container');
export const ContainerModule = /* @__PURE__ */ make('ContainerModule');
export const LazyServiceIdentifier = /* @__PURE__ */ make('LazyServiceIdentifier');
export const injectable = /* @__PURE__ */ call('injectable');
export const inject = /* @__PURE__ */ call('inject');
export const multiInject = /* @__PURE__ */ call('multiInject');
export const optional = /* @__PURE__ */ call('optional');
export const named = /* @__PURE__ */ call('named');
export const tagged = /* @__PURE__ */ call('tagged');
export const unmanaged = /* @__PURE__ */ call('unmanaged');
export const postConstruct = /* @__PURE__ */ call('postConstruct');
export const preDestroy = /* @__PURE__ */ call('preDestroy');
export const injectFromBase = /* @__PURE__ */ call('injectFromBase');
export const injectFromHierarchy = /* @__PURE__ */ call('injectFromHierarchy');
export const decorate = /* @__PURE__ */ call('decorate');
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
