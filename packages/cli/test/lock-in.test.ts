/**
 * `polycloud check` as a lock-in report, through the real CLI: the examples are clean (so CI, which
 * runs this file, fails the day one of them takes a provider dependency), and a fixture app's S3
 * import (in a module only reached through a local import) and its ctx.raw read are found with
 * file and line, while `raw` reads that are not polycloud's are not.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Each case runs the CLI (tsx + the TypeScript compiler): seconds alone, far more on a loaded machine.
const SLOW = { timeout: 120_000 };

import { providerOf, scanLockIn } from '../src/lock-in-scan.ts';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'packages/cli/bin/polycloud.mjs');

function check(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'check', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('polycloud check: lock-in report', SLOW, () => {
  it.each(['examples/todo-api', 'examples/order-pipeline', 'examples/echo'])(
    '%s has no provider-specific import and no ctx.raw (--strict passes)',
    (dir) => {
      const out = check(dir, '--strict', '--json');
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      const report = JSON.parse(out.stdout) as { findings: unknown[]; files: string[] };
      expect(report.findings).toEqual([]);
      expect(report.files).toContain('src/app.ts');
    },
  );

  it('finds the S3 import through a local import and the ctx.raw read, with file, line and function', () => {
    const out = check('test/fixtures/apps/locked-in', '--json');
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report).toMatchObject({ app: 'locked-in', provider: 'aws', functions: ['saveReport', 'version'] });
    expect(report.files).toEqual(['src/app.ts', 'src/report-bucket.ts']);
    expect(report.findings).toEqual([
      {
        kind: 'raw',
        file: 'src/app.ts',
        line: 15,
        column: 21,
        function: 'saveReport',
        text: 'const event = ctx.raw as { requestContext?: { accountId?: string } };',
      },
      {
        kind: 'import',
        specifier: '@aws-sdk/client-s3',
        provider: 'AWS',
        file: 'src/report-bucket.ts',
        line: 2,
        column: 1,
        function: null,
        text: "import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';",
      },
    ]);
  });

  it('--strict exits 1 on findings; the text report names each with its line and what to do', () => {
    const out = check('test/fixtures/apps/locked-in', '--strict');
    expect(out.status).toBe(1);
    expect(out.stdout).toContain('lock-in: 2 files followed from the entry; 2 findings');
    expect(out.stdout).toContain('src/app.ts:15:21  ctx.raw');
    expect(out.stdout).toContain('src/report-bucket.ts:2:1  import @aws-sdk/client-s3 (AWS)');
    expect(out.stdout).toMatch(/what to do:\n {4}- provider input read directly/);
  });

  it('reads every way a module is named, and reports any .raw read when types cannot be resolved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polycloud-lockin-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(
        join(dir, 'src/app.ts'),
        [
          "import type { SQSEvent } from 'aws-lambda';",
          "export { app } from '@azure/functions';",
          "import admin = require('firebase-admin');",
          "const pubsub = await import('@google-cloud/pubsub');",
          "const fns = require('firebase-functions/v2');",
          "type T = import('@aws-sdk/client-sqs').SendMessageCommand;",
          "import { z } from 'zod';",
          'export const handler = (ctx: any) => ctx.raw;',
          '',
        ].join('\n'),
      );
      const { findings } = scanLockIn(dir, join(dir, 'src/app.ts'));
      expect(findings.map((f) => [f.line, f.kind, f.specifier ?? '', f.provider ?? ''])).toEqual([
        [1, 'import', 'aws-lambda', 'AWS'],
        [2, 'import', '@azure/functions', 'Azure'],
        [3, 'import', 'firebase-admin', 'Firebase (Google)'],
        [4, 'import', '@google-cloud/pubsub', 'Google Cloud'],
        [5, 'import', 'firebase-functions/v2', 'Firebase (Google)'],
        [6, 'import', '@aws-sdk/client-sqs', 'AWS'],
        [8, 'raw', '', ''],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(
      ['@polycloud/gcp', '@polycloud/core', 'inversify', 'firebased', 'aws-lambdas'].map(providerOf),
    ).toEqual(['a polycloud adapter', undefined, undefined, undefined, undefined]);
  });
});
