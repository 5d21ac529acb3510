/**
 * Converts a five-field cron (`minute hour day-of-month month day-of-week`, the form `schedule()`
 * takes) into EventBridge's six-field `cron(minutes hours day-of-month month day-of-week year)`.
 *
 * Vendor rules handled here:
 * - EventBridge requires `?` in exactly one of day-of-month / day-of-week;
 * - EventBridge numbers weekdays 1-7 from Sunday, cron 0-7 with 0 and 7 both Sunday;
 * - a cron that restricts both day fields means "either day" (OR), which EventBridge cannot say: an error.
 */
export function toEventBridgeCron(cron: string, where = 'schedule'): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new TypeError(`${where}: "${cron}" must have 5 fields`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  checkField(minute, 0, 59, `${where}: minute "${minute}"`);
  checkField(hour, 0, 23, `${where}: hour "${hour}"`);
  checkField(dom, 1, 31, `${where}: day-of-month "${dom}"`);
  checkField(month, 1, 12, `${where}: month "${month}"`, MONTHS);
  const days = weekdays(dow, `${where}: day-of-week "${dow}"`);
  const domAny = dom === '*' || dom === '?';
  let awsDom: string;
  let awsDow: string;
  if (days === 'any') {
    awsDom = domAny ? '*' : stepFrom(dom, 1);
    awsDow = '?';
  } else if (domAny) {
    awsDom = '?';
    awsDow = days;
  } else {
    throw new TypeError(
      `${where}: "${cron}" restricts both day-of-month and day-of-week (cron runs on either); ` +
        'EventBridge allows only one of them: split it into two schedules',
    );
  }
  return `cron(${stepFrom(minute, 0)} ${stepFrom(hour, 0)} ${awsDom} ${stepFrom(month, 1)} ${awsDow} *)`;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** EventBridge documents increments as `start/step` (`0/15`); `*\/15` is rewritten to that form. */
function stepFrom(field: string, first: number): string {
  return field
    .split(',')
    .map((part) => (part.startsWith('*/') ? `${first}/${part.slice(2)}` : part))
    .join(',');
}

function value(token: string, min: number, max: number, where: string, names?: readonly string[]): number {
  const named = names?.indexOf(token.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + min : /^\d+$/.test(token) ? Number(token) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new TypeError(`${where}: "${token}" is not in ${min}-${max}`);
  }
  return n;
}

/** Expands one cron field (`*`, `a`, `a-b`, `a-b/n`, `*\/n`, lists) into the values it selects. */
function expand(field: string, min: number, max: number, where: string, names?: readonly string[]): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new TypeError(`${where}: cannot read "${part}"`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new TypeError(`${where}: step must be at least 1`);
    let from = min;
    let to = max;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-') as [string, string | undefined];
      from = value(a, min, max, where, names);
      to = b === undefined ? (m[2] === undefined ? from : max) : value(b, min, max, where, names);
      if (to < from) throw new TypeError(`${where}: range "${m[1]}" runs backwards`);
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function checkField(field: string, min: number, max: number, where: string, names?: readonly string[]): void {
  if (field !== '*') expand(field, min, max, where, names);
}

/** `'any'` for every day, else EventBridge's 1-7 (Sunday = 1) list with consecutive days as ranges. */
function weekdays(field: string, where: string): string | 'any' {
  if (field === '*' || field === '?') return 'any';
  // 0-7 with both ends Sunday; names are looked up 0-based.
  const days = new Set(expand(field, 0, 7, where, DAYS).map((d) => d % 7));
  if (days.size === 7) return 'any';
  const aws = [...days].map((d) => d + 1).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < aws.length; ) {
    let j = i;
    while (j + 1 < aws.length && aws[j + 1] === aws[j]! + 1) j++;
    parts.push(j > i ? `${aws[i]}-${aws[j]}` : String(aws[i]));
    i = j + 1;
  }
  return parts.join(',');
}
