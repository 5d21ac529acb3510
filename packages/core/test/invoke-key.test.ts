/**
 * The direct-invocation envelope (`{ "polycloud:invoke": { function, payload } }`, a Lambda Invoke
 * payload) and the request ids minted for invocations a provider gave none.
 */
import { describe, expect, it } from 'vitest';
import { INVOKE_ENVELOPE_KEY, isInvokeEnvelope, newRequestId } from '../src/adapter.ts';

describe('isInvokeEnvelope', () => {
  it('recognises the envelope key, and only on an object', () => {
    expect(INVOKE_ENVELOPE_KEY).toBe('polycloud:invoke');
    expect(isInvokeEnvelope({ 'polycloud:invoke': { function: 'price', payload: 1 } })).toBe(true);
    for (const value of [null, undefined, 'polycloud:invoke', 42, {}, { invoke: {} }, { Records: [] }]) {
      expect(isInvokeEnvelope(value)).toBe(false);
    }
  });
});

describe('newRequestId', () => {
  it('is a fresh random UUID each call', () => {
    const ids = new Set(Array.from({ length: 20 }, () => newRequestId()));
    expect(ids.size).toBe(20);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
