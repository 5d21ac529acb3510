import { FUNCTION_KINDS, type FunctionKind } from '@polycloud/core/adapter';
import { driverThrew } from '../contract-failure.ts';
import { PROBE_NAMES } from '../probe-app.ts';
import type { ContractScenario } from '../scenario.ts';
import { findLeak } from '../stack-leaks.ts';
import { scenario } from './http-helpers.ts';

const TARGET: Record<FunctionKind, string> = {
  http: PROBE_NAMES.http,
  queue: PROBE_NAMES.queue,
  topic: PROBE_NAMES.topic,
  storage: PROBE_NAMES.storage,
  schedule: PROBE_NAMES.schedule,
  event: PROBE_NAMES.event,
};

export const malformedScenarios: ContractScenario[] = FUNCTION_KINDS.map((kind) =>
  scenario(
    `malformed.${kind}`,
    'malformed',
    kind === 'http'
      ? 'malformed native http input answers 400 without a stack trace'
      : `malformed native ${kind} input is rejected (not acknowledged), never an uncaught exception`,
    async (t, ctx) => {
      let outcome: Awaited<ReturnType<typeof ctx.session.malformed>>;
      try {
        outcome = await ctx.session.malformed(kind, TARGET[kind]);
      } catch (error) {
        throw driverThrew(t.scenario, `driver.malformed(${kind})`, error);
      }
      if (kind === 'http') t.equal(outcome.status, 400, 'status');
      else t.equal(outcome.ok, false, 'acknowledged');
      const visible = `${outcome.body ?? ''}\n${outcome.error ?? ''}`;
      const leak = findLeak(visible);
      t.ok(leak === undefined, 'no stack trace in what the provider sees', 'no stack trace', leak);
    },
  ),
);
