/** `polycloud build --provider aws examples/echo` through the real CLI binary. */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseYaml, repoRoot, samValidator } from './support/sam-schema.ts';

const ECHO = resolve(repoRoot, 'examples/echo');
const OUT = join(ECHO, 'dist/aws'); // git-ignored
const FUNCTIONS = ['echoHttp', 'echoQueue', 'echoTopic', 'echoStorage', 'echoSchedule', 'echoEvent'];

let stdout: string;

beforeAll(async () => {
  const result = await promisify(execFile)(
    process.execPath,
    [resolve(repoRoot, 'packages/cli/bin/polycloud.mjs'), 'build', '--provider', 'aws', ECHO],
    { cwd: repoRoot, timeout: 90_000 },
  );
  stdout = result.stdout;
});

describe('polycloud build --provider aws', () => {
  it('prints progress and the bundle size of every function', () => {
    for (const name of FUNCTIONS) {
      expect(stdout).toMatch(new RegExp(`${name}: bundling`));
      expect(stdout).toMatch(
        new RegExp(`${name}: functions/${name}/index\\.mjs \\d+(\\.\\d)? K?B \\(\\d+(\\.\\d)? K?B gzip\\)`),
      );
    }
    expect(stdout).toMatch(/template\.yaml: \d+ resources/);
  });

  it('writes exactly template.yaml and one functions/<name>/index.mjs (+ lazily loaded inversify.cjs) per function', () => {
    expect(readdirSync(OUT).sort()).toEqual(['functions', 'template.yaml']);
    expect(readdirSync(join(OUT, 'functions')).sort()).toEqual([...FUNCTIONS].sort());
    for (const name of FUNCTIONS) {
      expect(readdirSync(join(OUT, 'functions', name)).sort()).toEqual(['index.mjs', 'inversify.cjs']);
      // inversify is not in the entry bundle: the shim loads inversify.cjs on first container use.
      expect(readFileSync(join(OUT, 'functions', name, 'index.mjs'), 'utf8')).not.toContain(
        'No bindings found',
      );
    }
  });

  it('template.yaml is valid AWS SAM and points each function at its bundle', () => {
    const template = parseYaml(readFileSync(join(OUT, 'template.yaml'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    expect(samValidator()(template)).toEqual([]);
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Serverless::Function');
    expect(functions.map((f) => f.Properties.CodeUri).sort()).toEqual(
      FUNCTIONS.map((f) => `functions/${f}`).sort(),
    );
    for (const f of functions) {
      expect(existsSync(join(OUT, String(f.Properties.CodeUri), 'index.mjs'))).toBe(true);
    }
  });

  it('each bundle is minified ESM exporting handler, with @aws-sdk external and no other provider inside', async () => {
    for (const name of FUNCTIONS) {
      const file = join(OUT, 'functions', name, 'index.mjs');
      const code = readFileSync(file, 'utf8');
      // Minified: long lines (only template literals keep their newlines), no indentation.
      expect(code.length / code.split('\n').length, `${name} is minified`).toBeGreaterThan(300);
      for (const foreign of [
        '@azure/functions',
        'functions-framework',
        '@google-cloud/',
        'azure-functions-core',
      ]) {
        expect(code.includes(foreign), `${name} contains ${foreign}`).toBe(false);
      }
      // The SDK is imported, never inlined: its internals (smithy) stay out of the bundle.
      expect(/@smithy\/|smithy-client/.test(code), `${name} inlines the AWS SDK`).toBe(false);
      // ...and only on first use (FunctionClient.invoke): a dynamic import, never a static one.
      expect(code.includes('import("@aws-sdk/client-lambda")'), `${name} imports the SDK lazily`).toBe(true);
      expect(/from\s*["']@aws-sdk\//.test(code), `${name} imports the SDK statically`).toBe(false);
      const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
      expect(typeof mod.handler, `${name} exports handler`).toBe('function');
    }
  });

  it("each bundle carries only its own trigger kind's event sources", () => {
    const code = (name: string) => readFileSync(join(OUT, 'functions', name, 'index.mjs'), 'utf8');
    // SQS partial-batch responses belong to queue functions; API Gateway v1 shapes to http functions.
    expect(code('echoHttp')).not.toContain('batchItemFailures');
    expect(code('echoQueue')).toContain('batchItemFailures');
    expect(code('echoQueue')).not.toContain('multiValueHeaders');
    expect(code('echoHttp')).toContain('multiValueHeaders');
  });
});
