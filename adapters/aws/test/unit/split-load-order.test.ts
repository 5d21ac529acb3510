/**
 * A split build must run modules in the order ES modules do. The startup closure (packages/cli
 * bundle.ts) once handed esbuild a flat list of every startup module to import from each lazy
 * module; with an app importing core's index, esbuild then ran the app's module before the router
 * it calls at definition time, and every non-http function of examples/order-pipeline died at import
 * with "Cannot read properties of undefined (reading 'includes')". Each function's module must load.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/build-app.ts';
import { repoRoot } from '../support/sam-schema.ts';

let outDir: string | undefined;
afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('split build of examples/order-pipeline', () => {
  it('every function module loads and exports its handler (http, queue, topic, storage, schedule)', async () => {
    const built = await buildApp(resolve(repoRoot, 'examples/order-pipeline'));
    outDir = built.outDir;
    const functions = readdirSync(join(outDir, 'functions')).sort();
    expect(functions).toEqual([
      'getOrder',
      'getReceipt',
      'nightlyReport',
      'notifyCustomer',
      'placeOrder',
      'processOrder',
      'recordReceipt',
    ]);
    for (const name of functions) {
      const module = (await import(pathToFileURL(join(outDir, 'functions', name, 'index.mjs')).href)) as {
        handler?: unknown;
      };
      expect(typeof module.handler, name).toBe('function');
    }
  }, 120_000);
});
