import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A child process whose output is kept for assertions and error messages. */
export interface RunningProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  /** Resolves when the output matches `pattern`; rejects on exit or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Rejects if the process exits first; for racing against a request. */
  readonly exited: Promise<never>;
  /** SIGTERM by PID, SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

export function start(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; name: string },
): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${command}`);
  const pid = child.pid;
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exitCode: number | null | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      for (const l of listeners) l();
      resolve();
    });
  });
  const exited = exitedPromise.then(() => {
    throw new Error(`${options.name} (pid ${pid}) exited with ${exitCode}:\n${text.slice(-4000)}`);
  });
  exited.catch(() => {}); // observed only when raced
  return {
    child,
    pid,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) done(resolve);
          else if (exitCode !== undefined)
            done(() => reject(new Error(`${options.name} exited before ${pattern}:\n${text.slice(-4000)}`)));
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Error(`${options.name}: no ${pattern} within ${timeoutMs} ms:\n${text.slice(-4000)}`),
              ),
            ),
          timeoutMs,
        );
        const done = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 5_000) {
      if (exitCode !== undefined) return;
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (exitCode === undefined) process.kill(pid, 'SIGKILL');
      }, graceMs);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
