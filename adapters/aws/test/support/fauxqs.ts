import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type RunningProcess, start } from './child-process.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../../..');

export interface Fauxqs {
  readonly endpoint: string;
  readonly process: RunningProcess;
  stop(): Promise<void>;
}

/** fauxqs (SQS + SNS emulator) on a free 127.0.0.1 port; resolves once it logged that it listens. */
export async function startFauxqs(): Promise<Fauxqs> {
  const port = await freePort();
  const child = start(
    process.execPath,
    ['--import', join(HERE, 'bind-loopback.mjs'), join(REPO, 'node_modules/fauxqs/dist/cli.js')],
    { cwd: REPO, env: { ...process.env, FAUXQS_PORT: String(port) }, name: 'fauxqs' },
  );
  try {
    await child.waitFor(/Server listening at http:\/\/127\.0\.0\.1:/, 15_000);
  } catch (error) {
    await child.stop(1_000);
    throw error;
  }
  return { endpoint: `http://127.0.0.1:${port}`, process: child, stop: () => child.stop(2_000) };
}
