/**
 * A split build must run modules in the order ES modules do. The startup closure (bundle.ts) once
 * handed esbuild a flat list of every startup module to import from each lazy module; with an app
 * importing core's index, esbuild then ran the app's module before the router it calls at definition
 * time, and every non-http function of examples/order-pipeline died at import with
 * "Cannot read properties of undefined (reading 'includes')". Each function's module must load.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../../adapters/aws/src/build/index.ts';
import { bundle } from '../src/bundle.ts';

const appDir = resolve(import.meta.dirname, '../../../examples/order-pipeline');
const outDir = mkdtempSync(join(tmpdir(), 'polycloud-load-order-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('split build of examples/order-pipeline for AWS', () => {
  it('every function module loads and exports its handler (http, queue, topic, storage, schedule)', async () => {
    const entry = join(appDir, 'src', 'app.ts');
    const app = ((await import(pathToFileURL(entry).href)) as { default: App }).default;
    await build({
      appDir,
      entry,
      outDir,
      app,
      config: resolveConfig({ app: app.name, provider: 'aws' }, {}),
      bundle: (source, outfile, options) => bundle(appDir, source, outfile, options),
      log: () => undefined,
    });
    const functions = readdirSync(join(outDir, 'functions')).sort();
    expect(functions).toEqual([...app.functions.keys()].sort());
    for (const name of functions) {
      const module = (await import(pathToFileURL(join(outDir, 'functions', name, 'index.mjs')).href)) as {
        handler?: unknown;
      };
      expect(typeof module.handler, name).toBe('function');
    }
  }, 120_000);
});
