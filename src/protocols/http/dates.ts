// HTTP dates (RFC 9110 §5.6.7). Senders use only IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`;
// recipients must also read the two obsolete forms older clients sent: RFC 850
// (`Sunday, 06-Nov-94 08:49:37 GMT`) and C's asctime (`Sun Nov  6 08:49:37 1994`).

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export type HttpDateForm = 'IMF-fixdate' | 'RFC 850' | 'asctime';

export interface ParsedHttpDate {
  /** Milliseconds since the epoch (whole seconds: HTTP dates have no fractions). */
  ms: number;
  form: HttpDateForm;
  /** The weekday named in the text agrees with the date. */
  weekdayMatches: boolean;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * Seconds remembered by formatHttpDate. A server stamps Date on every response and a file's
 * Last-Modified on every static one; both change rarely, so a few recent seconds cover them.
 */
export const HTTP_DATE_CACHE_SLOTS = 4;
const cachedSeconds = new Float64Array(HTTP_DATE_CACHE_SLOTS).fill(Number.NaN);
const cachedTexts: string[] = new Array<string>(HTTP_DATE_CACHE_SLOTS).fill('');
let nextSlot = 0;

function formatSecond(second: number): string {
  const d = new Date(second * 1000);
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).padStart(4, '0')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** `Sun, 06 Nov 1994 08:49:37 GMT` for a time in ms since the epoch (fractions dropped). */
export function formatHttpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  for (let i = 0; i < HTTP_DATE_CACHE_SLOTS; i++) {
    if (cachedSeconds[i] === second) return cachedTexts[i];
  }
  const text = formatSecond(second);
  // NaN never equals itself, so an invalid time is formatted (as before) but never remembered.
  cachedSeconds[nextSlot] = second;
  cachedTexts[nextSlot] = text;
  nextSlot = (nextSlot + 1) % HTTP_DATE_CACHE_SLOTS;
  return text;
}

const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 = /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function build(year: number, monthName: string, day: number, h: number, m: number, s: number, weekday: number, form: HttpDateForm): ParsedHttpDate | null {
  const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]);
  // RFC 9110 §5.6.7 allows second 60 (a leap second); Date cannot hold it, so it reads as :59.
  if (h > 23 || m > 59 || s > 60 || day < 1) return null;
  const ms = Date.UTC(year, month, day, h, m, Math.min(s, 59));
  const d = new Date(ms);
  if (d.getUTCDate() !== day || d.getUTCMonth() !== month) return null; // 31 Feb and the like
  return { ms, form, weekdayMatches: d.getUTCDay() === weekday };
}

/**
 * Reads an HTTP date in any of its three forms; null when the text is none of them. RFC 850 has a
 * two-digit year: RFC 9110 §5.6.7 reads one that looks more than 50 years in the future as the
 * most recent past year with those digits, so `now` decides the century.
 */
export function parseHttpDateDetailed(text: string, now = Date.now()): ParsedHttpDate | null {
  const t = text.trim();
  let m = IMF_FIXDATE.exec(t);
  if (m) return build(Number(m[4]), m[3], Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]), DAYS.indexOf(m[1] as (typeof DAYS)[number]), 'IMF-fixdate');
  m = RFC850.exec(t);
  if (m) {
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(m[4]);
    if (year > thisYear + 50) year -= 100;
    return build(year, m[3], Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]), LONG_DAYS.indexOf(m[1] as (typeof LONG_DAYS)[number]), 'RFC 850');
  }
  m = ASCTIME.exec(t);
  if (m) return build(Number(m[7]), m[2], Number(m[3].trim()), Number(m[4]), Number(m[5]), Number(m[6]), DAYS.indexOf(m[1] as (typeof DAYS)[number]), 'asctime');
  return null;
}

/** Milliseconds since the epoch, or null when `text` is not an HTTP date. */
export function parseHttpDate(text: string, now = Date.now()): number | null {
  return parseHttpDateDetailed(text, now)?.ms ?? null;
}

/** `3 s`, `2 min 5 s`, `1 h 30 min`, `2 days 3 h`: a duration in whole seconds for explanations. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) {
    const min = Math.floor((s % 3600) / 60);
    return min === 0 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 3600)} h ${min} min`;
  }
  const days = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const d = days === 1 ? '1 day' : `${days} days`;
  return h === 0 ? d : `${d} ${h} h`;
}
