/**
 * SQL conditions several rules share, written once so "active mortgage" or "current holder" means
 * the same in every rule. Each takes the table alias and the peildatum's day number or date.
 */
import { sql, type RawBuilder } from 'kysely';

/** Mortgage `h` is registered on or before the peildatum and not cancelled by then. */
export function activeMortgage(h: string, peilDay: number): RawBuilder<unknown> {
  const a = sql.raw(h);
  return sql`${a}.datum_d <= ${peilDay} AND (${a}.einddatum_d IS NULL OR ${a}.einddatum_d > ${peilDay})`;
}

/** Rights that make their holder an owner: eigendom, erfpacht, opstal, appartementsrecht. */
export const HOLDING_RIGHTS = ['eigendom', 'erfpacht', 'opstal', 'appartementsrecht'] as const;

/** Right `r` is a holding right in force on the peildatum. */
export function currentHolding(r: string, peildatum: string): RawBuilder<unknown> {
  const a = sql.raw(r);
  return sql`${a}.soort_recht IN (${sql.join([...HOLDING_RIGHTS])}) AND ${a}.ingangsdatum <= ${peildatum} AND (${a}.einddatum IS NULL OR ${a}.einddatum > ${peildatum})`;
}

/** Integer year*12+month of a `YYYY-MM-DD` text column (calendar-month arithmetic on both engines). */
export function monthIndex(col: string): RawBuilder<number> {
  const c = sql.raw(col);
  return sql<number>`(CAST(substr(${c}, 1, 4) AS integer) * 12 + CAST(substr(${c}, 6, 2) AS integer))`;
}

/** Day of month of a `YYYY-MM-DD` text column. */
export function dayOfMonth(col: string): RawBuilder<number> {
  return sql<number>`CAST(substr(${sql.raw(col)}, 9, 2) AS integer)`;
}
