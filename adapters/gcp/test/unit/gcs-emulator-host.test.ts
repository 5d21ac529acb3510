import { resolveConfig } from '@polycloud/core/adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcsStorage } from '../../src/clients/gcs-storage.ts';
import { type FakeGcs, startFakeGcs } from '../support/fake-gcs.ts';

// A deployment that points Storage at an emulator sets STORAGE_EMULATOR_HOST, and
// @google-cloud/storage reads that variable itself: it used the bare host as the JSON API base
// (googleapis/nodejs-storage#1314), so objects were uploaded but every get, head and list answered
// 404. Found by the differential suite: order-pipeline's GCP build stored an order and could not
// read it back.
describe('gcp Storage configured by STORAGE_EMULATOR_HOST', () => {
  let server: FakeGcs;
  let before: string | undefined;
  beforeAll(async () => {
    server = await startFakeGcs(['orders']);
    before = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = server.endpoint;
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = before;
    await server?.stop();
  });

  it('reads back, heads and lists what it stored', async () => {
    const storage = createGcsStorage({
      config: resolveConfig({ provider: 'gcp' }, {}),
      env: { STORAGE_EMULATOR_HOST: server.endpoint },
      projectId: 'emulator-project',
    });
    await storage.put('orders', 'o-1.json', '{"id":"o-1"}', { contentType: 'application/json' });
    const got = await storage.get('orders', 'o-1.json');
    expect(new TextDecoder().decode(got.body)).toBe('{"id":"o-1"}');
    expect(await storage.head('orders', 'o-1.json')).toMatchObject({
      size: 12,
      contentType: 'application/json',
    });
    expect((await storage.list('orders')).objects.map((o) => o.key)).toEqual(['o-1.json']);
  });
});
