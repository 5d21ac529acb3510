import type { StorageEventType } from '@polycloud/core';
import { driverThrew, type ScenarioAssert } from '../contract-failure.ts';
import type { NeutralStorageChange, Outcome } from '../driver.ts';
import { FAIL_STORAGE_MARKER, PROBE_NAMES, PROBE_TRIGGERS, type RecordedStorage } from '../probe-app.ts';
import type { ContractScenario, ScenarioContext } from '../scenario.ts';
import { scenario } from './http-helpers.ts';

async function notify(
  t: ScenarioAssert,
  ctx: ScenarioContext,
  change: NeutralStorageChange,
): Promise<{ outcome: Outcome; seen: RecordedStorage | undefined }> {
  let outcome: Outcome;
  try {
    outcome = await ctx.session.storage(PROBE_NAMES.storage, change);
  } catch (error) {
    throw driverThrew(t.scenario, `driver.storage(${change.type} ${JSON.stringify(change.key)})`, error);
  }
  const seen = ctx.recorder.storage.findLast((r) => r.key === change.key && r.type === change.type);
  return { outcome, seen };
}

/** Delivers one change and checks the handler saw exactly this type, bucket and key. */
async function roundTrip(
  t: ScenarioAssert,
  ctx: ScenarioContext,
  type: StorageEventType,
  key: string,
  size?: number,
): Promise<void> {
  const change: NeutralStorageChange = { type, bucket: PROBE_TRIGGERS.bucket, key };
  if (size !== undefined) change.size = size;
  const { outcome, seen } = await notify(t, ctx, change);
  t.equal(outcome.ok, true, `acknowledged (error: ${outcome.error ?? 'none'})`);
  const candidates = ctx.recorder.storage.slice(-3).map((r) => ({ type: r.type, key: r.key }));
  const record = t.present(
    seen,
    'the handler saw the object key exactly (decoded once)',
    { type, key },
    candidates,
  );
  const got: Record<string, unknown> = { type: record.type, bucket: record.bucket, key: record.key };
  const want: Record<string, unknown> = { type, bucket: PROBE_TRIGGERS.bucket, key };
  if (size !== undefined) {
    got.size = record.size;
    want.size = size;
  }
  t.equal(got, want, 'the storage event');
}

const key = (ctx: ScenarioContext, name: string) => `contract-${ctx.nonce}/${name}`;

export const storageScenarios: ContractScenario[] = [
  scenario(
    'storage.created',
    'storage',
    'an object-created event arrives with bucket, key and size',
    (t, ctx) => roundTrip(t, ctx, 'created', key(ctx, 'report.csv'), 1234),
  ),
  scenario('storage.deleted', 'storage', 'an object-deleted event arrives with bucket and key', (t, ctx) =>
    roundTrip(t, ctx, 'deleted', key(ctx, 'old.csv')),
  ),
  scenario(
    'storage.archived',
    'storage',
    'an object moved to an archive class arrives as archived (not deleted, not created)',
    (t, ctx) => roundTrip(t, ctx, 'archived', key(ctx, 'cold/2025.log')),
  ),
  scenario(
    'storage.metadataUpdated',
    'storage',
    "a change to an object's metadata arrives as metadataUpdated (not created)",
    (t, ctx) => roundTrip(t, ctx, 'metadataUpdated', key(ctx, 'tagged/photo.png')),
  ),
  scenario('storage.key.space', 'storage', 'a key with spaces arrives decoded exactly once', (t, ctx) =>
    roundTrip(t, ctx, 'created', key(ctx, 'my folder/a  file name.txt')),
  ),
  scenario('storage.key.plus', 'storage', 'a key with a literal `+` keeps it (not a space)', (t, ctx) =>
    roundTrip(t, ctx, 'created', key(ctx, 'a+b/c+d e.txt')),
  ),
  scenario('storage.key.unicode', 'storage', 'a unicode key arrives decoded exactly once', (t, ctx) =>
    roundTrip(t, ctx, 'created', key(ctx, 'unicodé/日本/😀.txt')),
  ),
  scenario(
    'storage.key.percent',
    'storage',
    'a key with literal `%` and `%20` text keeps them (decoded exactly once)',
    (t, ctx) => roundTrip(t, ctx, 'created', key(ctx, '100%/x%20y%2Bz.txt')),
  ),
  scenario(
    'storage.failure-reported',
    'storage',
    'a handler failure is reported, not acknowledged',
    async (t, ctx) => {
      const change: NeutralStorageChange = {
        type: 'created',
        bucket: PROBE_TRIGGERS.bucket,
        key: key(ctx, `${FAIL_STORAGE_MARKER}.txt`),
      };
      const { outcome, seen } = await notify(t, ctx, change);
      t.equal(seen?.outcome, 'threw', 'the handler ran and threw');
      t.equal(outcome.ok, false, 'acknowledged');
    },
  ),
];
