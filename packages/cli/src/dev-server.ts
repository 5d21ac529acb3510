// The child process `polycloud dev` runs (and restarts on change): loads the apps, serves them.
// Exit codes: 1 the apps cannot load or serve (the parent waits for a change), EXIT_FATAL the port is taken.
import { mergeApps } from '@polycloud/core';
import { assertNoRouteClash } from '@polycloud/core/adapter';
import type * as NodeAdapter from '@polycloud/node';
import { importLikeApp } from './app-module-system.ts';
import { loadCliConfig } from './config-check.ts';
import { debugEnabled } from './debug-switch.ts';
import { EXIT_FATAL } from './dev-exit-codes.ts';
import { portInUse, reportError } from './error-report.ts';
import { appEntry, loadApp } from './load-app.ts';

const dirs = process.argv.slice(2);
try {
  const config = await loadCliConfig(dirs[0]!);
  const apps = [];
  for (const dir of dirs) apps.push(await loadApp(dir));
  const app = mergeApps(apps);
  // Each app passed on its own; served together, their routes must not clash either.
  assertNoRouteClash(app.functions);
  // The server comes from the module system of the (first) app: one @polycloud/core for both.
  const { describeFunctions, handle } = await importLikeApp<typeof NodeAdapter>(
    appEntry(dirs[0]!),
    '@polycloud/node',
  );
  const port = process.env.POLYCLOUD_PORT === undefined ? undefined : Number(process.env.POLYCLOUD_PORT);
  const server = await handle(apps, {
    config: { ...config, provider: 'node' },
    port,
    host: process.env.POLYCLOUD_HOST,
  });
  console.log(`polycloud dev: ${app.name} on ${server.url}`);
  for (const line of describeFunctions(server.runtime, server.url)) console.log(`  ${line}`);
  console.log(`  health             ${server.url}/healthz`);
} catch (error) {
  console.error(reportError(error, 'dev', debugEnabled()).text);
  process.exit(portInUse(error) === undefined ? 1 : EXIT_FATAL);
}
