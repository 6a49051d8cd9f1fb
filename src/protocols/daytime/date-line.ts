// The daytime line. RFC 867 leaves the format free ("there is no specific syntax") and only
// suggests one line of printable ASCII; the lab uses an unambiguous English form in UTC, e.g.
// `Wednesday, November 25, 2026 10:15:00-UTC`.

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** Largest time a JavaScript Date can hold, in ms either side of the epoch (ECMA-262 §21.4.1.1). */
export const DATE_MAX_ABS_MS = 8.64e15;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** True when `now` (ms since the epoch) is a time a Date can represent. */
export function isRepresentableTime(now: number): boolean {
  return Number.isFinite(now) && Math.abs(now) <= DATE_MAX_ABS_MS;
}

/** The date text without line end, e.g. `Wednesday, November 25, 2026 10:15:00-UTC`. */
export function formatDaytime(now: number): string {
  if (!isRepresentableTime(now)) throw new RangeError(`daytime: ${now} is not a representable time`);
  const d = new Date(now);
  return (
    `${WEEKDAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}-UTC`
  );
}

export interface ParsedDaytime {
  /** The instant, ISO 8601 in UTC. */
  iso: string;
  /** The weekday name agrees with the date. */
  weekdayMatches: boolean;
}

const DAYTIME_TEXT = new RegExp(
  `^(${WEEKDAYS.join('|')}), (${MONTHS.join('|')}) (\\d{1,2}), (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2})-UTC$`,
);

/**
 * Reads back the lab's own format; null for anything else (other servers may use any format, and
 * that is legal). A date that does not exist, such as February 30, is also null.
 */
export function parseDaytime(text: string): ParsedDaytime | null {
  const m = DAYTIME_TEXT.exec(text);
  if (!m) return null;
  const [, weekday, monthName, day, year, hh, mm, ss] = m;
  const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]);
  const ms = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss));
  const d = new Date(ms);
  const exists =
    d.getUTCFullYear() === Number(year) &&
    d.getUTCMonth() === month &&
    d.getUTCDate() === Number(day) &&
    d.getUTCHours() === Number(hh) &&
    d.getUTCMinutes() === Number(mm) &&
    d.getUTCSeconds() === Number(ss);
  if (!exists) return null;
  return { iso: d.toISOString().replace('.000Z', 'Z'), weekdayMatches: WEEKDAYS[d.getUTCDay()] === weekday };
}
