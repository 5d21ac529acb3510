import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildFn, DEPLOY_NODE_MAJOR } from '@polycloud/core/adapter';
import { commonJsEntry, FRAMEWORK } from './commonjs-entry.ts';
import { deployScript, FRAMEWORK_VERSION } from './deploy-script.ts';

/**
 * `.cjs`: the framework's loader `require()`s it, where an ES module main goes through Node's ES module
 * loader, and a `.js` one with `"type": "module"` first costs a read-package-up walk to package.json
 * (issue 12, GCP cold-start probe: ~0.5 ms for `.js` → `.mjs`, ~1 ms more for `.mjs` → `.cjs`). The split
 * build writes an ES module entry, which `commonJsEntry` turns into this file.
 */
export const ENTRY_FILE = 'index.cjs';

/** The split build's ES module entry, before `commonJsEntry` turns it into ENTRY_FILE. */
const ESM_ENTRY = 'index.mjs';

/**
 * `polycloud build --provider gcp`: dist/gcp is a source folder `gcloud functions deploy --source=.`
 * takes as is — package.json (main, pinned framework, engines), the bundled entry that registers
 * every function by name, and deploy.sh.
 */
export const build: BuildFn = async ({ app, config, entry, outDir, bundle, log }) => {
  const gcp = (config.providers.gcp ?? {}) as { region?: string };
  // The framework is external: its CLI loads our entry and must share its function registry.
  // Only the entries the app's functions need: an app without event functions carries no event code.
  const kinds = new Set([...app.functions.values()].map((fn) => (fn.kind === 'http' ? 'http' : 'event')));
  const entries = [...kinds].sort();
  const source = [
    `import app from ${JSON.stringify(entry)};`,
    // handle-with, not handle: handle.ts imports every entry, and what the startup file reaches goes
    // into it whenever a lazy chunk uses it, tree-shaken or not (see handle-with.ts).
    `import { handleWith } from '@polycloud/gcp/handle-with';`,
    ...entries.map((k) => `import { ${k}Entry } from '@polycloud/gcp/${k}-entry';`),
    // Express answers body-parser errors (malformed JSON, unknown Content-Encoding) before any
    // function runs, with the stack trace unless NODE_ENV is production.
    `process.env.NODE_ENV ??= 'production';`,
    `handleWith(app, { config: ${JSON.stringify({ ...config, provider: 'gcp' })} }, { ${entries.map((k) => `${k}: ${k}Entry`).join(', ')} });`,
  ].join('\n');
  // Split: what a cold start does not run (the FunctionClient, Pub/Sub and Tasks clients, inversify)
  // loads from chunks on first use; in one file esbuild hoists their node: imports to the top.
  const split = await bundle(source, join(outDir, ESM_ENTRY), {
    external: [FRAMEWORK],
    format: 'esm',
    splitting: true,
  });
  // The entry alone is the startup (the entry does not await, so the split build folds its startup
  // chunks into it): the CommonJS entry must not import an ES module statically.
  if (split.startup.length !== 1) throw new Error(`gcp build: startup is ${split.startup.join(', ')}`);
  const chunks = split.files.slice(1);
  const { bytes, namesFile } = await commonJsEntry(bundle, outDir, ESM_ENTRY, ENTRY_FILE, chunks);
  const written = [join(outDir, ENTRY_FILE), join(outDir, namesFile), ...chunks];
  log(`  ${ENTRY_FILE} ${(bytes / 1024).toFixed(1)} KiB (${app.functions.size} functions)`);
  const pkg = {
    name: `${app.name}-gcp`,
    version: '0.0.0',
    private: true,
    type: 'module',
    main: ENTRY_FILE,
    // The buildpack picks the Node version from engines; keep it the one --runtime names.
    engines: { node: String(DEPLOY_NODE_MAJOR) },
    dependencies: { '@google-cloud/functions-framework': FRAMEWORK_VERSION },
  };
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const script = join(outDir, 'deploy.sh');
  writeFileSync(script, deployScript(app, { region: gcp.region }));
  chmodSync(script, 0o755);
  log('  package.json, deploy.sh');
  return { files: [...written, join(outDir, 'package.json'), script] };
};
