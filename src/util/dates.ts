/**
 * Calendar dates as plain `YYYY-MM-DD` strings and as day numbers (days since 1970-01-01).
 *
 * Everything here is pure and time-zone free: no `Date` parsing of local time, so a run in another
 * `TZ` gives the same answers. Day numbers make window arithmetic the same integer subtraction on
 * every database engine.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DUTCH = /^(\d{1,2})-(\d{1,2})-(\d{4})$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Arithmetic, not a Date: it runs for every date of a national extract. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Parses `YYYY-MM-DD` or `DD-MM-YYYY` into `YYYY-MM-DD`; `null` when it is not a real calendar date.
 * @example parseDate('31-01-2024') // '2024-01-31'
 */
export function parseDate(text: string): string | null {
  const s = text.trim();
  let y: number, m: number, d: number;
  const iso = ISO.exec(s);
  if (iso) {
    y = Number(iso[1]); m = Number(iso[2]); d = Number(iso[3]);
    // Already in the form it is returned in (four, two and two digits).
    if (m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return s;
    return null;
  } else {
    const nl = DUTCH.exec(s);
    if (!nl) return null;
    d = Number(nl[1]); m = Number(nl[2]); y = Number(nl[3]);
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return format(y, m, d);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumber(iso: string): number {
  const m = ISO.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return Math.round(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

/** The `YYYY-MM-DD` date of a day number. */
export function fromDayNumber(day: number): string {
  const d = new Date(day * 86_400_000);
  return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * Moves a date by whole calendar months, clamping to the last day of the month
 * (2024-03-31 minus one month is 2024-02-29).
 */
export function addMonths(iso: string, months: number): string {
  const m = ISO.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return format(year, month, Math.min(Number(m[3]), daysInMonth(year, month)));
}

/** Moves a date by whole days. */
export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso) + days);
}

/**
 * Reads a BAG date or timestamp (`2011-09-06` or `2011-09-06T15:49:09.000`) as its calendar date.
 */
export function bagDate(text: string | undefined): string | null {
  if (!text) return null;
  return parseDate(text.slice(0, 10));
}
