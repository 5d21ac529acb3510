import { type ChildProcess, spawn } from 'node:child_process';

/** A server started as a child process, its JSON log lines collected, stopped by PID. */
export class ChildServer {
  readonly lines: Record<string, unknown>[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  #waiters: (() => void)[] = [];

  constructor(script: string, env: Record<string, string> = {}, args: string[] = ['--import', 'tsx']) {
    this.child = spawn(process.execPath, [...args, script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let buffer = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(text));
        } catch {
          this.lines.push({ text });
        }
        for (const wake of this.#waiters.splice(0)) wake();
      }
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The first log line matching `test`, waiting up to `ms`. */
  async waitFor(
    test: (line: Record<string, unknown>) => boolean,
    ms = 20_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.lines.find(test);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching log line within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async url(): Promise<string> {
    return (await this.waitFor((l) => typeof l.listening === 'string')).listening as string;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null || !this.child.pid) return;
    try {
      process.kill(this.child.pid, signal);
    } catch {
      // Exited between the check and the kill.
    }
  }
}
