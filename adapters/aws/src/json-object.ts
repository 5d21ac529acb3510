/** Lambda hands every event over as plain JSON. */
export type JsonObject = Record<string, unknown>;

/** @coldStart */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
