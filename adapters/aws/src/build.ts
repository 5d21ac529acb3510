import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BuildFn, BuildOptions } from '@polycloud/core';
import { samTemplate } from './sam-template.ts';
import { toYaml } from './sam-yaml.ts';

/** The Lambda Node runtime ships AWS SDK v3; bundling it would add megabytes to every function. */
export const AWS_EXTERNALS = ['@aws-sdk/*'];

// The adapter bundled into each function is this very package, whatever the app directory resolves.
const ADAPTER_ENTRY = fileURLToPath(new URL('./index.ts', import.meta.url));

/** The module esbuild bundles for one function: the app plus the adapter's handler for that function. */
export function functionEntrySource(entry: string, functionName: string): string {
  return [
    `import app from ${JSON.stringify(entry)};`,
    `import { lambdaHandler } from ${JSON.stringify(ADAPTER_ENTRY)};`,
    `export const handler = lambdaHandler(app, ${JSON.stringify(functionName)});`,
    '',
  ].join('\n');
}

/**
 * `polycloud build --provider aws`: `template.yaml` (AWS SAM) plus `functions/<name>/index.mjs`
 * exporting `handler` for every function, ready for `sam deploy`.
 */
export const build: BuildFn = async (options: BuildOptions) => {
  const { app, config, outDir, entry, log } = options;
  // Built first: an invalid schedule or name stops the build before any bundling.
  const template = samTemplate(app, config);
  const files: string[] = [];
  let total = 0;
  for (const name of app.functions.keys()) {
    const dir = join(outDir, 'functions', name);
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'index.mjs');
    log(`  ${name}: bundling`);
    const { bytes } = await options.bundle(functionEntrySource(entry, name), outfile, {
      external: AWS_EXTERNALS,
      format: 'esm',
      minify: true,
    });
    const gzip = gzipSync(readFileSync(outfile)).length;
    total += bytes;
    log(`  ${name}: ${relative(outDir, outfile)} ${kb(bytes)} (${kb(gzip)} gzip)`);
    files.push(outfile);
  }
  const templateFile = join(outDir, 'template.yaml');
  writeFileSync(templateFile, toYaml(template));
  files.push(templateFile);
  log(`  template.yaml: ${Object.keys(template.Resources).length} resources; bundles ${kb(total)} in total`);
  log('  deploy with: sam deploy --guided --template-file template.yaml');
  return { files };
};

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
