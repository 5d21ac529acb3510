/**
 * The node runtime's push format for message batches (`POST /_polycloud/functions/<fn>/messages`,
 * modelled on Dapr's bulk subscribe): `{ ordered?, entries: [{ entryId, bodyBase64 | body,
 * attributes?, groupId?, deliveryCount? }] }` answered `{ statuses: [{ entryId, status }] }`, where
 * RETRY entries are not acknowledged. One entry that cannot be decoded is RETRY and never fails or
 * loses the rest; a body that is not a batch at all is a 400.
 */
import { defineApp, http, type Message, queue, topic } from '@polycloud/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { handle, type NodeServer } from '../../src/index.ts';
import { rawRequest } from '../support/raw-http.ts';

interface Seen {
  fn: string;
  message: Message;
  requestId: string;
  raw: unknown;
}
const seen: Seen[] = [];
const record =
  (fn: string) =>
  (m: Message, ctx: { requestId: string; raw: unknown }): Promise<void> | undefined => {
    seen.push({ fn, message: m, requestId: ctx.requestId, raw: ctx.raw });
    if (m.text().startsWith('fail')) throw new Error(`refused ${m.text()}`);
    if (m.text() === 'wait for partner') return partnerStarted;
    if (m.text() === 'partner') startPartner();
    return undefined;
  };
// An unordered batch runs its messages at once: the first waits (up to a second) for the second to start.
let startPartner: () => void = () => undefined;
let partnerStarted: Promise<void> = Promise.resolve();

const app = defineApp({
  name: 'message-batch',
  functions: {
    orders: queue('orders', record('orders')),
    fanout: topic('events', record('fanout')),
    page: http('GET /page', () => 'page'),
  },
});

let server: NodeServer;
let warn: MockInstance<(message: string, fields?: Record<string, unknown>) => void>;
beforeAll(async () => {
  server = await handle(app, { port: 0, schedules: false, handleSignals: false });
  warn = vi.spyOn(server.runtime.log, 'warn').mockImplementation(() => undefined);
  vi.spyOn(server.runtime.log, 'error').mockImplementation(() => undefined);
});
afterAll(() => server.close());
beforeEach(() => {
  seen.length = 0;
  warn.mockClear();
});

async function push(fn: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await rawRequest(
    `${server.url}/_polycloud/functions/${fn}/messages`,
    'POST',
    [['content-type', 'application/json']],
    Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  );
  return { status: res.status, json: JSON.parse(res.body.toString()) };
}

describe('a message batch pushed to a queue or topic function', () => {
  it('each entry becomes a message with its id, body, attributes, group and delivery count', async () => {
    const entry = {
      entryId: 'e-1',
      body: 'hello',
      attributes: { tenant: 'acme', trace: 'x' },
      groupId: 'customer-7',
      deliveryCount: 3,
    };
    const res = await push('orders', {
      entries: [entry, { entryId: 'e-2', bodyBase64: Buffer.from([0, 255, 1]).toString('base64') }],
    });
    expect(res).toEqual({
      status: 200,
      json: {
        statuses: [
          { entryId: 'e-1', status: 'SUCCESS' },
          { entryId: 'e-2', status: 'SUCCESS' },
        ],
      },
    });
    const [first, second] = seen;
    expect(first!.message.id).toBe('e-1');
    expect(first!.message.text()).toBe('hello');
    expect(first!.message.attributes).toEqual({ tenant: 'acme', trace: 'x' });
    expect(first!.message.groupId).toBe('customer-7');
    expect(first!.message.deliveryCount).toBe(3);
    expect(first!.message.source).toBe('orders');
    expect(first!.message.enqueuedAt).toBeInstanceOf(Date);
    expect(first!.requestId).toBe('e-1');
    expect(first!.raw).toEqual({ provider: 'node', batchEntry: entry });
    expect([...second!.message.body]).toEqual([0, 255, 1]);
    expect(second!.message.attributes).toEqual({});
    expect(second!.message.groupId).toBeUndefined();
    expect(second!.message.deliveryCount).toBe(1);
  });

  it('an entry without a body is an empty message; a topic function’s source is its topic', async () => {
    const res = await push('fanout', { entries: [{ entryId: 'only-id' }] });
    expect(res.json.statuses).toEqual([{ entryId: 'only-id', status: 'SUCCESS' }]);
    expect(seen[0]!.message.body.length).toBe(0);
    expect(seen[0]!.message.source).toBe('events');
  });

  it('statuses come back in the order sent; a failed handler is RETRY, the others SUCCESS', async () => {
    const res = await push('orders', {
      entries: [
        { entryId: 'c', body: 'ok 1' },
        { entryId: 'a', body: 'fail 2' },
        { entryId: 'b', body: 'ok 3' },
      ],
    });
    expect(res.json.statuses).toEqual([
      { entryId: 'c', status: 'SUCCESS' },
      { entryId: 'a', status: 'RETRY' },
      { entryId: 'b', status: 'SUCCESS' },
    ]);
  });

  it('an entry that cannot be decoded is RETRY with its reason logged; the rest of the batch still runs', async () => {
    const bad = [
      { entryId: 'b64', bodyBase64: 'not base64!' },
      { entryId: 'num', body: 42 },
      { entryId: 'obj', body: { a: 1 } },
      { entryId: 'attrs-array', attributes: ['a'] },
      { entryId: 'attrs-null', attributes: null },
      { entryId: 'attrs-text', attributes: 'a=1' },
      { entryId: 'attr-value', attributes: { n: 1 } },
      { entryId: 'count-0', deliveryCount: 0 },
      { entryId: 'count-neg', deliveryCount: -1 },
      { entryId: 'count-frac', deliveryCount: 1.5 },
      { entryId: 'count-text', deliveryCount: '2' },
      { entryId: 'group-num', groupId: 7 },
    ];
    const res = await push('orders', { entries: [{ entryId: 'good', body: 'ok' }, ...bad] });
    expect(res.status).toBe(200);
    expect(res.json.statuses).toEqual([
      { entryId: 'good', status: 'SUCCESS' },
      ...bad.map((e) => ({ entryId: e.entryId, status: 'RETRY' })),
    ]);
    expect(seen.map((s) => s.message.id)).toEqual(['good']);
    const reasons = Object.fromEntries(
      warn.mock.calls
        .filter(([line]) => line === 'undecodable message; answered RETRY')
        .map(([, fields]) => [fields?.entryId, fields?.error]),
    );
    expect(reasons).toEqual({
      b64: 'body.entries[1].bodyBase64: not valid base64',
      num: 'body.entries[2].body: must be a string (or use bodyBase64)',
      obj: 'body.entries[3].body: must be a string (or use bodyBase64)',
      'attrs-array': 'body.entries[4].attributes: must be an object',
      'attrs-null': 'body.entries[5].attributes: must be an object',
      'attrs-text': 'body.entries[6].attributes: must be an object',
      'attr-value': 'body.entries[7].attributes.n: must be a string',
      'count-0': 'body.entries[8].deliveryCount: must be a positive integer',
      'count-neg': 'body.entries[9].deliveryCount: must be a positive integer',
      'count-frac': 'body.entries[10].deliveryCount: must be a positive integer',
      'count-text': 'body.entries[11].deliveryCount: must be a positive integer',
      'group-num': 'body.entries[12].groupId: must be a string',
    });
    expect(
      warn.mock.calls.find(([line]) => line === 'undecodable message; answered RETRY')![1],
    ).toMatchObject({
      function: 'orders',
    });
  });

  it('bodyBase64 wins over body when both are sent', async () => {
    await push('orders', { entries: [{ entryId: 'both', bodyBase64: 'aGk=', body: 'ignored' }] });
    expect(seen[0]!.message.text()).toBe('hi');
  });

  it('ordered: true runs group by group: after a failure the rest of that group is RETRY unrun, other groups go on', async () => {
    const entries = [
      { entryId: '1', body: 'ok a1', groupId: 'a' },
      { entryId: '2', body: 'fail a2', groupId: 'a' },
      { entryId: '3', body: 'ok b1', groupId: 'b' },
      { entryId: '4', body: 'ok a3', groupId: 'a' },
    ];
    const ordered = await push('orders', { ordered: true, entries });
    expect(ordered.json.statuses.map((s: { status: string }) => s.status)).toEqual([
      'SUCCESS',
      'RETRY',
      'SUCCESS',
      'RETRY',
    ]);
    expect(seen.map((s) => s.message.id)).toEqual(['1', '2', '3']);
    seen.length = 0;
    // Without `ordered` (or with anything but true) entries are independent.
    for (const flag of [undefined, 'true', 1]) {
      const res = await push('orders', { ordered: flag, entries });
      expect(res.json.statuses.map((s: { status: string }) => s.status)).toEqual([
        'SUCCESS',
        'RETRY',
        'SUCCESS',
        'SUCCESS',
      ]);
    }
  });

  it('an unordered batch runs its messages concurrently, not one after another', async () => {
    partnerStarted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the second message never started')), 1000);
      startPartner = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const res = await push('orders', {
      entries: [
        { entryId: 'first', body: 'wait for partner' },
        { entryId: 'second', body: 'partner' },
      ],
    });
    expect(res.json.statuses).toEqual([
      { entryId: 'first', status: 'SUCCESS' },
      { entryId: 'second', status: 'SUCCESS' },
    ]);
  });

  it('a body that is not a batch is a 400 naming what is wrong, and nothing runs', async () => {
    for (const body of ['{}', '[]', 'null', '"entries"', '{"entries":{}}', '{"entries":"x"}']) {
      const res = await push('orders', body);
      expect(res, body).toEqual({
        status: 400,
        json: { error: 'body.entries: expected { entries: [...] }' },
      });
    }
    const malformed = await push('orders', '{"entries": [');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toMatch(/^body: malformed JSON/);
    expect(seen).toEqual([]);
  });

  it('an entry without a string entryId refuses the batch (its status could not be answered): 400 naming it', async () => {
    for (const entry of [{ body: 'x' }, { entryId: 5 }, null, 'e-1']) {
      const res = await push('orders', { entries: [{ entryId: 'fine', body: 'ok' }, entry] });
      expect(res).toEqual({
        status: 400,
        json: { error: 'body.entries[1].entryId: entryId must be a string' },
      });
    }
    expect(seen).toEqual([]);
  });

  it('an http function takes no message batch: 400 naming the function', async () => {
    const res = await push('page', { entries: [] });
    expect(res).toEqual({
      status: 400,
      json: { error: 'function: page is a http function, not a queue or topic function' },
    });
  });
});
