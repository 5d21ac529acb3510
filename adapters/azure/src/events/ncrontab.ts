import { ConfigError } from '@polycloud/core';

/**
 * Five-field cron (minute hour day-of-month month day-of-week) → Azure's six-field NCRONTAB
 * (second first). Differences handled:
 * - NCRONTAB has a seconds field: it is `0`;
 * - NCRONTAB's day-of-week is 0-6: cron's `7` (Sunday) becomes `0`, in ranges and stepped ranges too;
 * - cron fires when day-of-month OR day-of-week matches if both are restricted, NCRONTAB only when both
 *   match: such a schedule cannot be expressed and is refused instead of silently firing less often.
 */
export function toNcrontab(cron: string, where = 'schedule'): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new ConfigError(
      `${where}: "${cron}" must have 5 fields (minute hour day-of-month month day-of-week)`,
    );
  }
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  for (const [name, value] of [
    ['minute', minute],
    ['hour', hour],
    ['day-of-month', dom],
    ['month', month],
    ['day-of-week', dow],
  ] as const) {
    if (!value.split(',').every((item) => LIST_ITEM.test(item))) {
      throw new ConfigError(`${where}: ${name} field "${value}" uses syntax NCRONTAB does not support`);
    }
    // cron refuses a step of 0 (it would never advance); so does every dialect polycloud builds for.
    if (/\/0+(,|$)/.test(value)) throw new ConfigError(`${where}: ${name} field "${value}" has a step of 0`);
  }
  if (!isAny(dom) && !isAny(dow)) {
    throw new ConfigError(
      `${where}: "${cron}" restricts both day-of-month and day-of-week; cron fires on either, Azure's NCRONTAB only on both. Split it into two schedules.`,
    );
  }
  return ['0', minute, hour, dom, month, sundayAsZero(dow)].join(' ');
}

/** `*`, a number or a three-letter name, an optional range, an optional step: what both dialects share. */
const LIST_ITEM = /^(\*|\d+|[A-Za-z]{3})(-(\d+|[A-Za-z]{3}))?(\/\d+)?$/;

function isAny(field: string): boolean {
  return field === '*';
}

/**
 * Rewrites cron's Sunday-as-7 wherever it stands in a list, range or stepped range (`5-7` → `5-6,0`,
 * `5-7/2` → `5,0`): NCRONTAB's day-of-week stops at 6, and a 7 there is refused by the host.
 */
function sundayAsZero(dow: string): string {
  return dow
    .split(',')
    .flatMap((part) => {
      const [range, step] = part.split('/');
      if (range === '7') return [step ? `0/${step}` : '0'];
      const m = /^(\d)-7$/.exec(range!); // split always yields a first element
      if (!m) return [part];
      if (!step) return m[1] === '0' ? ['0-6'] : [`${m[1]}-6`, '0'];
      // A step through 7: the days it lands on, spelled out (cron's `5-7/2` is Friday and Sunday).
      const days = new Set<string>();
      for (let day = Number(m[1]); day <= 7; day += Number(step)) days.add(day === 7 ? '0' : String(day));
      return [...days];
    })
    .join(',');
}
