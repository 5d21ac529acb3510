import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '@polycloud/core';

export const APP_ENTRY = 'src/app.ts';

/** Finds an app directory's entry module (`src/app.ts` by convention). */
export function appEntry(dir: string): string {
  const entry = join(resolve(dir), APP_ENTRY);
  if (!existsSync(entry))
    throw new UsageError(`${dir}: no ${APP_ENTRY} (its default export must be defineApp(...))`);
  return entry;
}

/** Imports an app directory's entry; needs the tsx loader the CLI registers. */
export async function loadApp(dir: string): Promise<App> {
  const entry = appEntry(dir);
  const mod = (await import(pathToFileURL(entry).href)) as { default?: App };
  const app = mod.default;
  if (!app || !(app.functions instanceof Map)) {
    throw new UsageError(`${entry}: the default export must be defineApp({ functions: { ... } })`);
  }
  return app;
}

/** A mistake in how the CLI was called: exit code 2 with a usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
