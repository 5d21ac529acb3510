import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { PolycloudConfig } from '@polycloud/core';
import type { BuildFn, BuildOptions, FunctionKind } from '@polycloud/core/adapter';
import { samTemplate } from './sam-template.ts';
import { templateYaml } from './template-yaml.ts';

/** The Lambda Node runtime ships AWS SDK v3; bundling it would add megabytes to every function. */
export const AWS_EXTERNALS = ['@aws-sdk/*'];

// The adapter bundled into each function is this very package, whatever the app directory resolves:
// its TypeScript source in the polycloud workspace, its compiled JavaScript when installed.
const ADAPTER_SRC = fileURLToPath(new URL('..', import.meta.url));
const MODULE_EXT = import.meta.url.slice(import.meta.url.lastIndexOf('.'));

/** Each trigger kind's event sources, so a function's bundle carries only its own. */
const INVOKER_MODULES: Record<FunctionKind, [file: string, name: string]> = {
  http: ['http/http-invoker', 'httpInvoker'],
  queue: ['events/queue-invoker', 'queueInvoker'],
  topic: ['events/topic-invoker', 'topicInvoker'],
  storage: ['events/storage-invoker', 'storageInvoker'],
  schedule: ['events/schedule-invoker', 'scheduleInvoker'],
  event: ['events/event-invoker', 'eventInvoker'],
};

/**
 * The module esbuild bundles for one function: the app, the runtime with only this function's event
 * sources, and the app's config (so region, endpoints and name maps travel with the code).
 */
export function functionEntrySource(
  entry: string,
  functionName: string,
  kind: FunctionKind,
  config: PolycloudConfig,
): string {
  const [file, name] = INVOKER_MODULES[kind];
  return [
    `import app from ${JSON.stringify(entry)};`,
    `import { createLambdaWith } from ${JSON.stringify(join(ADAPTER_SRC, `lambda-app${MODULE_EXT}`))};`,
    `import { ${name} } from ${JSON.stringify(join(ADAPTER_SRC, file + MODULE_EXT))};`,
    `export const handler = createLambdaWith(app, { config: ${JSON.stringify(config)} }, { ${kind}: ${name} }).handler(${JSON.stringify(functionName)});`,
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
    // Chunk names carry content hashes: a folder left from an earlier build would keep stale ones.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'index.mjs');
    log(`  ${name}: bundling`);
    // Split: what a cold start does not run (other front doors, service clients, the invoke
    // envelope) goes into chunks that load on first use; Lambda deploys the whole folder.
    const {
      bytes,
      files: written,
      startup,
    } = await options.bundle(
      functionEntrySource(entry, name, app.functions.get(name)!.kind, config),
      outfile,
      {
        external: AWS_EXTERNALS,
        format: 'esm',
        minify: true,
        splitting: true,
      },
    );
    const cold = coldStartSize(startup);
    total += bytes;
    log(
      `  ${name}: ${relative(outDir, outfile)} cold start ${kb(cold.bytes)} (${kb(cold.gzip)} gzip) in ${plural(startup.length, 'file')}; ${kb(bytes)} in ${plural(written.length, 'file')}`,
    );
    files.push(...written);
  }
  const templateFile = join(outDir, 'template.yaml');
  writeFileSync(templateFile, templateYaml(template));
  files.push(templateFile);
  log(`  template.yaml: ${Object.keys(template.Resources).length} resources; bundles ${kb(total)} in total`);
  log('  deploy with: sam deploy --guided --template-file template.yaml');
  return { files };
};

/**
 * What a cold start loads before the handler runs: the entry and the chunks it imports statically
 * (gzip summed per file). Chunks behind `import()` are not in it.
 */
export function coldStartSize(startup: readonly string[]): { bytes: number; gzip: number } {
  let bytes = 0;
  let gzip = 0;
  for (const file of startup) {
    const code = readFileSync(file);
    bytes += code.length;
    gzip += gzipSync(code).length;
  }
  return { bytes, gzip };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}
