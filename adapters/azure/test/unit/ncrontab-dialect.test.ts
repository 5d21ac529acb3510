/**
 * Five-field cron as Azure's six-field NCRONTAB, checked against Microsoft's description of the timer
 * trigger's expressions (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions):
 * `{second} {minute} {hour} {day} {month} {day-of-week}`, each field `*`, a value, a range `a-b`, a list
 * `a,b` or a step `/n`; month and day names as three-letter abbreviations; day-of-week 0-6 with 0 Sunday.
 * Cron's own rules (day-of-week 7 is Sunday; day-of-month OR day-of-week when both are restricted) come
 * from crontab(5).
 */
import { ConfigError } from '@polycloud/core';
import { describe, expect, it } from 'vitest';
import { toNcrontab } from '../../src/index.ts';

describe('cron as NCRONTAB', () => {
  it('whitespace around and between fields (spaces, tabs) reads like single spaces', () => {
    expect(toNcrontab('  0\t3  * *   1-5 ')).toBe('0 0 3 * * 1-5');
  });
  it('steps over ranges and names, and lists of every form, pass through unchanged', () => {
    expect(toNcrontab('0-30/10 8-18/2 1-15/7 JAN-JUN/2 *')).toBe('0 0-30/10 8-18/2 1-15/7 JAN-JUN/2 *');
    expect(toNcrontab('5,10,15 * * * MON,WED,FRI')).toBe('0 5,10,15 * * * MON,WED,FRI');
    expect(toNcrontab('0 0 * * sun')).toBe('0 0 0 * * sun');
  });
  it('Sunday as 7 becomes 0 wherever it stands alone: in a list, with a step, as a range end', () => {
    expect(toNcrontab('0 0 * * 1,7')).toBe('0 0 0 * * 1,0');
    expect(toNcrontab('0 0 * * 7/2')).toBe('0 0 0 * * 0/2');
    expect(toNcrontab('0 0 * * 6-7,3')).toBe('0 0 0 * * 6-6,0,3');
    // 7 inside other numbers and ranges that do not end at 7 are left alone.
    expect(toNcrontab('17 7 * * 1-5')).toBe('0 17 7 * * 1-5');
    // A range that is no day (a typo) is never rewritten into another schedule: the host refuses it as written.
    expect(toNcrontab('0 0 * * 12-7')).toBe('0 0 0 * * 12-7');
    expect(toNcrontab('0 0 * * 1-70')).toBe('0 0 0 * * 1-70');
  });
  it('a day-of-month with day-of-week `*` and the reverse are both expressible', () => {
    expect(toNcrontab('0 0 1,15 * *')).toBe('0 0 0 1,15 * *');
    expect(toNcrontab('0 0 * * 1')).toBe('0 0 0 * * 1');
  });
  it('field syntax NCRONTAB lacks is refused in every field, anchored at both ends of an item', () => {
    const refusedIn = (cron: string, field: string) => {
      expect(() => toNcrontab(cron, 'function "nightly"')).toThrow(ConfigError);
      expect(() => toNcrontab(cron, 'function "nightly"')).toThrow(
        new RegExp(`^function "nightly": ${field} field ".*" uses syntax NCRONTAB does not support$`),
      );
    };
    refusedIn('0 0 L-3 * *', 'day-of-month'); // Quartz "third-to-last day"
    refusedIn('0 0 1W * *', 'day-of-month');
    refusedIn('H * * * *', 'minute'); // Jenkins hash
    refusedIn('0 25h * * *', 'hour');
    refusedIn('0 0 * JANUARY *', 'month');
    refusedIn('0 0 * * 5L', 'day-of-week');
    refusedIn('0 0 * * 1,', 'day-of-week');
    refusedIn('0 0 * * */', 'day-of-week');
  });
  it('the field-count error names where the schedule came from and quotes it', () => {
    expect(() => toNcrontab('0 0 0 * * *', 'function "nightly"')).toThrow(
      'function "nightly": "0 0 0 * * *" must have 5 fields (minute hour day-of-month month day-of-week)',
    );
    expect(() => toNcrontab('* * * *')).toThrow(/^schedule: /);
  });
});
