import type { CloudEvent } from '@polycloud/core';
import { cloudEventExtensions } from '@polycloud/core/cloud-events';
import { driverThrew, type ScenarioAssert } from '../contract-failure.ts';
import type { Outcome } from '../driver.ts';
import { PROBE_NAMES, PROBE_TRIGGERS, type RecordedEvent } from '../probe-app.ts';
import type { ContractScenario, ScenarioContext } from '../scenario.ts';
import { scenario } from './http-helpers.ts';

async function emit(
  t: ScenarioAssert,
  ctx: ScenarioContext,
  ev: CloudEvent,
): Promise<{ outcome: Outcome; seen: RecordedEvent | undefined }> {
  let outcome: Outcome;
  try {
    outcome = await ctx.session.event(PROBE_NAMES.event, ev);
  } catch (error) {
    throw driverThrew(t.scenario, `driver.event(${ev.id})`, error);
  }
  return { outcome, seen: ctx.recorder.events.findLast((r) => r.event.id === ev.id) };
}

function base(ctx: ScenarioContext, data: unknown): CloudEvent {
  return {
    specversion: '1.0',
    id: `ev-${ctx.nonce}`,
    source: '/polycloud/contract',
    type: PROBE_TRIGGERS.eventType,
    subject: 'orders/42',
    time: '2026-03-04T05:06:07.000Z',
    datacontenttype: 'application/json',
    data,
  };
}

export const eventScenarios: ContractScenario[] = [
  scenario(
    'event.attributes',
    'event',
    'CloudEvent context attributes and JSON data arrive',
    async (t, ctx) => {
      const ev = base(ctx, { hello: 'wörld', n: 7 });
      const { outcome, seen } = await emit(t, ctx, ev);
      t.equal(outcome.ok, true, `acknowledged (error: ${outcome.error ?? 'none'})`);
      const got = t.present(
        seen,
        'the handler saw the event',
        ev.id,
        ctx.recorder.events.slice(-2).map((r) => r.event.id),
      ).event;
      t.equal(
        {
          specversion: got.specversion,
          id: got.id,
          source: got.source,
          type: got.type,
          subject: got.subject,
          // Providers may re-serialise the timestamp (`.000Z` vs `Z`): compare the instant.
          time: typeof got.time === 'string' ? new Date(got.time).toISOString() : got.time,
          datacontenttype: got.datacontenttype?.split(';')[0],
          data: got.data,
        },
        { ...ev, datacontenttype: 'application/json' },
        'the CloudEvent',
      );
    },
  ),
  scenario('event.extensions', 'event', 'CloudEvent extension attributes arrive', async (t, ctx) => {
    const extensions = { tenant: 'acme', priority: '5', partitionkey: `p-${ctx.nonce}` };
    const ev = { ...base(ctx, { n: 1 }), ...extensions };
    const { outcome, seen } = await emit(t, ctx, ev);
    t.equal(outcome.ok, true, `acknowledged (error: ${outcome.error ?? 'none'})`);
    const got = cloudEventExtensions(
      t.present(seen, 'the handler saw the event', ev.id, 'no such event').event,
    );
    t.equal(
      Object.fromEntries(Object.keys(extensions).map((k) => [k, got[k]])),
      extensions,
      'extensions (extra provider extensions are allowed)',
    );
  }),
  scenario(
    'event.failure-reported',
    'event',
    'a handler failure is reported, not acknowledged',
    async (t, ctx) => {
      const { outcome, seen } = await emit(t, ctx, base(ctx, { fail: true }));
      t.equal(seen?.outcome, 'threw', 'the handler ran and threw');
      t.equal(outcome.ok, false, 'acknowledged');
    },
  ),
];
