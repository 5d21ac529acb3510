/**
 * `npm run matrix`: runs every contract test (`vitest run contract`) with POLYCLOUD_MATRIX_DIR set,
 * then writes docs/capabilities.md from the result files. A failing adapter fails its cells, not
 * the matrix: vitest's exit code is reported and the document is written anyway.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outboundScenarios } from '../outbound/outbound-scenarios.ts';
import { contractScenarios } from '../scenarios/index.ts';
import { renderMatrix } from './render.ts';
import { MATRIX_DIR_ENV, type MatrixFile } from './results.ts';

export const MATRIX_COMMAND = 'npm run matrix';

/** Reads every `<adapter>.json` in `dir`; a file that is not a matrix file is an error naming it. */
export function readMatrixFiles(dir: string): MatrixFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const data = JSON.parse(readFileSync(join(dir, f), 'utf8')) as MatrixFile;
      if (typeof data.adapter !== 'string' || !Array.isArray(data.results)) {
        throw new Error(`${join(dir, f)}: not a capability matrix result file`);
      }
      return data;
    });
}

function main(): number {
  const root = resolve(fileURLToPath(import.meta.url), '../../../../..');
  const dir = mkdtempSync(join(tmpdir(), 'polycloud-matrix-'));
  try {
    const run = spawnSync('npx', ['vitest', 'run', 'contract'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, [MATRIX_DIR_ENV]: dir },
    });
    const files = readMatrixFiles(dir);
    const out = join(root, 'docs', 'capabilities.md');
    writeFileSync(
      out,
      renderMatrix(files, {
        scenarios: [...contractScenarios, ...outboundScenarios],
        generatedAt: new Date(),
        command: MATRIX_COMMAND,
      }),
    );
    const fails = files.reduce((n, f) => n + f.results.filter((r) => r.status === 'fail').length, 0);
    console.log(
      `\nwrote ${out}: ${files.length} adapter(s), ${fails} failing cell(s); vitest exited with ${run.status ?? run.signal}`,
    );
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
