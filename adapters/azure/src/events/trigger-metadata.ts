/**
 * Readers for `context.triggerMetadata`. The host sends each value as typed data; @azure/functions
 * JSON-parses strings and lower-cases the first letter of every key, recursively (`DequeueCount` →
 * `dequeueCount`, and an application property `Tenant` → `tenant`).
 */
export type TriggerMetadata = Record<string, unknown> | undefined;

export function metaString(meta: TriggerMetadata, key: string): string | undefined {
  const value = meta?.[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * A delivery count: a whole number from 1. Anything else (`Number('')` and `Number(' ')` are 0, a
 * fraction, a negative) is unreadable, so the message reads as a first delivery rather than as a
 * count no broker sends.
 */
export function metaCount(meta: TriggerMetadata, key: string): number | undefined {
  const value = meta?.[key];
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

export function metaDate(meta: TriggerMetadata, key: string): Date | undefined {
  return toDate(meta?.[key]);
}

export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Properties as neutral string attributes: strings as they are, anything else as JSON. */
export function attributesOf(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    // An own `__proto__` key (JSON.parse makes one) would set the object's prototype instead.
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent today (the value assigned is a string, which the __proto__ setter ignores); kept so the rule does not rest on that quirk
    if (k === '__proto__') continue;
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}
