import { basename, dirname, resolve } from 'node:path';
import { type BuildOptions, build, type Plugin, transform } from 'esbuild';

/** One output file of the split build. */
export interface SplitFile {
  text: string;
  /** The names it exports. */
  exports: readonly string[];
  /** The files it imports with a static `import` (absolute paths). */
  imports: readonly string[];
  /** The files it imports with `import()` (absolute paths). */
  dynamicImports: readonly string[];
  /** It has no code of its own: it re-exports what other files export. */
  reexportsOnly: boolean;
}

const OUTPUT = 'polycloud-output';
const BRIDGE = 'polycloud-startup-bridge';
const HOST = 'polycloud-startup-host';

/**
 * The split build's last step: what the entry imports statically becomes one file.
 *
 * esbuild puts the code the entry shares with lazily imported modules into a chunk of its own, and
 * its CommonJS-interop helpers into another chunk that every entry imports (even when only a lazy
 * chunk uses them), so a cold start loaded three ES module files where one does: each costs Node its
 * own resolve, read, compile and link. Measured (AWS, `GET /items/:id`, this machine, median of 15
 * fresh processes): the import took 4.5–4.8 ms of CPU from three startup files, 3.6–3.8 ms from the
 * same code in one.
 *
 * esbuild does the merge on its own output, so no code is rewritten by hand:
 * - the host (the entry itself, see below) is bundled again with the startup chunks inlined and
 *   everything else external, and also exports each startup chunk's exports under a prefixed name
 *   (`__pc0_a`: every chunk names its exports `a`, `b`..., so two chunks' names collide);
 * - each lazy chunk that imported a startup chunk is bundled again with that import resolved to a
 *   module that re-exports the host's prefixed names under the chunk's names: it shares the one
 *   instance startup loaded, and loads no file that has not run already.
 *
 * An entry that awaits at top level (the node server awaits `handle()`, which may `import()` a lazy
 * chunk) cannot be the host: a lazy chunk importing it would wait for the entry's evaluation to end,
 * and the entry for the chunk. Its startup chunks are merged into one chunk next to it instead: two
 * files, still one fewer than esbuild writes. Unless the caller knows better (`entryAwaitsStartupOnly`:
 * the node server's entry awaits only when starting imports no lazy chunk): one file then. Measured
 * (node, `GET /items/:id`, this machine, median of 21–41 interleaved fresh processes): the import
 * took ~1 ms less CPU from one file than from the same code in two.
 *
 * An `import()` of a module that startup has loaded already (core's `import('inversify')` in an app
 * whose container modules import inversify themselves) gets a chunk of its own that only re-exports
 * startup names. The host exports those names too, under the names the chunk gives them, and the
 * `import()` loads the host instead, which is loaded already: one file fewer on the first
 * invocation. Measured (AWS, `test/cold-start/apps/service`, median of 21 fresh processes): import +
 * first invocation 15.8 → 14.6 ms of CPU. A chunk whose names the host exports already is left as it
 * is.
 *
 * @param files every output of the split build by absolute path, the entry under its final path
 * @param entry the entry's absolute path
 * @param startup the entry and the chunks it imports statically
 * @param entryAwaitsStartupOnly the entry's top-level await never waits for an `import()`ed chunk
 * @returns the files to write, the startup files first (the entry, then the merged chunk if any)
 */
export async function mergeStartup(
  files: ReadonlyMap<string, SplitFile>,
  entry: string,
  startup: ReadonlySet<string>,
  options: Pick<BuildOptions, 'minify' | 'target' | 'legalComments'>,
  entryAwaitsStartupOnly = false,
): Promise<{ written: Map<string, string>; startup: string[] }> {
  const chunks = [...startup].filter((path) => path !== entry);
  if (chunks.length === 0) {
    return { written: new Map([...files].map(([path, file]) => [path, file.text])), startup: [entry] };
  }
  const entryText = files.get(entry)!.text;
  const host = !entryAwaitsStartupOnly && (await awaitsAtTopLevel(entryText)) ? chunks[0]! : entry;
  const relative = (path: string) => JSON.stringify(`./${basename(path)}`);
  const prefixed = chunks.map((chunk, i) => ({
    chunk,
    prefix: `__pc${i}_`,
    names: files.get(chunk)!.exports,
  }));
  const hostExports = prefixed
    .filter(({ names }) => names.length > 0)
    .map(
      ({ chunk, prefix, names }) =>
        `export { ${names.map((n) => `${n} as ${prefix}${n}`).join(', ')} } from ${relative(chunk)};`,
    )
    .join('\n');
  const served = servedChunks(
    files,
    startup,
    new Set([
      ...(host === entry ? files.get(entry)!.exports : []),
      ...prefixed.flatMap(({ prefix, names }) => names.map((n) => `${prefix}${n}`)),
    ]),
  );
  const servedExports = [...served]
    .map((path) => `export { ${files.get(path)!.exports.join(', ')} } from ${relative(path)};`)
    .join('\n');
  // The host module: the entry's own code with the exports, or a merged chunk of the exports only.
  const hostSource = [host === entry ? entryText : '', hostExports, servedExports].filter(Boolean).join('\n');
  const bridges = new Map(
    prefixed.map(({ chunk, prefix, names }) => [
      chunk,
      `export { ${names.map((n) => `${prefix}${n} as ${n}`).join(', ')} } from ${relative(host)};`,
    ]),
  );

  const rebuild = async (path: string, inline: ReadonlySet<string>) => {
    const result = await build({
      entryPoints: [path],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      outfile: path,
      logLevel: 'silent',
      ...options,
      plugins: [splitOutputs(files, { host, hostSource, inline, bridges, startup, served })],
    });
    return result.outputFiles[0]!.text;
  };

  const written = new Map<string, string>();
  written.set(
    entry,
    await rebuild(entry, host === entry ? new Set([...startup, ...served]) : new Set([entry])),
  );
  if (host !== entry) written.set(host, await rebuild(host, new Set([...chunks, ...served])));
  for (const [path, file] of files) {
    if (startup.has(path) || served.has(path)) continue;
    const rewrite =
      file.imports.some((i) => startup.has(i)) || file.dynamicImports.some((i) => served.has(i));
    written.set(path, rewrite ? await rebuild(path, new Set([path])) : file.text);
  }
  return { written, startup: host === entry ? [entry] : [entry, host] };
}

/**
 * The lazy chunks that only re-export startup names and that no file imports statically, whose
 * names the host can export as they are (none of them in `taken`, the names the host exports
 * already): their `import()` can load the host instead.
 */
function servedChunks(
  files: ReadonlyMap<string, SplitFile>,
  startup: ReadonlySet<string>,
  taken: Set<string>,
): Set<string> {
  const importedStatically = new Set([...files.values()].flatMap((file) => file.imports));
  const served = new Set<string>();
  for (const [path, file] of files) {
    if (startup.has(path) || importedStatically.has(path)) continue;
    if (!file.reexportsOnly || file.exports.length === 0) continue;
    if (!file.imports.every((i) => startup.has(i)) || file.exports.some((n) => taken.has(n))) continue;
    for (const n of file.exports) taken.add(n);
    served.add(path);
  }
  return served;
}

/** Whether a module's code awaits at top level: esbuild refuses it for a target without the feature. */
async function awaitsAtTopLevel(text: string): Promise<boolean> {
  try {
    await transform(text, { format: 'esm', supported: { 'top-level-await': false }, logLevel: 'silent' });
    return false;
  } catch {
    return true;
  }
}

/**
 * Resolves the split build's own files: `inline` ones are bundled, a startup chunk imported by a file
 * that is not bundled with it becomes its bridge, anything else (other chunks, `node:` modules,
 * packages) stays external as it was written.
 */
function splitOutputs(
  files: ReadonlyMap<string, SplitFile>,
  pass: {
    host: string;
    hostSource: string;
    inline: ReadonlySet<string>;
    bridges: ReadonlyMap<string, string>;
    startup: ReadonlySet<string>;
    /** Lazy chunks of startup names only, whose `import()` loads the host instead. */
    served: ReadonlySet<string>;
  },
): Plugin {
  return {
    name: 'polycloud-startup-merge',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') {
          return { path: args.path, namespace: args.path === pass.host ? HOST : OUTPUT };
        }
        // A bridge imports the host, which is loaded already: never bundled with it.
        if (!args.path.startsWith('.') || args.namespace === BRIDGE)
          return { path: args.path, external: true };
        const path = resolve(args.resolveDir, args.path);
        if (args.kind === 'dynamic-import') {
          // The split build's startup closure keeps every import() target out of startup.
          if (pass.startup.has(path)) throw new Error(`import() of a startup chunk: ${args.path}`);
          if (pass.served.has(path)) return { path: `./${basename(pass.host)}`, external: true };
          return { path: args.path, external: true };
        }
        if (pass.inline.has(path)) return { path, namespace: OUTPUT };
        if (pass.bridges.has(path)) return { path, namespace: BRIDGE };
        return { path: args.path, external: true };
      });
      b.onLoad({ filter: /.*/, namespace: HOST }, (args) => ({
        contents: pass.hostSource,
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
      b.onLoad({ filter: /.*/, namespace: OUTPUT }, (args) => ({
        contents: files.get(args.path)!.text,
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
      b.onLoad({ filter: /.*/, namespace: BRIDGE }, (args) => ({
        contents: pass.bridges.get(args.path)!,
        loader: 'js',
        resolveDir: dirname(args.path),
      }));
    },
  };
}
