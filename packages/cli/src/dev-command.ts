import { type ChildProcess, spawn } from 'node:child_process';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './cli-errors.ts';
import { EXIT_FATAL } from './dev-exit-codes.ts';
import { appEntry } from './load-app.ts';
import { TreeWatcher } from './tree-watcher.ts';

// The child runs the same kind of file as this one: dev-server.ts from source, dev-server.js built.
const SERVER = fileURLToPath(new URL(`./dev-server${extname(import.meta.url)}`, import.meta.url));

/** How long changes settle before a restart: an editor's save is several events. */
const SETTLE_MS = 100;

/**
 * `polycloud dev [dir...]`: serves the apps on the node runtime in a child process and restarts
 * it when a file of an app changes (a fresh process is the only reliable way to drop cached
 * modules). When the server cannot start (a syntax error, a bad config) or crashes, it waits for
 * the next change.
 */
export async function devCommand(dirs: string[], options: { port?: number; host?: string }): Promise<number> {
  for (const dir of dirs) appEntry(dir);
  const roots = dirs.map((d) => resolve(d));
  const env = { ...process.env };
  if (options.port !== undefined) env.POLYCLOUD_PORT = String(options.port);
  if (options.host !== undefined) env.POLYCLOUD_HOST = options.host;
  // tsx (its ES module and CommonJS hooks), resolved from the CLI: the app need not install it.
  const loader = import.meta.resolve('tsx');

  return new Promise<number>((done) => {
    let child: ChildProcess | undefined;
    let stopping = false;
    let restarting = false;
    let pending: string | undefined;
    let timer: NodeJS.Timeout | undefined;

    const start = () => {
      const spawned = spawn(process.execPath, [...process.execArgv, '--import', loader, SERVER, ...roots], {
        stdio: 'inherit',
        env,
      });
      child = spawned;
      spawned.once('exit', (code, signal) => {
        if (child !== spawned || restarting || stopping) return;
        child = undefined;
        if (code === EXIT_FATAL) return finish(1);
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        console.error(`polycloud dev: the server ${how}; waiting for changes`);
      });
    };

    const stop = () =>
      new Promise<void>((stopped) => {
        const running = child;
        child = undefined;
        if (!running || running.exitCode !== null || running.signalCode !== null) return stopped();
        running.once('exit', () => stopped());
        running.kill('SIGTERM');
      });

    const restart = async () => {
      const file = pending!;
      pending = undefined;
      restarting = true;
      console.log(`polycloud dev: ${file} changed, restarting`);
      await stop();
      restarting = false;
      if (stopping) return;
      if (pending) {
        timer = setTimeout(restart, SETTLE_MS);
        return;
      }
      start();
    };

    const watcher = new TreeWatcher(roots, {
      poll: env.POLYCLOUD_WATCH === 'poll',
      onChange: (path) => {
        pending = path;
        clearTimeout(timer);
        if (!restarting) timer = setTimeout(restart, SETTLE_MS);
      },
      onFallback: (reason) =>
        console.error(`polycloud dev: file-system events unavailable (${reason}); polling every 300 ms`),
    });

    const finish = async (code: number) => {
      if (stopping) return;
      stopping = true;
      watcher.close();
      clearTimeout(timer);
      await stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done(code);
    };
    const onSignal = () => void finish(0);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    try {
      watcher.start();
    } catch (error) {
      throw new CliError(`cannot watch ${roots.join(', ')}: ${(error as Error).message}`);
    }
    start();
  });
}
