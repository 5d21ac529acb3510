import { type ChildProcess, spawn } from 'node:child_process';
import { type FSWatcher, watch } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appEntry } from './load-app.ts';

// dev-server.ts next to this file in the workspace, dev-server.js in the compiled package.
const SERVER = fileURLToPath(
  new URL(`./dev-server${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url),
);

/**
 * `polycloud dev [dir...]`: serves the apps on the node runtime in a child process and restarts
 * it when a source file changes (a fresh process is the only reliable way to drop cached modules).
 */
export async function devCommand(dirs: string[], options: { port?: number; host?: string }): Promise<number> {
  for (const dir of dirs) appEntry(dir);
  const env = { ...process.env };
  if (options.port !== undefined) env.POLYCLOUD_PORT = String(options.port);
  if (options.host !== undefined) env.POLYCLOUD_HOST = options.host;
  let child: ChildProcess | undefined;
  let stopping = false;

  const start = () => {
    child = spawn(
      process.execPath,
      [...process.execArgv, '--import', 'tsx', SERVER, ...dirs.map((d) => resolve(d))],
      {
        stdio: 'inherit',
        env,
      },
    );
  };
  const stop = () =>
    new Promise<void>((done) => {
      if (!child || child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });

  let timer: NodeJS.Timeout | undefined;
  const restart = (file: string) => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      console.log(`polycloud dev: ${file} changed, restarting`);
      await stop();
      if (!stopping) start();
    }, 150);
  };
  const watchers: FSWatcher[] = dirs.flatMap((dir) => {
    const root = resolve(dir);
    return [
      watch(join(root, 'src'), { recursive: true }, (_e, f) => restart(join('src', String(f)))),
      watch(root, (_e, f) => {
        if (String(f).startsWith('polycloud.config')) restart(String(f));
      }),
    ];
  });

  start();
  return new Promise<number>((done) => {
    const shutdown = async () => {
      stopping = true;
      for (const w of watchers) w.close();
      clearTimeout(timer);
      await stop();
      done(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}
