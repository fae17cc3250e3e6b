/**
 * Field schemas shared by the input contracts. A CSV cell arrives as a trimmed string, or `null` when
 * empty (empty = unknown, never guessed). Each field turns that into a typed value or a message a
 * person can act on. Each is written as a plain cell reader and made a schema by `field` (see
 * `contract.ts`): the reader is what a row runs through, the schema what the types come from.
 */
import { parseDate } from '../src/util/dates.ts';
import { parseAmount } from '../src/util/amount.ts';
import { CellProblem, field, required, text, type Cell, type RowProblem } from './contract.ts';

export { required, text };

function quoted(v: string): string {
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}

const problem = (message: string, reason?: string) => new CellProblem(message, reason);

// Control characters (U+0000 to U+001F) in an id: never meant, and they would break exports.
const CONTROL = /[\u0000-\u001f]/;
function readId(v: Cell): string | null | CellProblem {
  if (v !== null && CONTROL.test(v)) return problem(`${quoted(v)} contains control characters`);
  return v;
}

/** An identifier: kept as a string (leading zeros matter). */
export const id = field(readId);

/** A KvK vestigingsnummer: an id of 12 digits. */
export const vestigingsnummer = field((v) => {
  const r = readId(v);
  if (r === null || r instanceof CellProblem) return r;
  return /^\d{12}$/.test(r) ? r : problem('is not a 12-digit vestigingsnummer');
});

/** A `YYYY-MM-DD` or `DD-MM-YYYY` date, normalised to `YYYY-MM-DD`. */
export const date = field((v) => {
  if (v === null) return null;
  return parseDate(v) ?? problem(`${quoted(v)} is not a date (expected YYYY-MM-DD or DD-MM-YYYY)`);
});

/** An amount in euros, never negative. */
export const amount = field((v) => {
  if (v === null) return null;
  const n = parseAmount(v);
  if (n === null) return problem(`${quoted(v)} is not an amount in euros`);
  if (n < 0) return problem(`${quoted(v)} is negative; amounts are never below zero`, 'negative-amount');
  return n;
});

/** The 16-digit BAG verblijfsobject id. */
export const vboId = field((v) => {
  if (v === null) return null;
  return /^\d{16}$/.test(v) ? v : problem(`${quoted(v)} is not a 16-digit BAG verblijfsobject id`);
});

/** The 8-digit KvK number. */
export const kvkNummer = field((v) => {
  if (v === null) return null;
  const digits = v.replace(/\s/g, '');
  return /^\d{8}$/.test(digits) ? digits : problem(`${quoted(v)} is not an 8-digit KvK number`);
});

/** Dutch postcode, normalised to `1234AB`. */
export const postcode = field((v) => {
  if (v === null) return null;
  const p = v.replace(/\s/g, '').toUpperCase();
  return /^[1-9]\d{3}[A-Z]{2}$/.test(p) ? p : problem(`${quoted(v)} is not a Dutch postcode (1234 AB)`);
});

/** A house number: a positive whole number. */
export const huisnummer = field((v) => {
  if (v === null) return null;
  if (!/^\d{1,5}$/.test(v) || Number(v) === 0) return problem(`${quoted(v)} is not a house number`);
  return Number(v);
});

/** Huisletter (one letter, upper-cased) or toevoeging (up to four characters, upper-cased). */
export const huisletter = field((v) => {
  if (v === null) return null;
  return /^[A-Za-z]$/.test(v) ? v.toUpperCase() : problem(`${quoted(v)} is not a single huisletter`);
});
export const toevoeging = field((v) => {
  if (v === null) return null;
  return /^[A-Za-z0-9]{1,4}$/.test(v) ? v.toUpperCase() : problem(`${quoted(v)} is not a toevoeging (1-4 letters or digits)`);
});

/** ISO 3166-1 alpha-2 country; empty means NL, as the contract says. */
export const land = field((v) => {
  if (v === null) return 'NL';
  const c = v.toUpperCase();
  return /^[A-Z]{2}$/.test(c) ? c : problem(`${quoted(v)} is not an ISO 3166-1 alpha-2 country code`);
});

/** One of a fixed set of words, compared case-insensitively. */
export function oneOf<const T extends readonly string[]>(values: T) {
  return field((v): T[number] | null | CellProblem => {
    if (v === null) return null;
    const lower = v.toLowerCase();
    const hit = values.find((x) => x === lower);
    return hit ?? problem(`${quoted(v)} is not one of ${values.join(', ')}`);
  });
}

/** A `|`-separated list of ids, at least one when required. */
export const idList = field((v) =>
  v === null ? [] : v.split('|').map((s) => s.trim()).filter((s) => s !== ''),
);

/** A share such as `1/2`; empty means `1/1`. */
export const aandeel = field((v) => {
  if (v === null) return '1/1';
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(v);
  if (!m || Number(m[2]) === 0 || Number(m[1]) > Number(m[2]) || Number(m[1]) === 0) return problem(`${quoted(v)} is not a share such as 1/2`);
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

/** A row must name its unit: a vbo_id, or a postcode with a house number. */
export function unitReference(row: { vbo_id: string | null; postcode: string | null; huisnummer: number | null }): RowProblem | null {
  if (row.vbo_id === null && (row.postcode === null || row.huisnummer === null)) {
    return { column: 'vbo_id', message: 'names no unit: give vbo_id, or postcode and huisnummer' };
  }
  return null;
}
