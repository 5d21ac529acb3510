/**
 * `polycloud dev` as a user runs it: a real CLI process serving a temporary app, changed with real
 * file operations (an editor's atomic save, sed -i, new and deleted files), through a syntax error
 * and a crash.
 */
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Each step waits for a real restart (a new process loading TypeScript): seconds on a loaded machine.
const STEP_MS = 150_000;

import { DevProcess, STACK_FRAME, tempApp } from './support/cli-process.ts';

const appSource = (version: string, extra = '') => `import { defineApp, http } from '@polycloud/core';
${extra}
export default defineApp({
  name: 'watched',
  functions: {
    version: http('GET /version', () => ({ version: ${version} })),
    crash: http('GET /crash', () => {
      // Thrown outside any request: the process dies, as a real bug in a timer or callback would.
      setTimeout(() => {
        throw new Error('crashed on purpose');
      }, 0);
      return { crashing: true };
    }),
  },
});
`;

const app = tempApp({ 'package.json': '{ "type": "module" }', 'src/app.ts': appSource("'v1'") });
const appFile = join(app.dir, 'src/app.ts');
let dev: DevProcess;

beforeAll(() => {
  dev = new DevProcess([app.dir, '--port', '0']);
});
afterAll(async () => {
  await dev.stop();
  app.remove();
});

function atomicSave(path: string, text: string) {
  writeFileSync(`${path}.swp-tmp`, text);
  renameSync(`${path}.swp-tmp`, path);
}

/** Makes a change, then waits for the restart it causes and returns the new server's answer. */
async function afterRestart(change: () => void): Promise<unknown> {
  const mark = dev.mark;
  change();
  await dev.waitFor(/changed, restarting/, mark);
  const url = await dev.url(mark);
  return (await fetch(`${url}/version`)).json();
}

describe('polycloud dev', () => {
  it(
    'serves the app and prints its routes',
    async () => {
      const url = await dev.url();
      await dev.waitFor(/version\s+http\s+GET\s+http:\/\/127\.0\.0\.1:\d+\/version/);
      expect(await (await fetch(`${url}/version`)).json()).toEqual({ version: 'v1' });
    },
    STEP_MS,
  );

  it(
    'restarts after every atomic save and sed -i of the same file',
    async () => {
      expect(await afterRestart(() => atomicSave(appFile, appSource("'v2'")))).toEqual({ version: 'v2' });
      expect(await afterRestart(() => atomicSave(appFile, appSource("'v3'")))).toEqual({ version: 'v3' });
      expect(
        await afterRestart(() => expect(spawnSync('sed', ['-i', 's/v3/v4/', appFile]).status).toBe(0)),
      ).toEqual({ version: 'v4' });
    },
    STEP_MS,
  );

  it(
    'sees a file in a new folder, and its later edits',
    async () => {
      app.write('src/lib/version.ts', "export const version = 'v5';\n");
      expect(
        await afterRestart(() =>
          atomicSave(appFile, appSource('version', "import { version } from './lib/version.ts';")),
        ),
      ).toEqual({ version: 'v5' });
      expect(
        await afterRestart(() =>
          writeFileSync(join(app.dir, 'src/lib/version.ts'), "export const version = 'v6';\n"),
        ),
      ).toEqual({ version: 'v6' });
    },
    STEP_MS,
  );

  it(
    'after a syntax error says so in one line, waits, and recovers when the file is fixed',
    async () => {
      const mark = dev.mark;
      writeFileSync(appFile, `${appSource("'broken'")}\nexport const = ;\n`);
      await dev.waitFor(
        /polycloud dev: \/.*\/src\/app\.ts failed to load: syntax error at \/.*\/src\/app\.ts:17:13: .*\n/,
        mark,
      );
      await dev.waitFor(/the server exited with code 1; waiting for changes/, mark);
      expect(dev.output.slice(mark)).not.toMatch(STACK_FRAME);
      expect(await afterRestart(() => atomicSave(appFile, appSource("'v7'")))).toEqual({ version: 'v7' });
    },
    STEP_MS,
  );

  it(
    'after a deleted import says so, and recovers when the file is back',
    async () => {
      atomicSave(appFile, appSource('version', "import { version } from './lib/version.ts';"));
      await dev.waitFor(/version\s+http/, dev.mark);
      const mark = dev.mark;
      rmSync(join(app.dir, 'src/lib/version.ts'));
      await dev.waitFor(/failed to load: .*lib\/version\.ts/, mark);
      await dev.waitFor(/waiting for changes/, mark);
      expect(
        await afterRestart(() => app.write('src/lib/version.ts', "export const version = 'v8';\n")),
      ).toEqual({ version: 'v8' });
    },
    STEP_MS,
  );

  it(
    'after a crash says it waits, and starts again on the next change',
    async () => {
      const url = dev.lastUrl!;
      const mark = dev.mark;
      await fetch(`${url}/crash`).catch(() => undefined);
      await dev.waitFor(/the server exited with code 1; waiting for changes/, mark);
      expect(dev.child.exitCode).toBeNull();
      expect(
        await afterRestart(() => app.write('src/lib/version.ts', "export const version = 'v9';\n")),
      ).toEqual({ version: 'v9' });
    },
    STEP_MS,
  );
});
