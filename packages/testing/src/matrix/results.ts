import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioResult } from '../contract-runner.ts';
import type { ScenarioKind } from '../scenario.ts';

/** One cell of the capability matrix, as written to `$POLYCLOUD_MATRIX_DIR/<adapter>.json`. */
export interface MatrixEntry {
  id: string;
  kind: ScenarioKind;
  title: string;
  status: 'pass' | 'fail' | 'unsupported';
  /** Unsupported: the driver's reason. Fail: the first line of the failure. */
  reason?: string;
}

export interface MatrixFile {
  adapter: string;
  results: MatrixEntry[];
  /** Outbound targets: what answered the calls. */
  backend?: string;
  /** Outbound targets: `live` (a real server or emulator) or `fake` (a protocol fake, recorded exchanges). */
  mode?: 'live' | 'fake';
}

export const MATRIX_DIR_ENV = 'POLYCLOUD_MATRIX_DIR';

/** A driver name as a file name: `aws:apigw-v2` → `aws_apigw-v2`. */
export function matrixFileName(adapter: string): string {
  const safe = adapter.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_');
  return `${safe || 'adapter'}.json`;
}

export function toMatrixEntry(result: ScenarioResult): MatrixEntry {
  const entry: MatrixEntry = { id: result.id, kind: result.kind, title: result.title, status: result.status };
  if (result.status === 'unsupported') entry.reason = result.reason;
  if (result.status === 'fail' && result.error) entry.reason = firstLines(result.error.message);
  return entry;
}

function firstLines(message: string): string {
  const text = message.split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Collects one adapter's results and rewrites its file after every scenario, so a worker that dies
 * halfway still leaves what it ran.
 */
export class MatrixRecorder {
  readonly #file: string;
  readonly #data: MatrixFile;

  constructor(dir: string, adapter: string) {
    mkdirSync(dir, { recursive: true });
    this.#file = join(dir, matrixFileName(adapter));
    this.#data = { adapter, results: [] };
    this.#flush();
  }

  /** Names the backend an outbound target ran against, and whether it was live or a fake. */
  describe(backend: string, mode: 'live' | 'fake'): void {
    this.#data.backend = backend;
    this.#data.mode = mode;
    this.#flush();
  }

  record(result: ScenarioResult): void {
    const entry = toMatrixEntry(result);
    const i = this.#data.results.findIndex((r) => r.id === entry.id);
    if (i === -1) this.#data.results.push(entry);
    else this.#data.results[i] = entry;
    this.#flush();
  }

  #flush(): void {
    writeFileSync(this.#file, `${JSON.stringify(this.#data, null, 2)}\n`);
  }
}
