import { Message } from '@polycloud/core';
import { toBase64 } from '@polycloud/core/adapter';

/** A neutral event as stable JSON for goldens: no `raw`, dates as ISO strings, bytes as base64. */
export function neutralJson(event: unknown): unknown {
  if (event instanceof Message) return JSON.parse(JSON.stringify(event.toJSON()));
  if (typeof event !== 'object' || event === null) return event;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) {
    if (k === 'raw' || v === undefined) continue;
    if (v instanceof Date) out[k] = v.toISOString();
    else if (v instanceof Uint8Array) out[`${k}_base64`] = toBase64(v);
    else out[k] = v;
  }
  return out;
}
