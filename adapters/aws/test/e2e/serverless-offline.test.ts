/**
 * End to end on serverless@3 + serverless-offline@13: polycloud's built handlers run in
 * serverless-offline, and one function calls the others through the Lambda FunctionClient
 * (@aws-sdk/client-lambda against serverless-offline's Lambda endpoint), sync and async.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { FunctionInvokeError } from '@polycloud/core';
import { INVOKE_ENVELOPE_KEY } from '@polycloud/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaFunctionClient } from '../../src/clients/function-client.ts';
import { buildEntry } from '../support/build-app.ts';
import { freePort, type RunningProcess, start } from '../support/child-process.ts';
import { repoRoot } from '../support/sam-schema.ts';

const SERVICE_DIR = resolve(import.meta.dirname, '../support/offline-app');
const SERVERLESS = resolve(repoRoot, 'node_modules/serverless/bin/serverless.js');

let offline: RunningProcess | undefined;
let lambdaPort: number;
let httpPort: number;
let lambda: LambdaClient;
let scratch: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'polycloud-offline-'));
  // The handlers serverless.yml points at: polycloud's own AWS build of offline-app/app.ts.
  await buildEntry(SERVICE_DIR, join(SERVICE_DIR, 'app.ts'), join(SERVICE_DIR, 'dist/aws'));
  const [a, b, c, d] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  [httpPort, lambdaPort] = [a, b];
  offline = start(process.execPath, [SERVERLESS, 'offline', 'start'], {
    name: 'serverless offline',
    cwd: SERVICE_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: scratch, // serverless writes its state under ~/.serverless: keep it out of the real home
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      OFFLINE_HTTP_PORT: String(a),
      OFFLINE_LAMBDA_PORT: String(b),
      OFFLINE_WEBSOCKET_PORT: String(c),
      OFFLINE_ALB_PORT: String(d),
    },
  });
  await offline.waitFor(/Server ready/, 60_000);
  // For createLambdaFunctionClient, which takes credentials from the SDK's default chain.
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${lambdaPort}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  lambda?.destroy();
  await offline?.stop();
  rmSync(join(SERVICE_DIR, 'dist'), { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Invokes `caller` the way another AWS service or the CLI would: Lambda Invoke with the envelope. */
async function call(payload: Record<string, unknown>): Promise<Record<string, any>> {
  const output = await lambda.send(
    new InvokeCommand({
      FunctionName: 'offline-caller',
      Payload: JSON.stringify({ [INVOKE_ENVELOPE_KEY]: { function: 'caller', payload } }),
    }),
  );
  const text = new TextDecoder().decode(output.Payload);
  expect(output.FunctionError, text).toBeUndefined();
  return JSON.parse(text) as Record<string, any>;
}

describe('serverless-offline: FunctionClient over Lambda Invoke', () => {
  it('sync: caller invokes callee and gets its JSON answer', async () => {
    expect(await call({ mode: 'sync', n: 21 })).toEqual({
      result: { doubled: 42, by: 'callee', provider: 'aws' },
    });
  });

  it('async: the Event invoke resolves at once and the target runs later', async () => {
    const file = join(scratch, 'recorded.json');
    expect(await call({ mode: 'async', file })).toEqual({});
    // Bounded wait for the fire-and-forget invocation to land.
    for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100);
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(recorded).toMatchObject({ at: 'async', source: 'offline-records' });
    expect(typeof recorded.messageId).toBe('string');
  });

  it("a thrown error arrives as FunctionInvokeError with the target's errorType and errorMessage", async () => {
    expect(await call({ mode: 'throw', reason: 'no stock' })).toEqual({
      thrown: true,
      name: 'FunctionInvokeError',
      functionName: 'thrower',
      // serverless-offline reports every handler error as type "Error"; Lambda reports the class name.
      errorType: 'Error',
      errorMessage: 'thrower refuses: no stock',
    });
  });

  it('the client used from outside: typed errors for a failing and for an unknown function', async () => {
    const client = createLambdaFunctionClient({
      endpoint: `http://127.0.0.1:${lambdaPort}`,
      functionNameFor: (name) => `offline-${name}`,
    });
    await expect(client.invoke('callee', { n: 5 })).resolves.toEqual({
      doubled: 10,
      by: 'callee',
      provider: 'aws',
    });
    const thrown = await client.invoke('thrower', { reason: 'direct' }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(FunctionInvokeError);
    expect(thrown).toMatchObject({ functionName: 'thrower', errorMessage: 'thrower refuses: direct' });
    const missing = await client.invoke('nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(FunctionInvokeError);
    expect(missing).toMatchObject({ functionName: 'nope', errorType: 'ResourceNotFoundException' });
  });

  it('HTTP API through serverless-offline reaches caller, which invokes callee', async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'sync', n: 4 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: { doubled: 8, by: 'callee', provider: 'aws' } });
  });
});
