// Started as a child process by the hardening tests: a real server with short, test-sized limits.
import { defineApp, http, Queue, queue } from '@polycloud/core';
import { handle } from '../../src/index.ts';

const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const app = defineApp({
  functions: {
    fast: http('GET /fast', () => ({ ok: true })),
    slow: http('GET /slow', async () => {
      out({ started: 'slow' });
      await sleep(600);
      return { done: true };
    }),
    hang: http(
      'GET /hang',
      (_req, ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener('abort', () =>
            out({ aborted: 'hang', reason: String(ctx.signal.reason) }),
          );
        }),
      { timeoutMs: 1500 },
    ),
    enqueue: http('POST /enqueue/:queue', async (req, ctx) => {
      const { id } = await ctx.get(Queue).send(req.params.queue!, req.text());
      return { id };
    }),
    stuck: queue(
      'stuck',
      (m) =>
        new Promise(() => {
          out({ started: m.id });
        }),
      { timeoutMs: 60_000 },
    ),
    hangOnce: queue(
      'hang-once',
      async (m, ctx) => {
        if (m.deliveryCount === 1) {
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
          out({ abortedDelivery: m.id, deliveryCount: m.deliveryCount });
          await new Promise(() => undefined);
        }
        out({ handled: m.id, deliveryCount: m.deliveryCount });
      },
      { timeoutMs: 1000 },
    ),
  },
});

const server = await handle(app, {
  port: 0,
  drainTimeoutMs: Number(process.env.DRAIN_MS ?? 3000),
  timeouts: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 },
  broker: { retryDelayMs: () => 50 },
});
out({ listening: server.url });
