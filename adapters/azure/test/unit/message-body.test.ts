/**
 * The message body follows the binding's declared encoding, never a guess. Storage Queue text is
 * base64-decoded by the host (host.json `extensions.queues.messageEncoding`, default and declared
 * `base64`: "By default messages received from the queue are expected to be Base64-encoded and are
 * decoded before calling the function" — Microsoft.Azure.WebJobs.Extensions.Storage.Queues,
 * QueueTriggerAttribute, and the Azure Functions Queue storage trigger docs, host.json settings,
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#host-json);
 * Service Bus bodies are handed over as they were sent. Either way the worker receives the payload
 * itself, so text that happens to be valid base64 (`ping`, `test`, `order-42`) must reach the handler
 * as that text. Every case goes through @azure/functions' own invocation model (getArguments →
 * fromRpcTypedData), as the host drives it.
 */
import '../support/host/functions-core.ts';
import { defineApp, type Message, queue } from '@polycloud/core';
import { fromUtf8, toBase64 } from '@polycloud/core/adapter';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { handle } from '../../src/index.ts';
import { registered } from '../support/host/functions-core.ts';
import { invokeHost, typed } from '../support/host/host.ts';
import type { RpcTypedData } from '../support/host/rpc.ts';

const seen: Message[] = [];
const app = defineApp({
  name: 'bodies',
  functions: {
    sq: queue('orders', (m) => {
      seen.push(m);
    }),
    sbq: queue('payments', (m) => void seen.push(m), {
      providers: { azure: { queue: 'serviceBus', connection: 'SB_CONN' } },
    }),
  },
});
handle(app, { config: { app: 'bodies', provider: 'azure', providers: { azure: {} } }, env: {} });

async function deliver(fn: 'sq' | 'sbq', data: RpcTypedData): Promise<Message> {
  const before = seen.length;
  const meta: Record<string, RpcTypedData> =
    fn === 'sq'
      ? { Id: typed('q-1'), DequeueCount: { json: '1' } }
      : { MessageId: typed('m-1'), DeliveryCount: { json: '1' } };
  const out = await invokeHost(fn, { data, triggerMetadata: meta });
  expect(out.ok, out.error).toBe(true);
  expect(seen.length).toBe(before + 1);
  return seen.at(-1)!;
}

const BASE64_LOOKING_TEXT = ['ping', 'test', 'order-42', 'abcd', 'QUJD'];

describe('text that is also valid base64 reaches the handler as that text', () => {
  for (const fn of ['sq', 'sbq'] as const) {
    for (const text of BASE64_LOOKING_TEXT) {
      test(`${fn === 'sq' ? 'Storage Queue' : 'Service Bus'}: ${JSON.stringify(text)}`, async () => {
        // The sanity check that this case means something: the text does decode as base64.
        expect(Buffer.from(text, 'base64').length).toBeGreaterThan(0);
        const m = await deliver(fn, { string: text });
        expect(m.text()).toBe(text);
        expect([...m.body]).toEqual([...Buffer.from(text, 'utf8')]);
      });
    }
  }

  test('property: any non-JSON base64 string arrives unchanged on both triggers', async () => {
    const notJson = (s: string) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.base64String({ minLength: 4, maxLength: 64 }).filter(notJson),
        fc.constantFrom('sq' as const, 'sbq' as const),
        async (text, fn) => {
          const m = await deliver(fn, { string: text });
          expect(m.text()).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('bytes (dataType binary) stay bytes, exactly', () => {
  test('bytes that are the ASCII of base64 text are not decoded', async () => {
    for (const fn of ['sq', 'sbq'] as const) {
      const bytes = new Uint8Array(Buffer.from('cGluZw==', 'utf8'));
      const m = await deliver(fn, { bytes });
      expect(fromUtf8(m.body)).toBe('cGluZw==');
    }
  });

  test('arbitrary binary is handed over byte for byte', async () => {
    const bytes = new Uint8Array([0, 255, 1, 128, 10, 13]);
    for (const fn of ['sq', 'sbq'] as const) {
      const m = await deliver(fn, { bytes });
      expect(toBase64(m.body)).toBe(toBase64(bytes));
    }
  });
});

describe('the declared encoding', () => {
  test('queue triggers declare no dataType of their own: the host sends the decoded text as a string', () => {
    for (const name of ['sq', 'sbq']) {
      const binding = Object.values(registered(name).metadata.bindings).find((b) =>
        /Trigger$/.test(String(b.type)),
      )!;
      expect(binding.dataType).toBeUndefined();
    }
  });

  test('the queue client writes base64 of the bytes, which the declared messageEncoding decodes back to the text', () => {
    // What the host does with messageEncoding "base64" before the worker sees the message:
    const onTheWire = Buffer.from('ping', 'utf8').toString('base64');
    expect(onTheWire).toBe('cGluZw==');
    expect(Buffer.from(onTheWire, 'base64').toString('utf8')).toBe('ping');
  });

  test('JSON text arrives as its value (the library parses it); its meaning is kept', async () => {
    const m = await deliver('sbq', { string: '{"order":42}' });
    expect(m.json()).toEqual({ order: 42 });
  });
});
