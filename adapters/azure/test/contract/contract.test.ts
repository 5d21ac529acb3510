/**
 * The adapter contract through @azure/functions's own invocation model (see azure-driver.ts): the
 * shared kit (runAdapterContract over its probe app), then Azure-specific checks on the conformance app.
 */
import '../support/host/functions-core.ts';
import { runAdapterContract } from '@polycloud/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import echo from '../../../../examples/echo/src/app.ts';
import { AZURE_UNSUPPORTED, type AzureSession, azureDriver } from '../support/azure-driver.ts';
import { userLogs } from '../support/host/host.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const enc = (s: string) => new TextEncoder().encode(s);

runAdapterContract(azureDriver());

let session: AzureSession;
// Registered per describe: the kit above registers its probe app under the same function names.
async function startEcho() {
  session = (await azureDriver({
    config: { provider: 'azure', providers: { azure: { topic: 'serviceBus' } } },
  }).start(echo)) as AzureSession;
}
afterAll(() => session.close());

function lastEcho(): Record<string, any> {
  const logs = userLogs(session.outcomes.at(-1)!);
  const line = logs.find((l) => l.message.startsWith('echo '));
  if (!line) throw new Error(`no echo log line in ${JSON.stringify(logs)}`);
  return JSON.parse(line.message.slice('echo '.length));
}

describe('azure contract: http', () => {
  beforeAll(startEcho);
  test('repeated query keys, repeated headers, several cookies and a binary body arrive intact', async () => {
    const body = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const res = await session.http('echoHttp', {
      method: 'POST',
      path: '/echo/a%20b/c',
      query: [
        ['tag', 'x'],
        ['tag', 'y'],
        ['q', 'a&b=c'],
      ],
      headers: [
        ['X-Multi', 'one'],
        ['x-multi', 'two'],
        ['cookie', 'session=abc'],
        ['cookie', 'theme=dark; lang=en'],
        ['content-type', 'application/octet-stream'],
      ],
      body,
    });
    expect(res.status).toBe(200);
    const echoed = JSON.parse(text(res.body));
    expect(echoed.method).toBe('POST');
    expect(echoed.path).toBe('/echo/a b/c');
    expect(echoed.params).toEqual({ '*': 'a b/c' });
    expect(echoed.query).toEqual({ tag: ['x', 'y'], q: ['a&b=c'] });
    expect(echoed.headers['x-multi']).toBe('one, two');
    expect(echoed.cookies).toEqual({ session: 'abc', theme: 'dark', lang: 'en' });
    expect(echoed.bodyBase64).toBe(Buffer.from(body).toString('base64'));
    expect(echoed.identity).toBeNull();
  });

  test('?status=N answers N; 204 has no body', async () => {
    expect(
      (await session.http('echoHttp', { method: 'GET', path: '/echo/x', query: [['status', '418']] })).status,
    ).toBe(418);
    const empty = await session.http('echoHttp', {
      method: 'GET',
      path: '/echo/x',
      query: [['status', '204']],
    });
    expect(empty.status).toBe(204);
    expect(empty.body.length).toBe(0);
  });

  test('a throwing handler is a clean 500 without stack or message (PEER-BUGS #11)', async () => {
    const res = await session.http('echoHttp', {
      method: 'GET',
      path: '/echo/x',
      headers: [['x-echo-fail', '1']],
    });
    expect(res.status).toBe(500);
    expect(JSON.parse(text(res.body))).toEqual({ error: 'Internal Server Error' });
    expect(text(res.body)).not.toContain('x-echo-fail');
    const outcome = session.outcomes.at(-1)!;
    expect(outcome.ok).toBe(true);
    expect(
      userLogs(outcome).some((l) => l.level === 'error' && l.message.includes('echo failure requested')),
    ).toBe(true);
  });

  test('malformed percent-encoding in the path is a 400 naming the path', async () => {
    const res = await session.malformed('http', 'echoHttp');
    expect(res.status).toBe(400);
    expect(res.body).toContain('path');
  });
});

describe('azure contract: queue (Storage Queue) and topic (Service Bus)', () => {
  beforeAll(startEcho);
  test('a batch of five with two failures: exactly those two are not acknowledged', async () => {
    const batch = [1, 2, 3, 4, 5].map((i) => ({
      id: `m${i}`,
      body: enc(JSON.stringify({ n: i, fail: i === 2 || i === 4 })),
      deliveryCount: i,
    }));
    expect(await session.messages('echoQueue', batch, { ordered: false })).toEqual({ failed: ['m2', 'm4'] });
  });

  test('storage queue metadata: id, dequeue count, body bytes', async () => {
    await session.messages('echoQueue', [{ id: 'abc', body: enc('plain text'), deliveryCount: 3 }], {
      ordered: false,
    });
    const ev = lastEcho();
    expect(ev.echo).toBe('queue');
    expect(ev.event).toMatchObject({ id: 'abc', source: 'echo-queue', deliveryCount: 3 });
    expect(Buffer.from(ev.event.bodyBase64, 'base64').toString()).toBe('plain text');
  });

  test('Service Bus metadata: message id, delivery count, application properties, session', async () => {
    await session.messages(
      'echoTopic',
      [{ id: 'sb-1', body: enc('{"a":1}'), deliveryCount: 2, attributes: { tenant: 't1' }, groupId: 'g' }],
      { ordered: true },
    );
    const ev = lastEcho();
    expect(ev.echo).toBe('topic');
    expect(ev.event).toMatchObject({
      id: 'sb-1',
      source: 'echo-topic',
      deliveryCount: 2,
      attributes: { tenant: 't1' },
      groupId: 'g',
    });
  });

  test('ordered Service Bus session: after a failure the rest of its group is not delivered', async () => {
    const batch = [
      { id: 'a1', groupId: 'A', body: enc('{}') },
      { id: 'a2', groupId: 'A', body: enc('{"fail":true}') },
      { id: 'b1', groupId: 'B', body: enc('{}') },
      { id: 'a3', groupId: 'A', body: enc('{}') },
    ];
    expect(await session.messages('echoTopic', batch, { ordered: true })).toEqual({ failed: ['a2', 'a3'] });
  });

  test('malformed message data fails the invocation (the host retries, then poison-queues)', async () => {
    const outcome = await session.malformed('queue', 'echoQueue');
    expect(outcome.ok).toBe(false);
  });
});

describe('azure contract: storage, schedule, event', () => {
  beforeAll(startEcho);
  test('Event Grid BlobCreated and BlobDeleted reach the storage function as StorageEvents', async () => {
    expect(
      await session.storage('echoStorage', {
        type: 'created',
        bucket: 'echo-bucket',
        key: 'dir/a b+c.txt',
        size: 12,
        etag: '0x1',
        contentType: 'text/plain',
      }),
    ).toEqual({ ok: true });
    expect(lastEcho().event).toMatchObject({
      type: 'created',
      bucket: 'echo-bucket',
      key: 'dir/a b+c.txt',
      size: 12,
      etag: '0x1',
      contentType: 'text/plain',
    });
    await session.storage('echoStorage', { type: 'deleted', bucket: 'echo-bucket', key: 'gone.txt' });
    expect(lastEcho().event).toMatchObject({ type: 'deleted', key: 'gone.txt' });
    await session.storage('echoStorage', { type: 'archived', bucket: 'echo-bucket', key: 'cold.bin' });
    expect(lastEcho().event).toMatchObject({ type: 'archived', key: 'cold.bin' });
  });

  test('timer: the scheduled time and isPastDue', async () => {
    const at = new Date('2026-01-01T03:00:00.000Z');
    expect(await session.schedule('echoSchedule', at)).toEqual({ ok: true });
    expect(lastEcho().event).toMatchObject({
      name: 'echo-schedule',
      scheduledTime: at.toISOString(),
      isPastDue: false,
    });
  });

  test('CloudEvent through Event Grid (CloudEvents schema), binary data included', async () => {
    const ok = await session.event('echoEvent', {
      specversion: '1.0',
      id: 'e1',
      source: '/test',
      type: 'com.example.echo',
      data: new Uint8Array([1, 2, 3]),
    });
    expect(ok).toEqual({ ok: true });
    expect(lastEcho().event).toMatchObject({ id: 'e1', type: 'com.example.echo', data_base64: 'AQID' });
    const failed = await session.event('echoEvent', {
      specversion: '1.0',
      id: 'e2',
      source: '/test',
      type: 'com.example.echo',
      data: { fail: true },
    });
    expect(failed.ok).toBe(false);
  });

  test('malformed Event Grid input is a failed invocation, never a handler call', async () => {
    expect((await session.malformed('event', 'echoEvent')).ok).toBe(false);
    expect((await session.malformed('storage', 'echoStorage')).ok).toBe(false);
    expect((await session.malformed('schedule', 'echoSchedule')).ok).toBe(false);
  });

  test('declared unsupported scenarios carry reasons', () => {
    for (const reason of Object.values(AZURE_UNSUPPORTED)) expect(reason.length).toBeGreaterThan(20);
  });
});
