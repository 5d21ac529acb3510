import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { polycloudSourcePlugin } from './source-plugin.ts';
import { mergeStartup, type SplitFile } from './startup-merge.ts';

export interface BundleOptions {
  external?: string[];
  format?: 'esm' | 'cjs';
  minify?: boolean;
  /**
   * ESM code splitting: what the entry reaches only through `import()` goes into chunks next to
   * `outfile`, loaded on first use, so a cold start parses and runs only what the entry imports
   * statically.
   */
  splitting?: boolean;
  /**
   * With `splitting`: the entry awaits at top level only code it loads statically (never a module
   * it imports with `import()` while it awaits), so it can hold its startup code itself, one file
   * to load instead of two (see `mergeStartup`). The node server's entry checks this before it awaits.
   */
  entryAwaitsStartupOnly?: boolean;
}

export interface BundleResult {
  /** Bytes of JavaScript written: the entry plus every chunk. */
  bytes: number;
  /** Every JavaScript file written, the entry first. */
  files: string[];
  /** The entry and the chunks it imports statically: what loads before the first line of it runs. */
  startup: string[];
}

const ENTRY_SOURCEFILE = 'polycloud-entry.ts';

// Inside the polycloud repository the CLI runs from its TypeScript source, and so do the packages it
// bundles (their exports' "source" condition, as for the tests); an installed CLI bundles their dist.
const CONDITIONS = import.meta.url.endsWith('.ts') ? ['source', 'module'] : undefined;

// Bundled CommonJS dependencies call require(); give ESM output a real one, made on its first use.
// In a split build esbuild's require shim lands in the startup file while only lazy chunks (inversify,
// nats, croner) call it, and a createRequire() at load was paid by every cold start. Measured (node
// server, `GET /items/:id`, 41 interleaved fresh processes, CPU): import + first 8.05 → 7.83 ms.
// node:module comes from `process.getBuiltinModule` (Node ≥ 20.16), not an import: importing it
// makes Node build the builtin's ES module facade at load (GCP, whose framework is CommonJS, paid
// ~0.2 ms for it). A Proxy, so that `require.resolve` and `require.cache` reach the real one as well.
const REQUIRE_BANNER = [
  'let __pcRequire;',
  "const __pcRealRequire = () => (__pcRequire ??= process.getBuiltinModule('node:module').createRequire(import.meta.url));",
  'const require = new Proxy(function require(id) { return __pcRealRequire()(id); }, { get: (_, key) => __pcRealRequire()[key] });',
].join(' ');

/**
 * A split build's file with the require() banner when its code names `require` (esbuild's shim for
 * bundled CommonJS reads one in scope and otherwise throws "Dynamic require of ... is not
 * supported"), else as it is. Only those files: every banner is a createRequire() call when its file
 * loads, and the GCP startup file, given one per merged chunk, ran three where one was used.
 * Measured (GCP, `GET /items/:id`, this machine, median of 31 interleaved fresh processes): the two
 * unused calls were ~0.1 ms of the import's top-level evaluation.
 */
function withRequire(text: string): string {
  return /(?<![\w$.])require(?![\w$])/.test(text) ? `${REQUIRE_BANNER}\n${text}` : text;
}

/**
 * One esbuild configuration for every provider: ESM for Node 20, minified, tree-shaken, with
 * the entry given as source so each function's bundle contains only what it imports.
 */
export async function bundle(
  appDir: string,
  source: string,
  outfile: string,
  options: BundleOptions = {},
): Promise<BundleResult> {
  const format = options.format ?? 'esm';
  const common: BuildOptions = {
    stdin: { contents: source, resolveDir: appDir, sourcefile: ENTRY_SOURCEFILE, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    external: options.external ?? [],
    logLevel: 'silent',
    metafile: true,
    ...(CONDITIONS ? { conditions: CONDITIONS } : {}),
  };
  if (format === 'esm' && options.splitting)
    return bundleSplit(common, appDir, outfile, options.entryAwaitsStartupOnly ?? false);
  await build({
    ...common,
    outfile,
    banner: format === 'esm' ? { js: REQUIRE_BANNER } : {},
    plugins: [polycloudSourcePlugin()],
  });
  return { bytes: statSync(outfile).size, files: [outfile], startup: [outfile] };
}

/**
 * The split build. esbuild puts each module into the chunk of the set of entries (the entry and every
 * `import()` target) that reach it, so code the entry shares with several lazy modules would be cut
 * into one small chunk per combination of them, each loaded at startup on its own. To keep startup to
 * the entry plus one chunk, a first pass finds what the entry reaches statically and the second pass
 * has every other module import all of that (already loaded, so at no cost): the entry's whole static
 * closure then lands in a single shared chunk. `mergeStartup` then folds that chunk (and esbuild's
 * chunk of CommonJS helpers) into the entry itself, so a cold start loads one file.
 *
 * Chunks are written flat next to `outfile`; names carry a content hash and the entry is written as
 * `outfile`.
 */
async function bundleSplit(
  common: BuildOptions,
  appDir: string,
  outfile: string,
  entryAwaitsStartupOnly: boolean,
): Promise<BundleResult> {
  const outdir = dirname(outfile);
  // esbuild names the stdin entry after its `sourcefile`, resolved from `resolveDir`.
  const entryPoint = resolve(appDir, ENTRY_SOURCEFILE);
  const first = await build({
    ...common,
    outfile: join(outdir, 'startup.mjs'),
    write: false,
    plugins: [
      polycloudSourcePlugin(),
      {
        name: 'polycloud-static-only',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
          );
        },
      },
    ],
  });
  // What the entry's output holds, not every input esbuild read: a module reached only through an
  // index's unused re-export is read but tree-shaken (croner, behind the node adapter's lazily
  // imported Scheduler, would otherwise be forced into every startup).
  const firstOutput = Object.values(first.metafile!.outputs)[0]!;
  const startupInputs = Object.entries(firstOutput.inputs).filter(([path]) => !/^[\w-]+:/.test(path));
  const startupModules = new Set(
    startupInputs
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => resolve(path))
      .filter((path) => path !== entryPoint),
  );
  // The modules that must not import the startup set: every module the entry reaches through import
  // statements, file by file, used at startup or not. One of them that did would import the app that
  // imports it, and esbuild, ordering that cycle, could run the app's module before the router its
  // route definitions call. The startup output's inputs are not enough: the split pass places a module
  // by following the imports of whatever any entry uses of its importer, so in a topic function
  // `http-headers.ts`, reached through `http-request.ts` (whose `HttpRequest` only lazy chunks use),
  // lands in the startup chunk although the startup output has nothing of it.
  const reachedAtStartup = staticClosure(first.metafile!.inputs, entryPoint);
  const built = await build({
    ...common,
    outdir,
    splitting: true,
    write: false,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    plugins: [
      startupClosure(entryImports(common), appDir, startupModules),
      polycloudSourcePlugin((path, text) => lazyModulePrefix(path, text, reachedAtStartup)),
    ],
  });
  const metafile = built.metafile!;
  const outputs = new Map<string, Metafile['outputs'][string]>();
  for (const [path, output] of Object.entries(metafile.outputs)) outputs.set(resolve(path), output);
  const builtEntry = [...outputs].find(([, o]) => o.entryPoint && resolve(o.entryPoint) === entryPoint)![0];
  const final = (path: string) => (path === builtEntry ? outfile : path);
  // The static import closure of the entry.
  const startup = new Set<string>();
  const visit = (path: string) => {
    if (startup.has(final(path))) return;
    startup.add(final(path));
    for (const i of outputs.get(path)?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external) visit(resolve(i.path));
    }
  };
  visit(builtEntry);
  const split = new Map<string, SplitFile>();
  for (const file of built.outputFiles!) {
    const output = outputs.get(file.path)!;
    split.set(final(file.path), {
      text: withRequire(file.text),
      exports: output.exports,
      imports: output.imports
        .filter((i) => i.kind === 'import-statement' && !i.external)
        .map((i) => final(resolve(i.path))),
      dynamicImports: output.imports
        .filter((i) => i.kind === 'dynamic-import' && !i.external)
        .map((i) => final(resolve(i.path))),
      reexportsOnly: Object.values(output.inputs).every((input) => input.bytesInOutput === 0),
    });
  }
  const { minify, target, legalComments } = common;
  const merged = await mergeStartup(
    split,
    outfile,
    startup,
    { minify, target, legalComments },
    entryAwaitsStartupOnly,
  );
  mkdirSync(outdir, { recursive: true });
  let bytes = 0;
  for (const [path, text] of merged.written) {
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  }
  const files = [...merged.written.keys()].sort((a, b) => Number(b === outfile) - Number(a === outfile));
  return { bytes, files, startup: merged.startup };
}

/**
 * The one source change of the split build: every TypeScript/ESM module of the app and of polycloud
 * that the entry does not reach statically first imports all of `startupModules` (see `bundleSplit`).
 * Third-party code is left as it is.
 *
 * Measured (AWS, `GET /items/:id`, this machine, median of 15 fresh processes, 3 runs): without it,
 * esbuild cuts the entry's closure into 8 chunks and the import takes 8.6–8.8 ms of CPU; with it,
 * one chunk and 4.4–4.9 ms. Each ES module file costs its own resolve, read, compile and link.
 */
const STARTUP_PROXY = 'polycloud-startup-proxy';
const STARTUP = 'polycloud-startup';
// One import of a module that imports what the entry imports, the way the entry does: a list of
// every startup module instead lets esbuild order a module before one it needs (an app importing
// core's index ran its route definitions before the router's constants were set).
const STARTUP_IMPORTS = `import ${JSON.stringify(`${STARTUP}:closure`)};`;

/**
 * What a module of polycloud or of the app that the entry does not reach statically imports first
 * (the startup set, see `bundleSplit`); third-party code is left as it is (the plugin skips it).
 */
function lazyModulePrefix(
  path: string,
  text: string,
  reachedAtStartup: ReadonlySet<string>,
): string | undefined {
  if (reachedAtStartup.has(path)) return undefined;
  // ES modules only: an import would turn a CommonJS module into an ES module.
  return /^\s*(import|export)\b/m.test(text) ? STARTUP_IMPORTS : undefined;
}

/**
 * The entry's import declarations (each build entry is import lines, then code): importing them is
 * loading the startup set in the order the entry itself loads it.
 */
function entryImports(common: BuildOptions): string {
  const source = (common.stdin as { contents: string }).contents;
  return source
    .split('\n')
    .filter((line) => /^\s*import\s/.test(line))
    .join('\n');
}

function startupClosure(imports: string, appDir: string, startupModules: ReadonlySet<string>): Plugin {
  return {
    name: 'polycloud-startup-closure',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${STARTUP}:closure$`) }, () => ({
        path: 'closure',
        namespace: STARTUP,
      }));
      b.onLoad({ filter: /.*/, namespace: STARTUP }, () => ({
        contents: imports,
        // js, not ts: TypeScript drops an import whose bindings are unused (they may be types).
        loader: 'js',
        resolveDir: appDir,
      }));
      // `import()` of a module that is also loaded at startup (core's runtime imports the invoke
      // envelope lazily; on GCP the event entry imports it statically) would make that module an
      // entry of its own, and what it imports a chunk of its own, loaded at startup as one more file.
      // The import goes through a proxy that imports the startup set like any lazy module.
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === STARTUP_PROXY) return undefined;
        const found = await b.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: 'dynamic-import',
          importer: args.importer,
          pluginData: STARTUP_PROXY,
        });
        if (!startupModules.has(found.path)) return undefined;
        if (/\bexport\s+default\b/.test(await readFile(found.path, 'utf8'))) return undefined;
        return { path: found.path, namespace: STARTUP_PROXY };
      });
      b.onLoad({ filter: /.*/, namespace: STARTUP_PROXY }, (args) => ({
        contents: `${STARTUP_IMPORTS}export * from ${JSON.stringify(args.path)};`,
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
    },
  };
}

/** The files `entry` reaches through static imports in a metafile's inputs, as absolute paths. */
function staticClosure(inputs: Metafile['inputs'], entry: string): Set<string> {
  const byPath = new Map(Object.entries(inputs).map(([path, input]) => [resolve(path), input]));
  const reached = new Set<string>();
  const pending = [entry];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (reached.has(path)) continue;
    reached.add(path);
    for (const i of byPath.get(path)?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) pending.push(resolve(i.path));
  }
  return reached;
}
