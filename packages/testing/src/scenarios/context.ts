import type { ScenarioAssert } from '../contract-failure.ts';
import { PROBE_NAMES, PROBE_TRIGGERS, ProbeService } from '../probe-app.ts';
import type { ContractScenario, ScenarioContext } from '../scenario.ts';
import { json, scenario, send } from './http-helpers.ts';

interface ContextReport {
  requestId: unknown;
  deadline: number;
  startedAt: number;
  remainingMs: number;
  aborted: boolean;
  abortedAt: number | null;
  service: string;
}

async function report(t: ScenarioAssert, ctx: ScenarioContext, wait = false): Promise<ContextReport> {
  const res = await send(t, ctx, PROBE_NAMES.context, {
    method: 'GET',
    path: '/context',
    query: wait ? [['wait', 'signal']] : [],
  });
  t.equal(res.status, 200, 'status of GET /context');
  return json<ContextReport>(t, res, 'context report');
}

export const contextScenarios: ContractScenario[] = [
  scenario(
    'context.request-id',
    'context',
    'each invocation has its own non-empty request id',
    async (t, ctx) => {
      const a = await report(t, ctx);
      const b = await report(t, ctx);
      t.ok(
        typeof a.requestId === 'string' && a.requestId !== '',
        'request id',
        'a non-empty string',
        a.requestId,
      );
      t.ok(a.requestId !== b.requestId, 'two invocations have different request ids', 'different ids', [
        a.requestId,
        b.requestId,
      ]);
    },
  ),
  scenario(
    'context.deadline',
    'context',
    `the deadline is in the future and within the function's timeoutMs (${PROBE_TRIGGERS.contextTimeoutMs})`,
    async (t, ctx) => {
      const r = await report(t, ctx);
      t.ok(r.deadline > r.startedAt, 'deadline is after the handler started', `> ${r.startedAt}`, r.deadline);
      t.ok(
        r.remainingMs > 0 && r.remainingMs <= PROBE_TRIGGERS.contextTimeoutMs,
        'remainingMs at handler start',
        `in (0, ${PROBE_TRIGGERS.contextTimeoutMs}]`,
        r.remainingMs,
      );
    },
  ),
  scenario('context.signal-aborts', 'context', 'ctx.signal aborts before the deadline', async (t, ctx) => {
    const r = await report(t, ctx, true);
    t.equal(r.aborted, true, 'ctx.signal aborted while the handler waited');
    t.ok(
      r.abortedAt !== null && r.abortedAt < r.deadline,
      'abort time vs deadline',
      `< ${r.deadline}`,
      r.abortedAt,
    );
  }),
  scenario(
    'context.get-rebound',
    'context',
    'ctx.get resolves a service the test rebinds in the container',
    async (t, ctx) => {
      // After the first report: the container is built on the app's first invocation.
      t.equal((await report(t, ctx)).service, 'default', 'service before rebinding');
      const container = ctx.session.runtime.container;
      const name = `rebound-${ctx.nonce}`;
      container.rebind(ProbeService).toConstantValue({ name });
      try {
        t.equal((await report(t, ctx)).service, name, 'service after container.rebind');
      } finally {
        container.rebind(ProbeService).toConstantValue({ name: 'default' });
      }
    },
  ),
];
