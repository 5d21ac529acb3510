/**
 * The entry `polycloud build --provider azure` writes: it registers through `handlePrepared` with
 * what the build resolved, and imports only the entries the app uses, so the startup file of an app
 * that does not need them carries none of their code (issue 12).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineApp, http, type PolycloudConfig, queue } from '@polycloud/core';
import { resolveConfig } from '@polycloud/core/adapter';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build/index.ts';

const outDir = mkdtempSync(join(tmpdir(), 'polycloud-azure-entry-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

async function entryOf(
  app: ReturnType<typeof defineApp>,
  azure: Record<string, unknown> = {},
): Promise<string> {
  let source = '';
  const config: PolycloudConfig = resolveConfig(
    { app: app.name, provider: 'azure', providers: { azure } },
    {},
  );
  await build({
    appDir: outDir,
    entry: join(outDir, 'app.ts'),
    outDir,
    app,
    config,
    bundle: async (entry) => {
      source = entry;
      return { bytes: 0, files: [], startup: [] };
    },
    log: () => undefined,
  });
  return source;
}

const web = defineApp({ name: 'web', functions: { getItem: http('GET /items/:id', () => 'item') } });

describe('the built entry', () => {
  it('an http app: handlePrepared with its resolved settings and routes, and no other entry', async () => {
    const source = await entryOf(web);
    expect(source).toContain(`import { handlePrepared } from '@polycloud/azure/handle-prepared';`);
    expect(source).not.toContain('event-handler');
    expect(source).not.toContain('client-principal');
    expect(source).toContain('"plans":{"getItem":{"method":"http","options":{"route":"items/{id}"');
    expect(source).toMatch(/, \{ {2}\}\);$/);
  });

  it('the principal reader only for an app that turns appServiceAuth on', async () => {
    const source = await entryOf(web, { appServiceAuth: true });
    expect(source).toContain(`import { identityFromPrincipal } from '@polycloud/azure/client-principal';`);
    expect(source).toMatch(/\{ principal: identityFromPrincipal \}\);$/);
  });

  it('the event handler only for an app with functions other than http', async () => {
    const mixed = defineApp({
      name: 'mixed',
      functions: { getItem: http('GET /items/:id', () => 'item'), orders: queue('orders', () => undefined) },
    });
    const source = await entryOf(mixed);
    expect(source).toContain(`import { eventHandler } from '@polycloud/azure/event-handler';`);
    expect(source).toMatch(/\{ event: eventHandler \}\);$/);
  });
});
