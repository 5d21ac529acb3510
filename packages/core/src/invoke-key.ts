/** Marks a direct invocation (Lambda Invoke payload) so the target adapter can tell it from provider events. */
export const INVOKE_ENVELOPE_KEY = 'polycloud:invoke';
export interface InvokeEnvelope {
  [INVOKE_ENVELOPE_KEY]: { function: string; payload?: unknown };
}
export function isInvokeEnvelope(value: unknown): value is InvokeEnvelope {
  return typeof value === 'object' && value !== null && INVOKE_ENVELOPE_KEY in value;
}
