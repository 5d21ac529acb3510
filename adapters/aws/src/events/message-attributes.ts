import { isObject } from './records-source.ts';

/**
 * SQS `messageAttributes` (`{ stringValue | binaryValue, dataType }`) and SNS `MessageAttributes`
 * (`{ Type, Value }`) as plain strings; binary values stay base64 as Lambda delivers them.
 */
export function sqsMessageAttributes(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  let out: Record<string, string> | undefined;
  for (const name in value) {
    const attr = value[name];
    if (!isObject(attr)) continue;
    const v = typeof attr.stringValue === 'string' ? attr.stringValue : attr.binaryValue;
    if (typeof v === 'string') {
      out ??= {};
      out[name] = v;
    }
  }
  return out;
}

export function snsMessageAttributes(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  let out: Record<string, string> | undefined;
  for (const name in value) {
    const attr = value[name];
    if (isObject(attr) && typeof attr.Value === 'string') {
      out ??= {};
      out[name] = attr.Value;
    }
  }
  return out;
}
