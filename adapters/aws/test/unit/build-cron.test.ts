import { describe, expect, it } from 'vitest';
import { toEventBridgeCron } from '../../src/build/sam-cron.ts';

describe('5-field cron → EventBridge cron()', () => {
  it.each([
    ['*/5 * * * *', 'cron(0/5 * * * ? *)'],
    ['0 3 * * *', 'cron(0 3 * * ? *)'],
    ['15 10 1 * *', 'cron(15 10 1 * ? *)'],
    ['0 9 * * 1-5', 'cron(0 9 ? * 2-6 *)'],
    ['0 9 * * MON-FRI', 'cron(0 9 ? * 2-6 *)'],
    // cron Sunday is 0 or 7, EventBridge Sunday is 1
    ['0 0 * * 0', 'cron(0 0 ? * 1 *)'],
    ['0 0 * * 7', 'cron(0 0 ? * 1 *)'],
    ['0 0 * * 5-7', 'cron(0 0 ? * 1,6-7 *)'],
    ['0 0 * * sat,sun', 'cron(0 0 ? * 1,7 *)'],
    ['0 0 * * 0-6', 'cron(0 0 * * ? *)'],
    ['0 0 * * */2', 'cron(0 0 ? * 1,3,5,7 *)'],
    ['0 12 */2 JAN,JUL *', 'cron(0 12 1/2 JAN,JUL ? *)'],
    ['30 6 1,15 */3 *', 'cron(30 6 1,15 1/3 ? *)'],
  ])('%s → %s', (cron, expected) => {
    expect(toEventBridgeCron(cron)).toBe(expected);
  });

  it('refuses a cron that restricts both day fields, naming the schedule', () => {
    expect(() => toEventBridgeCron('0 0 1 * 1', 'function nightly')).toThrow(
      /function nightly: "0 0 1 \* 1" restricts both day-of-month and day-of-week/,
    );
  });

  it.each([
    ['60 * * * *', /minute "60".*not in 0-59/],
    ['0 24 * * *', /hour "24".*not in 0-23/],
    ['0 0 0 * *', /day-of-month "0".*not in 1-31/],
    ['0 0 * 13 *', /month "13".*not in 1-12/],
    ['0 0 * * 8', /day-of-week "8".*not in 0-7/],
    ['0 0 * * FUNDAY', /day-of-week "FUNDAY"/],
    ['*/0 * * * *', /step must be at least 1/],
    ['0 5-1 * * *', /runs backwards/],
    ['0 0 * *', /must have 5 fields/],
  ])('rejects %s', (cron, message) => {
    expect(() => toEventBridgeCron(cron)).toThrow(message);
  });
});
