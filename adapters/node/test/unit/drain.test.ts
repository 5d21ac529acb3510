import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('../support/drain-server.ts', import.meta.url));

describe('graceful shutdown', () => {
  it('on SIGTERM finishes in-flight requests and queued messages, then exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: Record<string, unknown>[] = [];
    let onLine: (() => void) | undefined;
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        lines.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
        onLine?.();
      }
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('server did not start in 20 s')), 20_000);
        onLine = () => {
          const l = lines.find((x) => typeof x.listening === 'string');
          if (l) {
            clearTimeout(timer);
            resolve(l.listening as string);
          }
        };
      });
      const pending = fetch(`${url}/slow`);
      await new Promise((r) => setTimeout(r, 150));
      child.kill('SIGTERM');
      const res = await pending;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ done: true });
      expect(await exited).toBe(0);
      expect(
        lines
          .filter((l) => 'handled' in l)
          .map((l) => l.handled)
          .sort(),
      ).toEqual(['job-1', 'job-2']);
      expect(lines.some((l) => l.message === 'draining before exit')).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
