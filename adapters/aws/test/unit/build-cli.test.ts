/** `polycloud build --provider aws examples/echo` through the real CLI binary. */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseYaml, repoRoot, samValidator } from '../support/sam-schema.ts';

const ECHO = resolve(repoRoot, 'examples/echo');
const OUT = join(ECHO, 'dist/aws'); // git-ignored
const FUNCTIONS = ['echoHttp', 'echoQueue', 'echoTopic', 'echoStorage', 'echoSchedule', 'echoEvent'];

let stdout: string;

/** A function's JavaScript files: the entry and every chunk. */
function chunks(name: string): string[] {
  const dir = join(OUT, 'functions', name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => join(dir, f));
}

/** What a function's cold start loads: index.mjs and the chunks it imports statically. */
function startupCode(name: string): string {
  const dir = join(OUT, 'functions', name);
  const entry = readFileSync(join(dir, 'index.mjs'), 'utf8');
  const statics = [...entry.matchAll(/(?:from|import)\s*"\.\/(chunk-\w+\.mjs)"/g)].map((m) => m[1]!);
  return [entry, ...statics.map((file) => readFileSync(join(dir, file), 'utf8'))].join('\n');
}

/** All of a function's code, chunks included. */
function code(name: string): string {
  return chunks(name)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

beforeAll(async () => {
  const result = await promisify(execFile)(
    process.execPath,
    [resolve(repoRoot, 'packages/cli/bin/polycloud.mjs'), 'build', '--provider', 'aws', ECHO],
    { cwd: repoRoot, timeout: 90_000 },
  );
  stdout = result.stdout;
});

describe('polycloud build --provider aws', () => {
  it('prints progress, the cold-start size and the total size of every function', () => {
    const size = '\\d+(\\.\\d)? K?B';
    for (const name of FUNCTIONS) {
      expect(stdout).toMatch(new RegExp(`${name}: bundling`));
      expect(stdout).toMatch(
        new RegExp(
          `${name}: functions/${name}/index\\.mjs cold start ${size} \\(${size} gzip\\) in \\d+ files?; ${size} in \\d+ files\\n`,
        ),
      );
    }
    expect(stdout).toMatch(/template\.yaml: \d+ resources/);
  });

  it('writes exactly template.yaml and one functions/<name>/ folder per function: index.mjs and its chunks', () => {
    expect(readdirSync(OUT).sort()).toEqual(['functions', 'template.yaml']);
    expect(readdirSync(join(OUT, 'functions')).sort()).toEqual([...FUNCTIONS].sort());
    for (const name of FUNCTIONS) {
      const files = readdirSync(join(OUT, 'functions', name));
      expect(files).toContain('index.mjs');
      for (const file of files) expect(file).toMatch(/^(index\.mjs|chunk-[A-Z0-9]+\.mjs)$/);
      // The echo app declares no container modules: inversify is in a chunk behind core's
      // import('inversify'), which its cold start never loads.
      expect(startupCode(name)).not.toContain('Ambiguous bindings found');
      expect(code(name)).toContain('Ambiguous bindings found');
    }
  });

  it('template.yaml is valid AWS SAM and points each function at its bundle', () => {
    const template = parseYaml(readFileSync(join(OUT, 'template.yaml'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    expect(samValidator()(template)).toEqual([]);
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Serverless::Function');
    // Every function's own bundle, plus the catch-all routes' fallback running echoHttp's bundle.
    expect(functions.map((f) => f.Properties.CodeUri).sort()).toEqual(
      [...FUNCTIONS, 'echoHttp'].map((f) => `functions/${f}`).sort(),
    );
    for (const f of functions) {
      expect(existsSync(join(OUT, String(f.Properties.CodeUri), 'index.mjs'))).toBe(true);
    }
  });

  it('each bundle is minified ESM exporting handler, with @aws-sdk external and no other provider inside', async () => {
    for (const name of FUNCTIONS) {
      const file = join(OUT, 'functions', name, 'index.mjs');
      // Minified: long lines (only template literals keep their newlines), no indentation.
      for (const chunk of chunks(name)) {
        const text = readFileSync(chunk, 'utf8');
        if (text.length > 2048)
          expect(text.length / text.split('\n').length, `${chunk} is minified`).toBeGreaterThan(300);
      }
      const all = code(name);
      for (const foreign of [
        '@azure/functions',
        'functions-framework',
        '@google-cloud/',
        'azure-functions-core',
      ]) {
        expect(all.includes(foreign), `${name} contains ${foreign}`).toBe(false);
      }
      // The SDK is imported, never inlined: its internals (smithy) stay out of the bundle.
      expect(/@smithy\/|smithy-client/.test(all), `${name} inlines the AWS SDK`).toBe(false);
      // ...and only on first use (FunctionClient.invoke): a dynamic import, never a static one.
      expect(all.includes('import("@aws-sdk/client-lambda")'), `${name} imports the SDK lazily`).toBe(true);
      expect(/from\s*["']@aws-sdk\//.test(all), `${name} imports the SDK statically`).toBe(false);
      const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
      expect(typeof mod.handler, `${name} exports handler`).toBe('function');
    }
  });

  it("each bundle carries only its own trigger kind's event sources", () => {
    // SQS partial-batch responses belong to queue functions; API Gateway v1 shapes to http functions.
    expect(code('echoHttp')).not.toContain('batchItemFailures');
    expect(code('echoQueue')).toContain('batchItemFailures');
    expect(code('echoQueue')).not.toContain('multiValueHeaders');
    expect(code('echoHttp')).toContain('multiValueHeaders');
  });
});
