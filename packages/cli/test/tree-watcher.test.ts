import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TreeWatcher } from '../src/tree-watcher.ts';

let watcher: TreeWatcher | undefined;
let root = '';
afterEach(() => {
  watcher?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A watcher over a fresh folder with src/app.ts, recording every change it reports. */
function setUp(poll: boolean) {
  root = mkdtempSync(join(tmpdir(), 'polycloud-watch-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'src/app.ts'), 'v0');
  const seen: string[] = [];
  watcher = new TreeWatcher([root], { poll, pollIntervalMs: 50, onChange: (path) => seen.push(path) });
  watcher.start();
  /** Runs a change and waits (bounded) until `path` is reported after it. */
  const expectChange = async (path: string, change: () => void) => {
    const from = seen.length;
    change();
    for (let i = 0; i < 200 && !seen.slice(from).includes(path); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(seen.slice(from), `after changing ${path}`).toContain(path);
  };
  return { seen, expectChange };
}

/** An editor's atomic save: a temporary file renamed over the original (a new inode each time). */
function atomicSave(path: string, text: string) {
  writeFileSync(`${path}.tmp-save`, text);
  renameSync(`${path}.tmp-save`, path);
}

describe.each([
  ['file-system events', false],
  ['polling', true],
])('TreeWatcher (%s)', (_mode, poll) => {
  it('keeps seeing a file across atomic saves and sed -i', async () => {
    const { expectChange } = setUp(poll);
    const app = join(root, 'src/app.ts');
    for (let i = 1; i <= 3; i++) await expectChange('src/app.ts', () => atomicSave(app, `v${i}`));
    await expectChange('src/app.ts', () => {
      expect(spawnSync('sed', ['-i', 's/v3/v4/', app]).status).toBe(0);
    });
    await expectChange('src/app.ts', () => writeFileSync(app, 'v5'));
  });

  it('sees new folders and the files in them, deleted files and deleted folders', async () => {
    const { expectChange } = setUp(poll);
    await expectChange(join('src', 'lib'), () => mkdirSync(join(root, 'src/lib')));
    await expectChange(join('src', 'lib', 'util.ts'), () =>
      writeFileSync(join(root, 'src/lib/util.ts'), 'a'),
    );
    await expectChange(join('src', 'lib', 'util.ts'), () => atomicSave(join(root, 'src/lib/util.ts'), 'b'));
    await expectChange(join('src', 'lib', 'util.ts'), () => rmSync(join(root, 'src/lib/util.ts')));
    await expectChange(join('src', 'lib'), () => rmSync(join(root, 'src/lib'), { recursive: true }));
    await expectChange('polycloud.config.json', () =>
      writeFileSync(join(root, 'polycloud.config.json'), '{}'),
    );
  });

  it('ignores node_modules, dist, hidden files, backups and non-source files', async () => {
    const { seen, expectChange } = setUp(poll);
    mkdirSync(join(root, 'node_modules'));
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'node_modules/x.js'), 'x');
    writeFileSync(join(root, 'dist/app.mjs'), 'x');
    writeFileSync(join(root, 'src/.app.ts.swp'), 'x');
    writeFileSync(join(root, 'src/app.ts~'), 'x');
    writeFileSync(join(root, 'src/notes.txt'), 'x');
    // A change that is reported marks the point by which the ignored ones would have been too.
    await expectChange('src/app.ts', () => writeFileSync(join(root, 'src/app.ts'), 'v1'));
    expect(seen.filter((p) => p !== 'src/app.ts')).toEqual([]);
  });
});
