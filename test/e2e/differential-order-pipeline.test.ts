/**
 * Same app, same answers, for examples/order-pipeline built for aws, azure, gcp and node (see
 * differential-todo-api.test.ts for how each build is run): the http front's bad input, unknown
 * ids, HEAD and methods, then one poisoned order (its id matches no order, so `processOrder`
 * throws every time) delivered to the queue function the way each provider delivers it. It must
 * be refused on every delivery, never acknowledged, and end in a dead-letter destination with its
 * body intact — not vanish.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app from '../../examples/order-pipeline/src/app.ts';
import { ORDERS_BUCKET } from '../../examples/order-pipeline/src/order-repository.ts';
import { PROVIDERS, repoRoot } from '../support/differential/build.ts';
import { type Deployments, deployEverywhere } from '../support/differential/deploy.ts';
import { poisonAws, poisonAzure, poisonGcp, poisonNode } from '../support/differential/poison.ts';
import { type StandInServices, startStandInServices } from '../support/differential/stand-in-services.ts';
import { compare, runScript, type Step, table } from '../support/differential/transcript.ts';

const JSON_HEADERS: [string, string][] = [['content-type', 'application/json']];
const order =
  (value: unknown): Step['make'] =>
  () => ({
    method: 'POST',
    path: '/orders',
    headers: JSON_HEADERS,
    body: JSON.stringify(value),
  });

const script: Step[] = [
  {
    label: 'POST /orders bad email',
    make: order({ customer: 'nobody', items: [{ sku: 'a', quantity: 1, unitPriceCents: 5 }] }),
  },
  { label: 'POST /orders no items', make: order({ customer: 'ada@example.com', items: [] }) },
  {
    label: 'POST /orders negative quantity',
    make: order({ customer: 'ada@example.com', items: [{ sku: 'a', quantity: -1, unitPriceCents: 5 }] }),
  },
  {
    label: 'POST /orders malformed JSON',
    make: () => ({
      method: 'POST',
      path: '/orders',
      headers: JSON_HEADERS,
      body: '{"customer":"ada@example.com",',
    }),
  },
  {
    label: 'POST /orders gzip JSON',
    make: () => ({
      method: 'POST',
      path: '/orders',
      headers: [...JSON_HEADERS, ['content-encoding', 'gzip']],
      body: gzipSync('{"customer":"ada@example.com","items":[]}'),
    }),
  },
  { label: 'GET /orders/:id unknown', make: () => ({ method: 'GET', path: '/orders/ord-404' }) },
  { label: 'HEAD /orders/:id unknown', make: () => ({ method: 'HEAD', path: '/orders/ord-404' }) },
  { label: 'DELETE /orders/:id (no such method)', make: () => ({ method: 'DELETE', path: '/orders/ord-1' }) },
  { label: 'GET /orders (no such method)', make: () => ({ method: 'GET', path: '/orders' }) },
];

let services: StandInServices;
let deployed: Deployments;
beforeAll(async () => {
  services = await startStandInServices(app, [ORDERS_BUCKET]);
  deployed = await deployEverywhere(
    `${repoRoot}/examples/order-pipeline`,
    app,
    () => ({}),
    services.provision,
  );
}, 240_000);
afterAll(async () => {
  await deployed?.close();
  await services?.stop();
});

describe('examples/order-pipeline on aws, azure, gcp and node', () => {
  it('answers its http front identically everywhere', async () => {
    const transcripts = Object.fromEntries(
      await Promise.all(
        PROVIDERS.map(async (p) => [p, await runScript(deployed.all[p].url, script)] as const),
      ),
    ) as Parameters<typeof compare>[1];
    const { rows, differences } = compare(script, transcripts);
    process.stdout.write(`\n${table('examples/order-pipeline', rows)}\n`);
    expect(differences).toEqual([]);
  }, 120_000);

  it('a poisoned order is retried, never acknowledged, and ends dead-lettered on every provider', async () => {
    const body = JSON.stringify({ orderId: 'ord-does-not-exist' });
    const outcomes = {
      aws: await poisonAws(deployed.aws, 'orders', body),
      azure: await poisonAzure(deployed.azure, 'orders', body),
      gcp: await poisonGcp(deployed.gcp, deployed.dist.gcp, 'processOrder', 'orders', body),
      node: await poisonNode(deployed.node, 'orders', body),
    };
    process.stdout.write(
      `\npoisoned order\nprovider  refused  acked  ended in\n${Object.entries(outcomes)
        .map(
          ([p, o]) =>
            `${p.padEnd(9)} ${String(o.refused).padEnd(8)} ${String(o.acknowledged).padEnd(6)} ${o.endedIn}`,
        )
        .join('\n')}\n`,
    );
    for (const [provider, outcome] of Object.entries(outcomes))
      expect({ provider, ...outcome }).toEqual({
        provider,
        refused: 5,
        acknowledged: false,
        endedIn: expect.not.stringMatching(/retention|acknowledged|not dead-lettered/),
        body,
      });
  }, 120_000);
});
