/**
 * Derives the BAG as it stands on the peildatum: per unit the voorkomen valid then
 * (beginGeldigheid ≤ peildatum < eindGeldigheid) whose status is current, its gebruiksdoelen, and
 * every address (hoofd- and nevenadres) valid then. Set-based: three INSERT … SELECT statements.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * The current statuses of the LVBAG catalogue for verblijfsobjecten and nummeraanduidingen, as the
 * registry spells them: nearly every row has one of these, and {@link currentStatus} accepts them by
 * equality before it folds case and searches the text. (That search is what decides; a status not
 * listed here, misspelt or new, goes through it.) The four searches over the lower-cased status cost
 * SQLite 0.33 µs a row, the list first 0.05 µs: building the units and addresses of the 1M bench (1.5M
 * VBO and 1M NUM voorkomens) took 4.45-4.67 s with the searches alone, 3.78-3.97 s with the list.
 */
export const CURRENT_STATUSES: readonly string[] = [
  'Verblijfsobject in gebruik', 'Verblijfsobject in gebruik (niet ingemeten)', 'Verblijfsobject gevormd',
  'Verblijfsobject buiten gebruik', 'Verbouwing verblijfsobject', 'Naamgeving uitgegeven',
];

/** SQL condition: the status of alias `t`, case folded, names no withdrawal, demolition or non-realisation. */
export function statusSearch(alias: string) {
  const s = sql.raw(`lower(coalesce(${alias}.status, ''))`);
  return sql`(${s} NOT LIKE '%ingetrokken%' AND ${s} NOT LIKE 'niet gerealiseerd%' AND ${s} NOT LIKE '%gesloopt%' AND ${s} NOT LIKE '%ten onrechte opgevoerd%')`;
}

/** SQL condition: the status of alias `t` is current (not withdrawn, demolished, never built). */
export function currentStatus(alias: string) {
  const known = sql.join(CURRENT_STATUSES.map((x) => sql.lit(x)));
  return sql`(${sql.raw(alias)}.status IN (${known}) OR ${statusSearch(alias)})`;
}

/** SQL condition: voorkomen `alias` is valid on the peildatum; where several are, the latest counts. */
function validOn(table: 'bag_vbo' | 'bag_num' | 'bag_opr' | 'bag_wpl', idCol: string, alias: string, peildatum: string) {
  const a = sql.raw(alias);
  const id = sql.raw(idCol);
  return sql`${a}.begin <= ${peildatum} AND (${a}.eind IS NULL OR ${a}.eind > ${peildatum})
    AND ${a}.voorkomen = (SELECT max(w.voorkomen) FROM ${sql.table(table)} w
      WHERE w.run_key = ${a}.run_key AND w.${id} = ${a}.${id} AND w.begin <= ${peildatum} AND (w.eind IS NULL OR w.eind > ${peildatum}))`;
}

/** The tables buildUnits writes. */
export const BUILT_UNIT_TABLES: readonly string[] = ['unit', 'unit_gebruiksdoel', 'address'];

export async function buildUnits(db: Db, runKey: number, peildatum: string): Promise<{ units: number; addresses: number }> {
  // Rows counted as they go in: counting them after read the tables again (0.3 s at 1M, cold).
  const inserted = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0);
  const units = inserted(await sql`INSERT INTO unit (run_key, vbo_id, voorkomen, status, gebruiksdoelen, oppervlakte, x, y, hoofdadres)
    SELECT v.run_key, v.vbo_id, v.voorkomen, v.status, v.gebruiksdoelen, v.oppervlakte, v.x, v.y, v.hoofdadres
    FROM bag_vbo v
    WHERE v.run_key = ${runKey} AND ${validOn('bag_vbo', 'vbo_id', 'v', peildatum)} AND ${currentStatus('v')}`.execute(db));
  // A single gebruiksdoel and the hoofdadres come from the unit's own row; only a voorkomen with more
  // gebruiksdoelen, or with nevenadressen, has rows in bag_vbo_gebruiksdoel and bag_vbo_adres (see
  // load-bag.ts: most have neither, and those rows were 3M of the 1M bench's 5.5M BAG rows). The
  // gebruiksdoelen are joined by "|", and a single one is stored as rows too where it holds a "|".
  //
  // Those rows are few, so the joins go from them to the units (CROSS JOIN fixes SQLite's join order;
  // PostgreSQL plans as it likes): a lookup per row of theirs rather than per unit. At 1M units, on the
  // bench's committed database: the gebruiksdoelen 59-77 ms that way, 279-302 ms from the units (1.08
  // s cold); the nevenadressen 26-30 ms against 240-284 ms. (When every address and gebruiksdoel had a
  // row, before migration 0015, the units were the smaller side: at 10M the address statement took
  // 16.9 s from the units and 23.6 s from the address rows.)
  await sql`INSERT INTO unit_gebruiksdoel (run_key, vbo_id, gebruiksdoel)
    SELECT u.run_key, u.vbo_id, u.gebruiksdoelen
    FROM unit u
    WHERE u.run_key = ${runKey} AND u.gebruiksdoelen <> '' AND u.gebruiksdoelen NOT LIKE '%|%'`.execute(db);
  await sql`INSERT INTO unit_gebruiksdoel (run_key, vbo_id, gebruiksdoel)
    SELECT u.run_key, u.vbo_id, g.gebruiksdoel
    FROM bag_vbo_gebruiksdoel g CROSS JOIN unit u
    WHERE g.run_key = ${runKey} AND u.run_key = g.run_key AND u.vbo_id = g.vbo_id AND u.voorkomen = g.voorkomen`.execute(db);
  const addresses = (from: RawBuilder<unknown>, on: RawBuilder<unknown>, hoofdadres: 0 | 1) => sql`INSERT INTO address (run_key, num_id, vbo_id, hoofdadres, postcode, huisnummer, huisletter, toevoeging)
    SELECT u.run_key, n.num_id, u.vbo_id, ${sql.lit(hoofdadres)}, n.postcode, n.huisnummer, n.huisletter, n.toevoeging
    FROM ${from}
    WHERE u.run_key = ${runKey} AND ${on} AND n.run_key = u.run_key
      AND ${validOn('bag_num', 'num_id', 'n', peildatum)} AND ${currentStatus('n')}`.execute(db);
  // A nevenadres is never the voorkomen's hoofdadres, nor listed twice (load-bag.ts): no row is refused.
  const addressCount = inserted(await addresses(sql`unit u CROSS JOIN bag_num n`, sql`n.num_id = u.hoofdadres`, 1))
    + inserted(await addresses(sql`bag_vbo_adres a CROSS JOIN unit u CROSS JOIN bag_num n`,
      sql`a.run_key = ${runKey} AND u.run_key = a.run_key AND u.vbo_id = a.vbo_id AND u.voorkomen = a.voorkomen AND n.num_id = a.num_id`, 0));
  return { units, addresses: addressCount };
}

/** Display data of some units on the peildatum: address parts, street and town names. */
export interface UnitAddress {
  vbo_id: string;
  straat: string | null;
  huisnummer: number | null;
  huisletter: string | null;
  toevoeging: string | null;
  postcode: string | null;
  woonplaats: string | null;
}

export async function unitAddresses(db: Db, runKey: number, peildatum: string, vboIds: string[]): Promise<Map<string, UnitAddress>> {
  const out = new Map<string, UnitAddress>();
  for (let i = 0; i < vboIds.length; i += 500) {
    const chunk = vboIds.slice(i, i + 500);
    // From the asked units outwards (CROSS JOIN fixes the order): SQLite would otherwise weigh a scan of
    // every house number against the key lookups and, at 100k units, take the scan.
    const rows = await sql<UnitAddress>`SELECT a.vbo_id, o.naam AS straat, a.huisnummer, a.huisletter, a.toevoeging, a.postcode, w.naam AS woonplaats
      FROM address a
      CROSS JOIN bag_num n
      LEFT JOIN bag_opr o ON o.run_key = a.run_key AND o.opr_id = n.opr_id AND ${validOn('bag_opr', 'opr_id', 'o', peildatum)}
      LEFT JOIN bag_wpl w ON w.run_key = a.run_key AND w.wpl_id = o.wpl_id AND ${validOn('bag_wpl', 'wpl_id', 'w', peildatum)}
      WHERE a.run_key = ${runKey} AND a.hoofdadres = 1 AND a.vbo_id IN (${sql.join(chunk)})
        AND n.run_key = a.run_key AND n.num_id = a.num_id AND ${validOn('bag_num', 'num_id', 'n', peildatum)}`.execute(db);
    for (const r of rows.rows) out.set(r.vbo_id, r);
  }
  return out;
}

/** Formats an address the Dutch way: `Boschstraat 12A-2, 6211 AB Maastricht`. */
export function formatAddress(a: UnitAddress | undefined): string | null {
  if (!a || a.huisnummer === null) return null;
  const nr = `${a.huisnummer}${a.huisletter ?? ''}${a.toevoeging ? `-${a.toevoeging}` : ''}`;
  const pc = a.postcode ? `${a.postcode.slice(0, 4)} ${a.postcode.slice(4)}` : '';
  return `${a.straat ?? '?'} ${nr}, ${pc}${a.woonplaats ? ` ${a.woonplaats}` : ''}`.trim();
}
