// The child process `polycloud dev` runs (and restarts on change): loads the apps, serves them.
import { mergeApps } from '@polycloud/core';
import { describeFunctions, handle } from '@polycloud/node';
import { loadApp } from './load-app.ts';
import { loadConfig } from './load-config.ts';

const dirs = process.argv.slice(2);
const apps = await Promise.all(dirs.map((dir) => loadApp(dir)));
const config = await loadConfig(dirs[0]);
const port = process.env.POLYCLOUD_PORT === undefined ? undefined : Number(process.env.POLYCLOUD_PORT);
const server = await handle(apps, {
  config: { ...config, provider: 'node' },
  port,
  host: process.env.POLYCLOUD_HOST,
});
const app = mergeApps(apps);
console.log(`polycloud dev: ${app.name} on ${server.url}`);
for (const line of describeFunctions(server.runtime, server.url)) console.log(`  ${line}`);
console.log(`  health             ${server.url}/healthz`);
