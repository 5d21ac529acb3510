/**
 * What the built examples/echo http function loads at cold start: `index.mjs` and the chunks it
 * imports statically, counted here from the files themselves (not from the build's own report).
 * Everything else (the other front doors, service clients, the invoke envelope, inversify) must
 * load on first use and work.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Context as LambdaContext } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/build-app.ts';
import { fixture } from '../support/fixtures.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { repoRoot } from '../support/sam-schema.ts';

// No byte budget here: what a cold start costs is measured as time in `npm run bench:cold`, and
// what it loads is guarded in modules by test/cold-start/cold-start.test.ts. This file checks that
// the lazy parts stay lazy and still work, and that the build reports the cold-start set truly.

type Handler = (event: unknown, context: LambdaContext) => Promise<Record<string, any>>;

let outDir: string;
let log: string[];
let dir: string;
let startup: string[];
let handler: Handler;

/** `./chunk-X.mjs` files a module imports statically (`import{..}from"../x.mjs"`, `import"../x.mjs"`). */
function staticImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/import\s*(?:[\w${},\s*]+from\s*)?"(\.\/[^"]+)"/g)].map((m) =>
    resolve(file, '..', m[1]!),
  );
}

function closure(file: string, seen = new Set<string>()): string[] {
  if (!seen.has(file)) {
    seen.add(file);
    for (const next of staticImports(file)) closure(next, seen);
  }
  return [...seen];
}

const gzip = (files: string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0);

beforeAll(async () => {
  ({ outDir, log } = await buildApp(resolve(repoRoot, 'examples/echo')));
  dir = join(outDir, 'functions', 'echoHttp');
  startup = closure(join(dir, 'index.mjs'));
  handler = ((await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: Handler }).handler;
});

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function apigwV2(): Record<string, any> {
  const base = fixture('apigw-http/powertools-ts-no-auth.json') as Record<string, any>;
  return {
    ...base,
    rawPath: '/echo/a%20b',
    rawQueryString: 'x=1&x=2',
    requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method: 'GET' } },
    body: undefined,
    isBase64Encoded: false,
  };
}

describe('echoHttp cold start', () => {
  it('is reported by the build log as the files it loads before the handler runs, and their size', () => {
    const bytes = gzip(startup);
    const line = log.find((l) => l.includes('echoHttp: functions/echoHttp/index.mjs'));
    expect(line).toContain(`cold start`);
    // One file: the build merges esbuild's startup chunks into the entry.
    expect(startup).toHaveLength(1);
    expect(line).toContain(`(${(bytes / 1024).toFixed(1)} KB gzip) in 1 file;`);
    // Split for real: a good part of the function is only on disk.
    const all = readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => join(dir, f));
    expect(all.length).toBeGreaterThan(startup.length);
  });

  it('leaves other front doors, service clients, the invoke envelope and inversify out of it', () => {
    const code = startup.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(code).toContain('lambda-url'); // v2 (HTTP API vs Function URL) is recognised at cold start
    for (const lazy of [
      'statusDescription', // ALB responses
      'multiValueQueryStringParameters', // REST (v1) and ALB requests
      'POLYCLOUD_AWS_QUEUE_URLS', // the SQS Queue
      'POLYCLOUD_AWS_TOPIC_ARNS', // the SNS Topic
      'POLYCLOUD_AWS_FUNCTION_NAMES', // the Lambda FunctionClient
      'must be an object { function, payload }', // the invoke envelope
      'an SQS batch', // what an unmatched event is described as
      'Ambiguous bindings found', // inversify
    ]) {
      expect(code, lazy).not.toContain(lazy);
    }
  });

  it('answers an HTTP API (v2) request with nothing but its cold-start files on disk', async () => {
    const only = mkdtempSync(join(tmpdir(), 'polycloud-cold-'));
    try {
      const copy = join(only, 'echoHttp');
      mkdirSync(copy);
      for (const file of startup) cpSync(file, join(copy, file.slice(dir.length + 1)));
      const mod = (await import(pathToFileURL(join(copy, 'index.mjs')).href)) as { handler: Handler };
      const response = await mod.handler(apigwV2(), lambdaContext());
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ method: 'GET', path: '/echo/a b' });
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });
});

describe('echoHttp lazy chunks load on first use and work', () => {
  it('HTTP API (v2)', async () => {
    const response = await handler(apigwV2(), lambdaContext());
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ method: 'GET', path: '/echo/a b', params: { '*': 'a b' } });
    expect(body.query).toEqual({ x: ['1', '2'] });
  });

  it('ALB, then again synchronously recognised', async () => {
    for (let i = 0; i < 2; i++) {
      const event = fixture('alb/powertools-ts-base.json') as Record<string, any>;
      const response = await handler({ ...event, path: '/echo/alb' }, lambdaContext());
      expect(response).toMatchObject({ statusCode: 200, statusDescription: '200 OK' });
      expect(JSON.parse(response.body)).toMatchObject({ path: '/echo/alb', params: { '*': 'alb' } });
    }
  });

  it('REST (v1) and Function URL', async () => {
    const rest = fixture('apigw-rest/powertools-ts-no-auth.json');
    const viaRest = await handler({ ...rest, path: '/echo/rest', resource: '/echo/rest' }, lambdaContext());
    expect(viaRest.statusCode).toBe(200);
    expect(JSON.parse(viaRest.body)).toMatchObject({ path: '/echo/rest' });
    const url = fixture('function-url/powertools-ts-base.json');
    const viaUrl = await handler({ ...url, rawPath: '/echo/url' }, lambdaContext());
    expect(viaUrl.statusCode).toBe(200);
    expect(JSON.parse(viaUrl.body)).toMatchObject({ path: '/echo/url' });
  });

  it('a malformed ALB request is a 400 in ALB shape', async () => {
    const event = fixture('alb/powertools-ts-base.json');
    const response = await handler({ ...event, httpMethod: 42 }, lambdaContext());
    expect(response).toMatchObject({ statusCode: 400, statusDescription: '400 Bad Request' });
  });

  it('the invoke envelope', async () => {
    const result = await handler(
      { 'polycloud:invoke': { function: 'echoHttp', payload: { hello: 'world' } } },
      lambdaContext(),
    );
    expect(result).toMatchObject({ method: 'POST', path: '/echo/' });
  });

  it('an event of no http shape is rejected with what it looks like', async () => {
    await expect(handler(fixture('sqs/powertools-ts-base.json'), lambdaContext())).rejects.toThrow(
      /function "echoHttp" \(http trigger\) accepts .*; got an SQS batch with top-level keys \[Records\]/,
    );
  });
});
