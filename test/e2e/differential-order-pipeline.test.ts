/**
 * Same app, same answers, for examples/order-pipeline built for aws, azure, gcp and node (see
 * differential-todo-api.test.ts for how each build is run): the http front's bad input, unknown
 * ids, HEAD and methods, then one poisoned order (its id matches no order, so `processOrder`
 * throws every time) delivered to the queue function the way each provider delivers it. It must
 * be refused on every delivery, never acknowledged, and end in a dead-letter destination with its
 * body intact — not vanish.
 *
 * Then one good order, end to end on each build: `POST /orders` → the `orders` queue →
 * `processOrder` (order paid in the orders bucket, receipt stored, `order-events` published) → the
 * subscriber, and the receipt's storage event → `recordReceipt`. The functions' own outbound
 * clients talk to the services standing in for each provider's (stand-in-services.ts), and each
 * message reaches its function in the provider's documented delivery shape (message-flow.ts). The
 * order, its receipt link and bytes, and what the subscriber was handed must equal node's.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import app from '../../examples/order-pipeline/src/app.ts';
import { ORDERS_BUCKET } from '../../examples/order-pipeline/src/order-repository.ts';
import { ask, comparable } from '../support/differential/answer.ts';
import { PROVIDERS, type Provider, repoRoot } from '../support/differential/build.ts';
import { type Deployments, deployEverywhere } from '../support/differential/deploy.ts';
import {
  carryAws,
  carryAzure,
  carryGcp,
  type Delivery,
  jsonLines,
  waitForNode,
} from '../support/differential/message-flow.ts';
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

const GOOD_ORDER = {
  customer: 'ana@example.com',
  items: [
    { sku: 'tea', quantity: 2, unitPriceCents: 450 },
    { sku: 'cup', quantity: 1, unitPriceCents: 700 },
  ],
};

interface GoodOrderOutcome {
  /** Each answer with the order id the provider minted replaced by <id>. */
  placed: ReturnType<typeof comparable>;
  order: ReturnType<typeof comparable>;
  receiptLink: { status: number; location: boolean };
  /** The receipt as its signed URL serves it from the provider's store. */
  receipt: string;
  /** What the order-events subscriber logged: the event it was handed. */
  notified: Record<string, unknown>[];
  /** How the messages travelled (differs by provider, by design). */
  deliveries: Delivery[];
}

const notifiedIn = (lines: Record<string, unknown>[]) =>
  lines
    .filter((l) => l.message === 'notify customer')
    .map(({ to, event, orderId, totalCents }) => ({ to, event, orderId, totalCents }));

/** One good order through one provider's build: placed over http, carried, then read back. */
async function goodOrder(provider: Provider): Promise<GoodOrderOutcome> {
  const base = deployed.all[provider].url;
  const placedAnswer = await ask(base, {
    method: 'POST',
    path: '/orders',
    headers: JSON_HEADERS,
    body: JSON.stringify(GOOD_ORDER),
  });
  const id = (JSON.parse(Buffer.from(placedAnswer.body).toString()) as { id: string }).id;
  const normalise = (text: string) =>
    text.replaceAll(id, '<id>').replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>');
  let deliveries: Delivery[] = [];
  let notified: Record<string, unknown>[];
  if (provider === 'aws') {
    deliveries = await carryAws(app, deployed.aws, services);
    notified = notifiedIn(jsonLines(deployed.aws.output('order-pipeline-notifyCustomer')));
  } else if (provider === 'azure') {
    deliveries = await carryAzure(app, deployed.azure, services);
    // The host's log lines: the message, then the fields as JSON (adapters/azure invocation logger).
    notified = notifiedIn(
      deliveries.flatMap((d) =>
        (d.logs ?? []).flatMap((line) => {
          const at = line.indexOf(' {');
          return at === -1 ? [] : [{ message: line.slice(0, at), ...JSON.parse(line.slice(at + 1)) }];
        }),
      ),
    );
  } else if (provider === 'gcp') {
    deliveries = await carryGcp(app, deployed.gcp, services);
    notified = notifiedIn(deployed.gcp.servers.get('notifyCustomer')!.logs());
  } else {
    // node's broker delivers by itself: wait (bounded) for the subscriber and the receipt's record.
    await waitForNode(deployed.node, async (lines) => {
      if (!notifiedIn(lines).some((n) => n.orderId === id)) return false;
      const now = await ask(base, { method: 'GET', path: `/orders/${id}` });
      return 'receipt' in (JSON.parse(Buffer.from(now.body).toString()) as object);
    });
    notified = notifiedIn(jsonLines(deployed.node.output()));
  }
  const order = await ask(base, { method: 'GET', path: `/orders/${id}` });
  const link = await ask(base, { method: 'GET', path: `/orders/${id}/receipt` });
  const location = link.headers.location;
  const receipt = location ? await (await fetch(location)).text() : '';
  return {
    placed: comparable(placedAnswer, normalise),
    order: comparable(order, normalise),
    receiptLink: { status: link.status, location: Boolean(location) },
    receipt: normalise(receipt),
    notified: notified.filter((n) => n.orderId === id).map((n) => ({ ...n, orderId: '<id>' })),
    deliveries: deliveries.map((d) => ({ ...d, body: normalise(d.body), logs: undefined })),
  };
}

describe('a good order on aws, azure, gcp and node', () => {
  it('flows http → queue → topic (and its receipt through storage) with the same outcome everywhere', async () => {
    const providers = PROVIDERS.filter((p) => p !== 'gcp' || !services.gcpSkipped);
    const outcomes = {} as Record<Provider, GoodOrderOutcome>;
    // One provider at a time: each carries its own messages, and the machine has two cores.
    for (const p of providers) outcomes[p] = await goodOrder(p);
    const rows: [string, (o: GoodOrderOutcome) => unknown][] = [
      ['POST /orders', (o) => o.placed],
      ['GET /orders/:id after the flow', (o) => o.order],
      ['GET /orders/:id/receipt', (o) => o.receiptLink],
      ['receipt served by the store', (o) => o.receipt],
      ['order-events subscriber saw', (o) => o.notified],
    ];
    const cell = (v: unknown) => (typeof v === 'object' && v && 'status' in v ? String(v.status) : 'ok');
    const lines = [
      'good order',
      `${'step'.padEnd(32)}${providers.map((p) => p.padEnd(10)).join('')}`,
      ...rows.map(
        ([label, pick]) =>
          `${label.padEnd(32)}${providers
            .map((p) => {
              const same = JSON.stringify(pick(outcomes[p])) === JSON.stringify(pick(outcomes.node));
              return `${cell(pick(outcomes[p]))} ${same ? '=' : '≠'}`.padEnd(10);
            })
            .join('')}`,
      ),
      ...(services.gcpSkipped ? [`gcp: not run (${services.gcpSkipped})`] : []),
      'carried by',
      ...providers.flatMap((p) =>
        outcomes[p].deliveries.map(
          (d) =>
            `  ${p.padEnd(6)} ${d.carrier.padEnd(32)} → ${d.function.padEnd(32)} ${d.ok ? 'ok' : 'FAILED'}`,
        ),
      ),
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);

    // The outcome node reaches, which every provider must reach too.
    const order = JSON.parse(outcomes.node.order.body) as Record<string, unknown>;
    expect(outcomes.node.placed).toMatchObject({ status: 202, body: '{"id":"<id>","status":"received"}' });
    expect(order).toMatchObject({
      id: '<id>',
      status: 'paid',
      totalCents: 1600,
      receipt: { key: 'orders/<id>.json' },
    });
    expect(JSON.parse(outcomes.node.receipt)).toEqual({ orderId: '<id>', ...GOOD_ORDER, totalCents: 1600 });
    expect(outcomes.node.notified).toEqual([
      { to: 'ana@example.com', event: 'order.paid', orderId: '<id>', totalCents: 1600 },
    ]);
    expect(outcomes.node.receiptLink).toEqual({ status: 302, location: true });
    for (const p of providers) {
      const { deliveries, ...outcome } = outcomes[p];
      const { deliveries: _, ...reference } = outcomes.node;
      expect({ provider: p, ...outcome }).toEqual({ provider: p, ...reference });
      if (p === 'node') continue;
      // Exactly one delivery per message, each acknowledged: the order, its receipt, its event.
      expect(deliveries.map((d) => `${d.function.replace(/^order-pipeline-/, '')} ${d.ok}`).sort()).toEqual([
        'notifyCustomer true',
        'processOrder true',
        'recordReceipt true',
      ]);
    }
  }, 180_000);
});
