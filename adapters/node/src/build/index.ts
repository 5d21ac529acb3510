import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildFn, DEPLOY_NODE_MAJOR } from '@polycloud/core/adapter';
import { dnsName, writeSelfHostArtifacts } from './self-host-artifacts.ts';

// The adapter bundled into the server is this very package, whatever the app directory resolves:
// its source in the workspace, its built dist/ when installed (the same extension as this module).
const MODULE_EXT = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
const HANDLE_MODULE = fileURLToPath(new URL(`../handle${MODULE_EXT}`, import.meta.url));
const MEMORY_BROKER_MODULE = fileURLToPath(new URL(`../events/broker${MODULE_EXT}`, import.meta.url));
const DEFERRED_BROKER_MODULE = fileURLToPath(
  new URL(`../events/deferred-broker${MODULE_EXT}`, import.meta.url),
);

/** The kinds of function the broker delivers to (queue, topic, storage notices, schedule ticks). */
const DELIVERED: ReadonlySet<string> = new Set(['queue', 'topic', 'storage', 'schedule']);

/**
 * `polycloud build --provider node`: one self-contained server bundle plus a Dockerfile, for
 * containers, Cloud Run, Knative or a VM, and the self-host set: compose.yaml (NATS JetStream + three
 * replicas behind one port) and Kubernetes manifests. PORT, HOST and POLYCLOUD_NATS_URL come from
 * the environment, as those platforms set them. The bundle is split: the NATS client is a chunk
 * loaded only when a NATS broker is configured.
 */
export const build: BuildFn = async ({ entry, outDir, config, bundle, log, app }) => {
  const delivers = [...app.functions.values()].some((fn) => DELIVERED.has(fn.kind));
  const source = [
    `import app from ${JSON.stringify(entry)};`,
    // The entry module itself, not the package index: the index re-exports the Scheduler, and
    // esbuild would put croner into the startup chunk through that re-export.
    `import { startServer } from ${JSON.stringify(HANDLE_MODULE)};`,
    // The runtime's broker imports the in-memory broker on first use (events/deferred-broker.ts),
    // so an http-only server never parses it. An app with functions it delivers to holds it in the
    // startup file instead and hands it over: no import() at all. Measured (`GET` that sends one
    // queue message, import + first request, median of 31–51 interleaved fresh processes, CPU):
    // 21.1 ms when the first message loaded the broker as lazy chunks (three files), +0.4 ms over
    // the broker at startup when its import() was served by this file, already loaded.
    ...(delivers
      ? [
          `import { MemoryBroker } from ${JSON.stringify(MEMORY_BROKER_MODULE)};`,
          `import { holdMemoryBroker } from ${JSON.stringify(DEFERRED_BROKER_MODULE)};`,
        ]
      : []),
    ...(delivers ? ['holdMemoryBroker(MemoryBroker);'] : []),
    `const port = Number(process.env.PORT ?? 8080);`,
    `const server = startServer(app, { config: ${JSON.stringify({ ...config, provider: 'node' })}, port, host: process.env.HOST ?? '0.0.0.0' });`,
    `const listeningLine = JSON.stringify({ level: 'info', message: 'listening', port, functions: ${app.functions.size} });`,
    // Importing this file resolves once the server listens, unless starting imports a lazily
    // loaded chunk (schedules, a NATS broker): the chunk imports this file, so awaiting it here
    // would never end. Such a server listens a moment later; a failure to start exits as an
    // uncaught top-level await does. The usual server awaits and logs with no callback: one
    // function less for V8 to compile at cold start (issue 12).
    `if (server.importsBeforeListening) server.listening.then(() => console.log(listeningLine), (error) => { console.error(error); process.exit(1); });`,
    `else { await server.listening; console.log(listeningLine); }`,
  ].join('\n');
  // The entry awaits only startup code (above), so it can hold that code itself: one file to load
  // instead of two (the cold start's import took ~1 ms less of CPU, issue 12).
  const { bytes, files, startup } = await bundle(source, join(outDir, 'server.mjs'), {
    splitting: true,
    entryAwaitsStartupOnly: true,
  });
  log(
    `  server.mjs  ${(bytes / 1024).toFixed(1)} KiB in ${files.length} file(s), ${startup.length} at startup  (${[...app.functions.keys()].join(', ')})`,
  );
  writeFileSync(
    join(outDir, 'package.json'),
    `${JSON.stringify({ name: config.app ?? app.name, private: true, type: 'module', main: 'server.mjs', engines: { node: '>=20.19' } }, null, 2)}\n`,
  );
  writeFileSync(
    join(outDir, 'Dockerfile'),
    [
      `FROM node:${DEPLOY_NODE_MAJOR}-slim`,
      'WORKDIR /app',
      'COPY . ./',
      'ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0',
      'EXPOSE 8080',
      'USER node',
      // SIGTERM reaches node directly (exec form), so the server drains before the container stops.
      'CMD ["node", "server.mjs"]',
      '',
    ].join('\n'),
  );
  const name = dnsName(String(config.app ?? app.name));
  const selfHost = writeSelfHostArtifacts(outDir, { name, image: `${name}:latest` });
  const chunks = files.slice(1).map((f) => basename(f));
  return { files: ['server.mjs', ...chunks, 'package.json', 'Dockerfile', ...selfHost] };
};
