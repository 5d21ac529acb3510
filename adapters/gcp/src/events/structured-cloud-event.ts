import { type CloudEvent, InvalidEventError } from '@polycloud/core';
import { cloudEventFromJson, EXTENSION_NAME } from '@polycloud/core/cloud-events';

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
    // A name with capitals whose lower-case form is a valid extension name and not sent as well. (A
    // lower-case name always finds itself in `input`, so it stays as it is, context attributes too.)
    ev[!(lower in input) && EXTENSION_NAME.test(lower) ? lower : key] = input[key];
  }
  return cloudEventFromJson(ev, where);
}
