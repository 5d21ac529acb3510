import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildFn, DEPLOY_NODE_MAJOR } from '@polycloud/core/adapter';

/**
 * `polycloud build --provider node`: one self-contained server bundle plus a Dockerfile, for
 * containers, Cloud Run, Knative or a VM. PORT and HOST come from the environment, as those
 * platforms set them.
 */
export const build: BuildFn = async ({ entry, outDir, config, bundle, log, app }) => {
  const source = [
    `import app from ${JSON.stringify(entry)};`,
    `import { handle } from '@polycloud/node';`,
    `const port = Number(process.env.PORT ?? 8080);`,
    `await handle(app, { config: ${JSON.stringify({ ...config, provider: 'node' })}, port, host: process.env.HOST ?? '0.0.0.0' });`,
    `console.log(JSON.stringify({ level: 'info', message: 'listening', port, functions: ${app.functions.size} }));`,
  ].join('\n');
  const { bytes } = await bundle(source, join(outDir, 'server.mjs'));
  log(`  server.mjs  ${(bytes / 1024).toFixed(1)} KiB  (${[...app.functions.keys()].join(', ')})`);
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
  // inversify.cjs is written by the bundler when the app uses DI; it is loaded on first use only.
  const lazy = existsSync(join(outDir, 'inversify.cjs')) ? ['inversify.cjs'] : [];
  return { files: ['server.mjs', ...lazy, 'package.json', 'Dockerfile'] };
};
