import { type CloudEvent, InvalidEventError } from '@polycloud/core';
import { CLOUD_EVENT_ATTRIBUTES, cloudEventFromJson, EXTENSION_NAME } from '@polycloud/core/adapter';

/**
 * A structured-mode CloudEvent (JSON object) → neutral CloudEvent, normalised so that the same
 * event gives the same result in binary and structured mode. Core's `cloudEventFromJson` does the
 * JSON format (null attributes are absent, typed extension values, `data_base64` read by content
 * type); the one Google quirk handled here: Google's structured samples use camelCase extensions
 * (`methodName`, `resourceName`) while binary mode delivers them as lower-case `ce-*` headers, so
 * they are lower-cased (unless the lower-case name is present too).
 */
export function fromStructuredObject(value: unknown, where = 'body'): CloudEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidEventError('a CloudEvent must be a JSON object', where);
  const input = value as Record<string, unknown>;
  const ev: Record<string, unknown> = {};
  for (const key in input) {
    const lower = key.toLowerCase();
    const camelCase =
      !CLOUD_EVENT_ATTRIBUTES.has(key) && !EXTENSION_NAME.test(key) && EXTENSION_NAME.test(lower);
    ev[camelCase && !(lower in input) ? lower : key] = input[key];
  }
  return cloudEventFromJson(ev, where);
}
