/**
 * A tiny app for the serverless-offline end-to-end test: `caller` reaches the other functions only
 * through the FunctionClient (Lambda Invoke against serverless-offline's Lambda endpoint).
 */
import { writeFileSync } from 'node:fs';
import {
  defineApp,
  event,
  FunctionClient,
  FunctionInvokeError,
  HttpError,
  http,
  queue,
} from '@polycloud/core';

interface CallRequest {
  mode: 'sync' | 'async' | 'throw';
  n?: number;
  file?: string;
  reason?: string;
}

export default defineApp({
  name: 'offline',
  functions: {
    caller: http('POST /call', async (req, ctx) => {
      const body = req.json() as CallRequest;
      const functions = ctx.get(FunctionClient);
      switch (body.mode) {
        case 'sync':
          return { result: await functions.invoke('callee', { n: body.n }) };
        case 'async':
          return {
            result: await functions.invoke('recorder', { file: body.file, at: 'async' }, { async: true }),
          };
        case 'throw':
          try {
            await functions.invoke('thrower', { reason: body.reason });
            return { thrown: false };
          } catch (error) {
            if (!(error instanceof FunctionInvokeError)) throw error;
            return {
              thrown: true,
              name: error.name,
              functionName: error.functionName,
              errorType: error.errorType,
              errorMessage: error.errorMessage,
            };
          }
        default:
          throw new HttpError(400, 'mode must be sync, async or throw');
      }
    }),
    callee: http('POST /callee', (req, ctx) => {
      const { n } = req.json() as { n: number };
      return { doubled: n * 2, by: ctx.functionName, provider: ctx.provider };
    }),
    recorder: queue('offline-records', (message) => {
      const { file, at } = message.json() as { file: string; at: string };
      writeFileSync(file, JSON.stringify({ at, messageId: message.id, source: message.source }));
    }),
    // Several Set-Cookie values must stay separate (v2 answers in `cookies`). Run by aws-lambda-ric in
    // e2e-ric.test.ts only: serverless-offline hands "value; attributes" to hapi as one cookie value,
    // which hapi rejects with a 500, so no Set-Cookie with attributes survives that emulator.
    cookies: http('GET /cookies', () => ({
      status: 200,
      cookies: ['session=abc; Path=/; HttpOnly', 'theme=dark; Max-Age=3600', 'lang=en, fr'],
      body: { ok: true },
    })),
    item: http('GET /items/:id', (req) => {
      throw new HttpError(404, `no item ${req.params.id}`);
    }),
    thrower: event({ type: 'offline.throw' }, (ev) => {
      throw new RangeError(`thrower refuses: ${(ev.data as { reason: string }).reason}`);
    }),
  },
});
