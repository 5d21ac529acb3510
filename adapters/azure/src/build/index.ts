import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@polycloud/core';
import { type BuildFn, DEPLOY_NODE_MAJOR } from '@polycloud/core/adapter';
import { resolveSettings } from '../options.ts';
import { planFunction, prepareApp } from '../registration-plan.ts';

/** The @azure/functions version the adapter is written and tested against; the function app pins it. */
export const AZURE_FUNCTIONS_VERSION = '4.16.5';
export const ENTRY_FILE = 'index.js';

/**
 * `polycloud build --provider azure`: `dist/azure/` as a deployable function app (v4 Node model):
 * - `index.js`: the app and the adapter bundled as one ES module that registers every function;
 *   `@azure/functions` stays external, so the host's worker and the app share one copy of it;
 * - `package.json`: `type: module`, `main` → index.js, `@azure/functions` pinned;
 * - `host.json`: version 2.0, extension bundle [4.*, 5.0.0), functionTimeout, http routePrefix, queues messageEncoding base64;
 * - `local.settings.json.example`: the app settings the functions' connections name.
 */
export const build: BuildFn = async (options) => {
  const { app, config, outDir } = options;
  const settings = resolveSettings(config, app.name, {});
  const plans = [...app.functions].map(([name, def]) => ({ name, plan: planFunction(name, def, settings) }));

  // The event handlers only for an app that has functions other than http: an http-only app's
  // bundle carries no trigger code.
  const hasEvents = plans.some(({ plan }) => plan.method !== 'http');
  const prepared = prepareApp(app, config);
  // The reader of App Service authentication's principal only for an app that turns it on.
  const entries = [
    ...(hasEvents ? [['event', 'eventHandler', '@polycloud/azure/event-handler']] : []),
    ...(prepared.settings.appServiceAuth
      ? [['principal', 'identityFromPrincipal', '@polycloud/azure/client-principal']]
      : []),
  ];
  const entry = [
    `import app from ${JSON.stringify(options.entry)};`,
    // handle-prepared, not handle: handle.ts imports the event handler, and what the startup file
    // reaches goes into it whenever a lazy chunk uses it, tree-shaken or not (see handle-prepared.ts).
    `import { handlePrepared } from '@polycloud/azure/handle-prepared';`,
    ...entries.map(([, name, from]) => `import { ${name} } from '${from}';`),
    // The settings and the http registrations resolved here: the cold start only adds the app
    // settings (see PreparedApp in registration-plan.ts for the measured win).
    `handlePrepared(app, { config: ${JSON.stringify({ ...config, provider: 'azure' })} }, ${JSON.stringify(prepared)}, { ${entries.map(([key, name]) => `${key}: ${name}`).join(', ')} });`,
  ].join('\n');
  // Split: what a cold start does not run (the Storage Queue SDK behind the first send, inversify)
  // goes into chunks loaded on first use. In one file, esbuild would hoist the SDK's node:https,
  // node:os... imports to the top and V8 would parse its 330 KB at every cold start (issue 12).
  const { bytes, files: written } = await options.bundle(entry, join(outDir, ENTRY_FILE), {
    external: ['@azure/functions'],
    format: 'esm',
    splitting: true,
  });
  options.log(`  ${ENTRY_FILE} (${Math.round(bytes / 1024)} KiB) registers ${plans.length} functions`);

  const host = {
    version: '2.0',
    functionTimeout: settings.functionTimeout,
    extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
    // messageEncoding is declared, not left to the default: the queue client writes base64 text and
    // the trigger must decode exactly that (message-body.ts never decodes on its own).
    extensions: { http: { routePrefix: settings.routePrefix }, queues: { messageEncoding: 'base64' } },
    logging: { logLevel: { default: 'Information' } },
  };
  const pkg = {
    name: `${config.app ?? app.name}-azure`,
    version: '1.0.0',
    private: true,
    type: 'module',
    main: ENTRY_FILE,
    // The app's Node version is chosen when the function app is created (`--runtime-version`).
    engines: { node: `>=${DEPLOY_NODE_MAJOR}` },
    dependencies: { '@azure/functions': AZURE_FUNCTIONS_VERSION },
  };

  const values: Record<string, string> = {
    FUNCTIONS_WORKER_RUNTIME: 'node',
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  };
  for (const { plan } of plans) {
    const connection = (plan.options as { connection?: string }).connection;
    if (connection && !(connection in values)) values[connection] = '';
  }
  values.POLYCLOUD_AZURE_BASE_URL = 'http://localhost:7071';
  values.POLYCLOUD_AZURE_FUNCTION_KEY = '';
  values.POLYCLOUD_AZURE_MASTER_KEY = '';
  const zones = new Set<string>();
  for (const def of app.functions.values())
    if (def.kind === 'schedule' && def.timezone) zones.add(def.timezone);
  if (zones.size > 1) {
    throw new ConfigError(
      `schedules use several time zones (${[...zones].join(', ')}); Azure has one per app (WEBSITE_TIME_ZONE)`,
    );
  }
  if (zones.size === 1) {
    values.WEBSITE_TIME_ZONE = [...zones][0]!;
    options.log('  WEBSITE_TIME_ZONE is app-wide and not supported on Linux Consumption plans');
  }

  const files: Record<string, unknown> = {
    'host.json': host,
    'package.json': pkg,
    'local.settings.json.example': { IsEncrypted: false, Values: values },
  };
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(outDir, file), `${JSON.stringify(content, null, 2)}\n`);
  }
  return { files: [...written, ...Object.keys(files).map((f) => join(outDir, f))] };
};
