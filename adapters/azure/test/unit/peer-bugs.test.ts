/** Regression tests for peer-library bugs (docs/peer-bugs.md) as they apply to Azure. */
import '../support/host/functions-core.ts';
import { defineApp, HttpRequest, http, type Message, queue } from '@polycloud/core';
import { AppRuntime, bindApp, resolveConfig } from '@polycloud/core/adapter';
import { describe, expect, test } from 'vitest';
import { handle } from '../../src/index.ts';
import { hostHttpResponse, invokeHost, rpcHttp } from '../support/host/host.ts';

const text = (b: Uint8Array | string) => (typeof b === 'string' ? b : new TextDecoder().decode(b));
const received: Message[] = [];
const app = defineApp({
  name: 'peer',
  functions: {
    peerItem: http('GET /items/:id', (req) => ({
      id: req.params.id,
      tags: req.query.getAll('tag'),
      accept: req.headers.get('accept'),
      custom: req.headers.getAll('x-custom'),
    })),
    peerQueue: queue('peer-queue', (m) => {
      received.push(m);
    }),
  },
});

async function onAzure() {
  const reg = handle(app, {
    config: resolveConfig({ provider: 'node' }, { POLYCLOUD_PROVIDER: 'azure' }),
    env: {},
  });
  expect(reg.runtime.provider).toBe('azure');
  const out = await invokeHost('peerItem', {
    data: rpcHttp(
      {
        method: 'GET',
        path: '/items/a%2Fb',
        query: 'tag=x&tag=y',
        headers: [
          ['Accept', 'application/json'],
          ['X-Custom', '1'],
          ['x-CUSTOM', '2'],
        ],
      },
      'items/{id}',
    ),
  });
  return JSON.parse(text(hostHttpResponse(out.response).body));
}

describe('PEER-BUGS', () => {
  test('#10: one app on the Azure v4 model, then on another provider, then on Azure again: same neutral result', async () => {
    const first = await onAzure();
    const node = new AppRuntime(app, { name: 'node' });
    const res = await bindApp(node).http(
      () =>
        new HttpRequest({
          method: 'GET',
          rawPath: '/items/a%2Fb',
          query: 'tag=x&tag=y',
          headers: [
            ['accept', 'application/json'],
            ['x-custom', '1'],
            ['x-custom', '2'],
          ],
        }),
    );
    const onNode = JSON.parse(text(res.body));
    const again = await onAzure();
    expect(first).toEqual({ id: 'a/b', tags: ['x', 'y'], accept: 'application/json', custom: ['1, 2'] });
    // The host folds repeated headers before the worker sees them: one joined value on Azure.
    expect(onNode).toEqual({ ...first, custom: ['1', '2'] });
    expect(again).toEqual(first);
  });

  test('#6: header names arrive lower-case whatever the client sent', async () => {
    const result = await onAzure();
    expect(result.accept).toBe('application/json');
  });

  test('#4: the trigger, not the payload shape, decides the event source', async () => {
    handle(app, { env: {} });
    const lookalikes = [
      { httpMethod: 'GET', path: '/', requestContext: {} },
      { eventType: 'Microsoft.Storage.BlobCreated', subject: '/x', id: '1', topic: '/t' },
      { Records: [{ eventSource: 'aws:sqs' }] },
    ];
    for (const [i, body] of lookalikes.entries()) {
      const out = await invokeHost('peerQueue', {
        data: { string: JSON.stringify(body) },
        triggerMetadata: { Id: { string: `l${i}` } },
      });
      expect(out.ok, out.error).toBe(true);
      expect(received.at(-1)!.id).toBe(`l${i}`);
      expect(received.at(-1)!.json()).toEqual(body);
    }
  });
});
