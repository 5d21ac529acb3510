/** node as deployed by its Dockerfile: `node server.mjs` with PORT and HOST from the environment. */
import { join } from 'node:path';
import { freePort, start } from '../../../adapters/aws/test/support/child-process.ts';
import type { Front } from './front.ts';

export interface NodeDeployment extends Front {
  /** Everything the server process has written (its JSON log lines). */
  output(): string;
}

export async function startNode(distDir: string, env: Record<string, string>): Promise<NodeDeployment> {
  const port = await freePort();
  const proc = start(process.execPath, [join(distDir, 'server.mjs')], {
    name: 'node server.mjs',
    cwd: distDir,
    env: { PATH: process.env.PATH, TZ: 'UTC', PORT: String(port), HOST: '127.0.0.1', ...env },
  });
  await proc.waitFor(/"message":"listening"/, 20_000);
  return { url: `http://127.0.0.1:${port}`, output: () => proc.output(), close: () => proc.stop() };
}
