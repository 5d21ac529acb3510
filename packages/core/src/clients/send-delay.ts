/**
 * `SendOptions.delayMs` as the whole seconds every provider takes (SQS DelaySeconds, Storage Queue
 * visibility timeout, Cloud Tasks schedule time): rounding up never delivers a message early.
 * Out-of-range values are a RangeError naming the limit.
 */
export function delaySeconds(delayMs: unknown, maxMs: number, where: string, limit: string): number {
  // NaN fails both comparisons and an infinity the upper one: no separate finiteness test is needed.
  if (typeof delayMs === 'number' && delayMs >= 0 && delayMs <= maxMs) return Math.ceil(delayMs / 1000);
  throw new RangeError(`${where}: options.delayMs must be 0-${maxMs} (${limit})`);
}
