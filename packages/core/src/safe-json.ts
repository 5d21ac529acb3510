import { InvalidEventError } from './errors.ts';

/**
 * JSON.parse that drops `__proto__` and `constructor` keys: JSON.parse itself creates an own
 * `__proto__` property, which a later `Object.assign`/spread in user code turns into prototype
 * pollution.
 */
export function parseJson(text: string, what = 'body'): unknown {
  try {
    // The reviver costs a call per value: skip it when no key can be dangerous. `\u` too, since
    // JSON.parse turns "\u005f_proto__" into "__proto__".
    // Stryker disable next-line ConditionalExpression,StringLiteral: a fast path; the reviver returns every value unchanged unless the text holds one of these strings, so parsing with it always gives the same value
    if (!text.includes('__proto__') && !text.includes('constructor') && !text.includes('\\u'))
      return JSON.parse(text);
    return JSON.parse(text, stripDangerousKeys);
  } catch (error) {
    throw new InvalidEventError(`malformed JSON (${(error as Error).message})`, what);
  }
}

function stripDangerousKeys(key: string, value: unknown): unknown {
  return key === '__proto__' || key === 'constructor' ? undefined : value;
}
