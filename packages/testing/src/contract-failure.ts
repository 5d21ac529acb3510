import { AssertionError } from 'node:assert';
import { inspect, isDeepStrictEqual } from 'node:util';

/**
 * A scenario failed: the message starts with `[scenario id]`, says what was compared, and shows
 * expected vs actual (vitest also renders a diff from `expected`/`actual`).
 */
export class ContractFailure extends AssertionError {
  readonly scenario: string;
  constructor(scenario: string, what: string, expected: unknown, actual: unknown, detail?: string) {
    super({
      message: `[${scenario}] ${what}${detail ? ` (${detail})` : ''}\n  expected: ${show(expected)}\n  actual:   ${show(actual)}`,
      expected: printable(expected),
      actual: printable(actual),
      operator: 'deepStrictEqual',
    });
    this.scenario = scenario;
  }
}

/** The driver or the adapter threw where it must answer: reported as the scenario's failure. */
export function driverThrew(scenario: string, step: string, error: unknown): ContractFailure {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const failure = new ContractFailure(scenario, `${step} threw instead of answering`, 'an answer', text);
  failure.cause = error;
  return failure;
}

/** Assertions bound to one scenario id, so every failure names it. */
export class ScenarioAssert {
  constructor(readonly scenario: string) {}

  equal<T>(actual: T, expected: T, what: string): void {
    if (!isDeepStrictEqual(normalise(actual), normalise(expected))) {
      throw new ContractFailure(this.scenario, what, expected, actual);
    }
  }

  bytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
    if (actual.length === expected.length && Buffer.from(actual).equals(Buffer.from(expected))) return;
    let first = 0;
    while (first < Math.min(actual.length, expected.length) && actual[first] === expected[first]) first++;
    throw new ContractFailure(
      this.scenario,
      what,
      describeBytes(expected, first),
      describeBytes(actual, first),
      `lengths ${expected.length} vs ${actual.length}, first difference at byte ${first}`,
    );
  }

  ok(condition: boolean, what: string, expected: unknown, actual: unknown): void {
    if (!condition) throw new ContractFailure(this.scenario, what, expected, actual);
  }

  /** Returns `value` when present; otherwise fails showing `expected` vs `actual`. */
  present<T>(value: T | undefined, what: string, expected: unknown, actual: unknown): T {
    if (value === undefined) throw new ContractFailure(this.scenario, what, expected, actual);
    return value;
  }

  fail(what: string, expected: unknown, actual: unknown): never {
    throw new ContractFailure(this.scenario, what, expected, actual);
  }
}

function describeBytes(bytes: Uint8Array, around: number): string {
  const from = Math.max(0, around - 4);
  const slice = Array.from(bytes.subarray(from, from + 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes, from byte ${from}: ${slice || '(none)'}`;
}

/** Byte arrays compare by content whatever their concrete class (Buffer vs Uint8Array). */
function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: Array.from(value) };
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === null) {
    return normalise({ ...value });
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalise(v);
    return out;
  }
  return value;
}

function printable(value: unknown): unknown {
  return value instanceof Uint8Array ? `<${value.length} bytes>` : value;
}

function show(value: unknown): string {
  const text =
    typeof value === 'string' ? JSON.stringify(value) : inspect(value, { depth: 6, breakLength: Infinity });
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} chars)` : text;
}
