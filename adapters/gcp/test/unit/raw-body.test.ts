/**
 * The raw-body hook on the framework's own server (getTestServer): a body past Cloud Run's 32 MiB
 * request limit (https://cloud.google.com/run/quotas#cloud_run_limits) is answered 413 with
 * Connection: close before it is buffered, on http and event functions alike.
 */
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { defineApp, http, queue } from '@polycloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES, loadedFrameworkExpress } from '../../src/http/raw-body.ts';
import { handle } from '../../src/index.ts';
import { serveAll } from '../support/framework-server.ts';

let ran = 0;
handle(
  defineApp({
    name: 'raw-body',
    functions: {
      rawBodyHttp: http('ANY /*', () => {
        ran++;
        return 'ran';
      }),
      rawBodyQueue: queue('raw-body', () => {
        ran++;
      }),
    },
  }),
);
let served: Awaited<ReturnType<typeof serveAll>>;
beforeAll(async () => {
  served = await serveAll(['rawBodyHttp', 'rawBodyQueue']);
});
afterAll(() => served.close());

/** Sends only the request head (declaring `length` bytes) and a little of the body; resolves with the answer once the server closes. */
function declare(url: string, length: number): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer; got ${JSON.stringify(received)}`));
    }, 10_000);
    socket.on('connect', () => {
      socket.write(
        `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n0123456789`,
      );
    });
    socket.on('data', (c: Buffer) => {
      received += c.toString();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(received);
    });
  });
}

describe('the raw-body hook', () => {
  it('finds the Express the framework’s server loaded, without resolving it', () => {
    // framework-server.ts imports the framework's testing entry, which loads its server.
    const framework = createRequire(import.meta.url).resolve('@google-cloud/functions-framework');
    const express = createRequire(framework)('express') as { application: object };
    expect(loadedFrameworkExpress()).toBe(express.application);
  });

  it('the limit is Cloud Run’s 32 MiB', () => {
    expect(BODY_LIMIT_BYTES).toBe(33_554_432);
  });

  it('a body declared past the limit is 413 with Connection: close, and no function runs', async () => {
    for (const fn of ['rawBodyHttp', 'rawBodyQueue']) {
      const answer = await declare(served.urls[fn]!, BODY_LIMIT_BYTES + 1);
      expect(answer, fn).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.toLowerCase(), fn).toContain('connection: close');
    }
    expect(ran).toBe(0);
  });
});
