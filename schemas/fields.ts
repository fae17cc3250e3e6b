/**
 * Field schemas shared by the input contracts. A CSV cell arrives as a trimmed string, or `null` when
 * empty (empty = unknown, never guessed). Each field turns that into a typed value or a message a
 * person can act on.
 */
import { z } from 'zod';
import { parseDate } from '../src/util/dates.ts';
import { parseAmount } from '../src/util/amount.ts';

type Cell = string | null;
const cell = z.string().nullable();

function quoted(v: string): string {
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}

/** Makes a field required: an empty cell (or an empty list) is a reject. */
export function required<O>(inner: z.ZodType<O, Cell>) {
  return inner
    .refine((v) => v !== null && !(Array.isArray(v) && v.length === 0), { message: 'is required but empty' })
    .transform((v) => v as NonNullable<O>);
}

/** Free text, kept as given. */
export const text = cell;

/** An identifier: kept as a string (leading zeros matter). */
export const id = cell.transform((v, ctx) => {
  if (v !== null && /[\u0000-\u001f]/.test(v)) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} contains control characters` });
    return z.NEVER;
  }
  return v;
});

/** A `YYYY-MM-DD` or `DD-MM-YYYY` date, normalised to `YYYY-MM-DD`. */
export const date = cell.transform((v, ctx) => {
  if (v === null) return null;
  const d = parseDate(v);
  if (d === null) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not a date (expected YYYY-MM-DD or DD-MM-YYYY)` });
    return z.NEVER;
  }
  return d;
});

/** An amount in euros, never negative. */
export const amount = cell.transform((v, ctx) => {
  if (v === null) return null;
  const n = parseAmount(v);
  if (n === null) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not an amount in euros` });
    return z.NEVER;
  }
  if (n < 0) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is negative; amounts are never below zero`, params: { reason: 'negative-amount' } });
    return z.NEVER;
  }
  return n;
});

/** The 16-digit BAG verblijfsobject id. */
export const vboId = cell.transform((v, ctx) => {
  if (v === null) return null;
  if (!/^\d{16}$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not a 16-digit BAG verblijfsobject id` });
    return z.NEVER;
  }
  return v;
});

/** The 8-digit KvK number. */
export const kvkNummer = cell.transform((v, ctx) => {
  if (v === null) return null;
  const digits = v.replace(/\s/g, '');
  if (!/^\d{8}$/.test(digits)) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not an 8-digit KvK number` });
    return z.NEVER;
  }
  return digits;
});

/** Dutch postcode, normalised to `1234AB`. */
export const postcode = cell.transform((v, ctx) => {
  if (v === null) return null;
  const p = v.replace(/\s/g, '').toUpperCase();
  if (!/^[1-9]\d{3}[A-Z]{2}$/.test(p)) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not a Dutch postcode (1234 AB)` });
    return z.NEVER;
  }
  return p;
});

/** A house number: a positive whole number. */
export const huisnummer = cell.transform((v, ctx) => {
  if (v === null) return null;
  if (!/^\d{1,5}$/.test(v) || Number(v) === 0) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not a house number` });
    return z.NEVER;
  }
  return Number(v);
});

/** Huisletter (one letter, upper-cased) or toevoeging (up to four characters, upper-cased). */
export const huisletter = cell.transform((v, ctx) => {
  if (v === null) return null;
  if (!/^[A-Za-z]$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not a single huisletter` });
    return z.NEVER;
  }
  return v.toUpperCase();
});
export const toevoeging = cell.transform((v, ctx) => {
  if (v === null) return null;
  if (!/^[A-Za-z0-9]{1,4}$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not a toevoeging (1-4 letters or digits)` });
    return z.NEVER;
  }
  return v.toUpperCase();
});

/** ISO 3166-1 alpha-2 country; empty means NL, as the contract says. */
export const land = cell.transform((v, ctx) => {
  if (v === null) return 'NL';
  const c = v.toUpperCase();
  if (!/^[A-Z]{2}$/.test(c)) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not an ISO 3166-1 alpha-2 country code` });
    return z.NEVER;
  }
  return c;
});

/** One of a fixed set of words, compared case-insensitively. */
export function oneOf<const T extends readonly string[]>(values: T) {
  return cell.transform((v, ctx) => {
    if (v === null) return null;
    const lower = v.toLowerCase();
    const hit = values.find((x) => x === lower);
    if (hit === undefined) {
      ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not one of ${values.join(', ')}` });
      return z.NEVER;
    }
    return hit as T[number];
  });
}

/** A `|`-separated list of ids, at least one when required. */
export const idList = cell.transform((v) =>
  v === null ? [] : v.split('|').map((s) => s.trim()).filter((s) => s !== ''),
);

/** A share such as `1/2`; empty means `1/1`. */
export const aandeel = cell.transform((v, ctx) => {
  if (v === null) return '1/1';
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(v);
  if (!m || Number(m[2]) === 0 || Number(m[1]) > Number(m[2]) || Number(m[1]) === 0) {
    ctx.addIssue({ code: 'custom', message: `${quoted(v)} is not a share such as 1/2` });
    return z.NEVER;
  }
  return `${Number(m[1])}/${Number(m[2])}`;
});

/** The address columns any CSV may use instead of, or beside, a vbo_id. */
export const addressFields = {
  vbo_id: vboId,
  postcode,
  huisnummer,
  huisletter,
  toevoeging,
};

/** Checks that a row names its unit: a vbo_id, or a postcode with a house number. */
export function refineUnitReference(
  row: { vbo_id: string | null; postcode: string | null; huisnummer: number | null },
  ctx: z.RefinementCtx,
): void {
  if (row.vbo_id === null && (row.postcode === null || row.huisnummer === null)) {
    ctx.addIssue({ code: 'custom', path: ['vbo_id'], message: 'names no unit: give vbo_id, or postcode and huisnummer' });
  }
}
