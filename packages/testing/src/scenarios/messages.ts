import { driverThrew, type ScenarioAssert } from '../contract-failure.ts';
import type { NeutralMessage } from '../driver.ts';
import { allByteValues, PROBE_NAMES, PROBE_TRIGGERS, type RecordedMessage } from '../probe-app.ts';
import type { ContractScenario, ScenarioContext } from '../scenario.ts';
import { scenario } from './http-helpers.ts';

type MessageKind = 'queue' | 'topic';
const utf8 = (s: string) => new TextEncoder().encode(s);

interface Delivery {
  /** Ids reported for redelivery, in batch order. */
  failed: string[];
  /** What the probe recorded for this batch's ids, by id (the last delivery wins). */
  seen: Map<string, RecordedMessage>;
}

/**
 * Delivers a batch and checks the invariant every batch must keep: a message the provider would
 * not redeliver was handled successfully (nothing is acknowledged unseen or after a failure).
 */
async function deliver(
  t: ScenarioAssert,
  ctx: ScenarioContext,
  kind: MessageKind,
  batch: NeutralMessage[],
  ordered = false,
): Promise<Delivery> {
  const fn = kind === 'queue' ? PROBE_NAMES.queue : PROBE_NAMES.topic;
  let reported: string[];
  try {
    reported = (await ctx.session.messages(fn, batch, { ordered })).failed;
  } catch (error) {
    throw driverThrew(t.scenario, `driver.messages(${fn}, ${batch.length} messages)`, error);
  }
  const ids = batch.map((m) => m.id);
  const unknown = reported.filter((id) => !ids.includes(id));
  t.equal(unknown, [], 'reported failed ids that are not in the batch');
  const failed = ids.filter((id) => reported.includes(id));
  const seen = new Map<string, RecordedMessage>();
  for (const r of ctx.recorder.messages) if (r.kind === kind && ids.includes(r.id)) seen.set(r.id, r);
  for (const id of ids) {
    if (failed.includes(id)) continue;
    const outcome = seen.get(id)?.outcome ?? 'never handled';
    t.equal(outcome, 'ok', `message ${id} was acknowledged, so its handler must have succeeded`);
  }
  return { failed, seen };
}

function messageScenarios(kind: MessageKind): ContractScenario[] {
  const source = kind === 'queue' ? PROBE_TRIGGERS.queue : PROBE_TRIGGERS.topic;
  const ids = (nonce: string, n: number) => Array.from({ length: n }, (_, i) => `${kind}-${nonce}-${i + 1}`);
  return [
    scenario(
      `${kind}.deliver`,
      kind,
      `a ${kind} message arrives with its id, body and source`,
      async (t, ctx) => {
        const [id] = ids(ctx.nonce, 1) as [string];
        const body = utf8(JSON.stringify({ hello: 'wörld', n: 1 }));
        const { failed, seen } = await deliver(t, ctx, kind, [{ id, body }]);
        t.equal(failed, [], 'failed ids');
        const got = seen.get(id)!;
        t.equal(
          { id: got.id, body: new TextDecoder().decode(got.body), source: got.source },
          { id, body: JSON.stringify({ hello: 'wörld', n: 1 }), source },
          'the message the handler saw',
        );
      },
    ),
    scenario(
      `${kind}.batch.partial-failure`,
      kind,
      'in a batch of 5 where 2 and 4 fail, exactly those are redelivered',
      async (t, ctx) => {
        const all = ids(ctx.nonce, 5);
        const batch = all.map((id, i) => ({
          id,
          body: utf8(JSON.stringify({ n: i + 1, fail: i === 1 || i === 3 })),
        }));
        const { failed, seen } = await deliver(t, ctx, kind, batch);
        t.equal(failed, [all[1], all[3]], 'redelivered (failed) ids');
        t.equal(
          all.map((id) => seen.get(id)?.outcome ?? 'never handled'),
          ['ok', 'threw', 'ok', 'threw', 'ok'],
          'handler outcome per message',
        );
      },
    ),
    scenario(
      `${kind}.fifo.group-failure`,
      kind,
      'in an ordered batch, a failure fails every later message of its group, unrun',
      async (t, ctx) => {
        const [m1, m2, m3, m4, m5] = ids(ctx.nonce, 5) as [string, string, string, string, string];
        const groups = { A: `a-${ctx.nonce}`, B: `b-${ctx.nonce}` };
        const batch: NeutralMessage[] = [
          { id: m1, groupId: groups.A, body: utf8('{"n":1}') },
          { id: m2, groupId: groups.A, body: utf8('{"n":2,"fail":true}') },
          { id: m3, groupId: groups.B, body: utf8('{"n":3}') },
          { id: m4, groupId: groups.A, body: utf8('{"n":4}') },
          { id: m5, groupId: groups.B, body: utf8('{"n":5}') },
        ];
        const { failed, seen } = await deliver(t, ctx, kind, batch, true);
        t.equal(
          { m1: failed.includes(m1), m2: failed.includes(m2), m4: failed.includes(m4) },
          { m1: false, m2: true, m4: true },
          'which of group A were redelivered (m1 succeeded; m2 failed; m4 follows m2)',
        );
        t.equal(
          seen.get(m4)?.outcome,
          undefined,
          'm4 ran although m2 of its group failed before it (outcome)',
        );
        t.equal(seen.get(m1)?.groupId, groups.A, 'group id the handler saw');
      },
    ),
    scenario(
      `${kind}.fifo.stop-at-first-failure`,
      kind,
      'in an ordered batch, the first failure stops the batch: it and every later message (any group) are redelivered, unrun',
      async (t, ctx) => {
        // AWS: "When using SQS FIFO queues with partial batch responses, stop processing messages after
        // the first failure and return all failed and unprocessed messages in batchItemFailures"
        // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html). Providers whose
        // ordering is per key/session declare this scenario unsupported, citing their documentation.
        const [m1, m2, m3, m4, m5] = ids(ctx.nonce, 5) as [string, string, string, string, string];
        const groups = { A: `a-${ctx.nonce}`, B: `b-${ctx.nonce}` };
        const batch: NeutralMessage[] = [
          { id: m1, groupId: groups.A, body: utf8('{"n":1}') },
          { id: m2, groupId: groups.B, body: utf8('{"n":2}') },
          { id: m3, groupId: groups.A, body: utf8('{"n":3,"fail":true}') },
          { id: m4, groupId: groups.B, body: utf8('{"n":4}') },
          { id: m5, groupId: groups.A, body: utf8('{"n":5}') },
        ];
        const { failed, seen } = await deliver(t, ctx, kind, batch, true);
        t.equal(failed, [m3, m4, m5], 'redelivered ids: the failure and everything after it, in order');
        t.equal(
          [m1, m2, m3, m4, m5].map((id) => seen.get(id)?.outcome ?? 'never handled'),
          ['ok', 'ok', 'threw', 'never handled', 'never handled'],
          'handler outcome per message (nothing after the failure runs, whatever its group)',
        );
      },
    ),
    scenario(`${kind}.attributes`, kind, 'message attributes arrive unchanged', async (t, ctx) => {
      const [id] = ids(ctx.nonce, 1) as [string];
      const attributes = { 'trace-id': `t-${ctx.nonce}`, unicode: 'héllo ✓ 日本', spaced: 'a b  c' };
      const { failed, seen } = await deliver(t, ctx, kind, [{ id, body: utf8('{}'), attributes }]);
      t.equal(failed, [], 'failed ids');
      const got = seen.get(id)!.attributes;
      t.equal(
        Object.fromEntries(Object.keys(attributes).map((k) => [k, got[k]])),
        attributes,
        'attributes (extra provider attributes are allowed)',
      );
    }),
    scenario(`${kind}.delivery-count`, kind, 'the delivery count arrives', async (t, ctx) => {
      const [id] = ids(ctx.nonce, 1) as [string];
      const { failed, seen } = await deliver(t, ctx, kind, [{ id, body: utf8('{}'), deliveryCount: 3 }]);
      t.equal(failed, [], 'failed ids');
      t.equal(seen.get(id)!.deliveryCount, 3, 'deliveryCount');
    }),
    scenario(
      `${kind}.body.binary`,
      kind,
      'a binary body (all 256 byte values) arrives byte-exact',
      async (t, ctx) => {
        const [id] = ids(ctx.nonce, 1) as [string];
        const { failed, seen } = await deliver(t, ctx, kind, [{ id, body: allByteValues() }]);
        t.equal(failed, [], 'failed ids');
        t.bytes(seen.get(id)!.body, allByteValues(), 'body bytes');
      },
    ),
  ];
}

export const queueScenarios = messageScenarios('queue');
export const topicScenarios = messageScenarios('topic');
