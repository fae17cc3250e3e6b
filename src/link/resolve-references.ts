/**
 * Cross-file checks after loading, each set-based: rows that name their unit by postcode and house
 * number get its vbo_id through the BAG addresses valid on the peildatum; a row whose unit is not in
 * the BAG (`address-not-in-bag`) or whose party is not in personen.csv (`unknown-persoon`) is moved
 * from its table to the rejects, with file, line, field and value.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { InputStats } from '../load/input-stats.ts';
import type { RejectSink } from '../load/reject-sink.ts';

interface UnitTable { table: string; file: (bron: string | null) => string; hasBron?: boolean; addressOptional?: boolean }

const UNIT_TABLES: UnitTable[] = [
  { table: 'recht', file: () => 'rechten.csv' },
  { table: 'transactie', file: () => 'transacties.csv' },
  { table: 'hypotheek', file: () => 'hypotheken.csv' },
  { table: 'woz', file: () => 'woz.csv' },
  { table: 'kvk', file: () => 'kvk.csv', addressOptional: true },
  { table: 'aanvraag', file: (bron) => `${bron}.csv`, hasBron: true },
];

interface Offender {
  line: number;
  bron: string | null;
  vbo_id: string | null;
  postcode: string | null;
  huisnummer: number | null;
  huisletter: string | null;
  toevoeging: string | null;
}

/** SQL condition: a row of this run that names its unit by address, not by vbo_id. */
const ADDRESSED = (runKey: number) => sql`run_key = ${runKey} AND vbo_id IS NULL AND postcode IS NOT NULL AND huisnummer IS NOT NULL`;

function describeAddress(o: Offender): string {
  return `${o.postcode ?? ''} ${o.huisnummer ?? ''}${o.huisletter ?? ''}${o.toevoeging ? `-${o.toevoeging}` : ''}`.trim();
}

/**
 * Resolves every row's unit; returns the tables whose rows changed (a unit found by address, or a row
 * removed), whose statistics are then due again: the others are as the statistics taken after the
 * loads saw them (analysing a table counts every entry of each of its indexes, whatever
 * `analysis_limit` says, since SQLite is built with STAT4: at 10M units seconds a table).
 *
 * `unknownVboIds` are the vbo_ids the loaded rows give that are not in the BAG: the CSV readers looked
 * every row's vbo_id up in the BAG's ids as they read (`loadCsvSources`). A unit found by address is
 * in the BAG by construction.
 */
export async function resolveUnits(db: Db, runKey: number, stats: InputStats, rejects: RejectSink, unknownVboIds: readonly string[]): Promise<string[]> {
  const changed = new Set<string>();
  await sql`DROP TABLE IF EXISTS vib_unknown_vbo`.execute(db);
  if (unknownVboIds.length) {
    await sql`CREATE TEMPORARY TABLE vib_unknown_vbo (vbo_id text PRIMARY KEY)`.execute(db);
    for (let i = 0; i < unknownVboIds.length; i += 500) {
      const ids = unknownVboIds.slice(i, i + 500).map((id) => sql`(${id})`);
      await sql`INSERT INTO vib_unknown_vbo (vbo_id) VALUES ${sql.join(ids)}`.execute(db);
    }
  }
  const unknown = unknownVboIds.length ? sql` OR vbo_id IN (SELECT vbo_id FROM vib_unknown_vbo)` : sql``;
  const byAddress = await unitsByAddress(db, runKey);
  for (const t of UNIT_TABLES) {
    const table = sql.table(t.table);
    if (byAddress.has(t.table)) {
      await sql`UPDATE ${table} SET vbo_id = (
          SELECT f.vbo_id FROM vib_address_unit f
          WHERE f.postcode = ${table}.postcode AND f.huisnummer = ${table}.huisnummer
            AND f.huisletter = coalesce(${table}.huisletter, '') AND f.toevoeging = coalesce(${table}.toevoeging, ''))
        WHERE ${ADDRESSED(runKey)}`.execute(db);
      changed.add(t.table);
    }
    // A row without any address is fine where the address is optional (kvk.csv); one that gives an
    // address must resolve.
    const named = t.addressOptional ? sql` AND (vbo_id IS NOT NULL OR postcode IS NOT NULL)` : sql``;
    // The rows of unknown vbo_ids are found on the (run_key, vbo_id) index, and only they are read.
    const unresolved = sql`run_key = ${runKey}${named} AND (vbo_id IS NULL${unknown})`;
    const bron = t.hasBron ? sql.raw('bron') : sql.raw('NULL');
    const offenders = await sql<Offender>`SELECT line, ${bron} AS bron, vbo_id, postcode, huisnummer, huisletter, toevoeging
      FROM ${table} WHERE ${unresolved} ORDER BY line`.execute(db);
    for (const o of offenders.rows) {
      const file = t.file(o.bron);
      stats.unload(file);
      const byAddress = o.vbo_id === null;
      await rejects.add({
        file, position: o.line, column: byAddress ? 'postcode' : 'vbo_id',
        value: byAddress ? describeAddress(o) : o.vbo_id, reason: 'address-not-in-bag',
        message: byAddress
          ? `${file} line ${o.line}: address ${describeAddress(o)} is not an address of a unit in the BAG on the peildatum`
          : `${file} line ${o.line}: vbo_id ${o.vbo_id} is not a verblijfsobject in the BAG extract`,
      }, false);
    }
    if (offenders.rows.length) {
      await sql`DELETE FROM ${table} WHERE ${unresolved}`.execute(db);
      changed.add(t.table);
    }
  }
  await sql`DROP TABLE IF EXISTS vib_unknown_vbo`.execute(db);
  await sql`DROP TABLE IF EXISTS vib_address_unit`.execute(db);
  return [...changed];
}

/**
 * The addresses the rows of the unit tables name instead of a vbo_id, each with the unit it is an
 * address of on the peildatum (the lowest vbo_id where several units share it), in the temporary
 * table `vib_address_unit` (an address no unit has is not there); returns the tables that have such
 * rows. The run's addresses are read once, each looked up among the few addresses asked for
 * (`vib_address_asked`), so that `address` needs no index by postcode (migration 0016), an index every
 * address built paid for.
 */
async function unitsByAddress(db: Db, runKey: number): Promise<Set<string>> {
  const key = sql`postcode text NOT NULL, huisnummer integer NOT NULL, huisletter text NOT NULL, toevoeging text NOT NULL`;
  const keyColumns = sql`PRIMARY KEY (postcode, huisnummer, huisletter, toevoeging)`;
  await sql`DROP TABLE IF EXISTS vib_address_asked`.execute(db);
  await sql`DROP TABLE IF EXISTS vib_address_unit`.execute(db);
  await sql`CREATE TEMPORARY TABLE vib_address_asked (${key}, ${keyColumns})`.execute(db);
  await sql`CREATE TEMPORARY TABLE vib_address_unit (${key}, vbo_id text NOT NULL, ${keyColumns})`.execute(db);
  const tables = new Set<string>();
  for (const t of UNIT_TABLES) {
    // The rows without a vbo_id are found on the table's (run_key, vbo_id) index.
    const rows = sql`FROM ${sql.table(t.table)} WHERE ${ADDRESSED(runKey)}`;
    if ((await sql`SELECT 1 AS x ${rows} LIMIT 1`.execute(db)).rows.length === 0) continue;
    tables.add(t.table);
    await sql`INSERT INTO vib_address_asked (postcode, huisnummer, huisletter, toevoeging)
      SELECT DISTINCT postcode, huisnummer, coalesce(huisletter, ''), coalesce(toevoeging, '') ${rows}
      ON CONFLICT DO NOTHING`.execute(db);
  }
  // From the run's addresses (CROSS JOIN fixes SQLite's order) to the addresses asked, by their key.
  if (tables.size) {
    await sql`INSERT INTO vib_address_unit (postcode, huisnummer, huisletter, toevoeging, vbo_id)
      SELECT w.postcode, w.huisnummer, w.huisletter, w.toevoeging, min(a.vbo_id)
      FROM address a CROSS JOIN vib_address_asked w
      WHERE a.run_key = ${runKey} AND w.postcode = a.postcode AND w.huisnummer = a.huisnummer
        AND w.huisletter = coalesce(a.huisletter, '') AND w.toevoeging = coalesce(a.toevoeging, '')
      GROUP BY w.postcode, w.huisnummer, w.huisletter, w.toevoeging`.execute(db);
  }
  await sql`DROP TABLE vib_address_asked`.execute(db);
  return tables;
}

interface PartyRef { table: string; file: string; column: string }

const PARTY_REFS: PartyRef[] = [
  { table: 'recht', file: 'rechten.csv', column: 'persoon_id' },
  { table: 'hypotheek', file: 'hypotheken.csv', column: 'hypotheekhouder_id' },
  { table: 'hypotheek', file: 'hypotheken.csv', column: 'hypotheekgever_id' },
];

/**
 * The distinct ids in `column` of `table` (this run) that are not in personen.csv, read from the
 * (run_key, column) index alone, in key order. Each distinct id is looked up once: with the lookup
 * beside the DISTINCT, SQLite looked every row's id up (the 1M bench's 399,000 mortgages name 504
 * lenders: 135-310 ms that way, 1 ms this way).
 */
function unknownParties(table: RawBuilder<unknown>, column: RawBuilder<unknown>, runKey: number) {
  return sql`SELECT d.v FROM (SELECT DISTINCT x.${column} AS v FROM ${table} x WHERE x.run_key = ${runKey} AND x.${column} IS NOT NULL) d
    WHERE NOT EXISTS (SELECT 1 FROM persoon p WHERE p.run_key = ${runKey} AND p.persoon_id = d.v)`;
}

/**
 * The queries that find the rows naming a party not in personen.csv: one per reference of
 * PARTY_REFS (rows `{ line, value }`), then the transfers' (`{ transactie_id, line, rol, persoon_id }`).
 * They only read, and only the loaded tables, so they may run on another connection once the loads
 * and resolveUnits are committed (see `read-beside.ts`); {@link rejectUnknownParties} applies them.
 */
export function unknownPartyQueries(runKey: number): RawBuilder<unknown>[] {
  return [
    ...PARTY_REFS.map((ref) => {
      const table = sql.table(ref.table);
      const column = sql.raw(ref.column);
      return sql`SELECT line, ${column} AS value FROM ${table}
        WHERE run_key = ${runKey} AND ${column} IN (${unknownParties(table, column, runKey)}) ORDER BY line`;
    }),
    // Transfers: every buyer and seller must be known; one unknown party rejects the deed.
    sql`SELECT t.transactie_id, t.line, tp.rol, min(tp.persoon_id) AS persoon_id
      FROM transactie t JOIN transactie_partij tp ON tp.run_key = t.run_key AND tp.transactie_id = t.transactie_id
      WHERE t.run_key = ${runKey} AND tp.persoon_id IN (${unknownParties(sql.table('transactie_partij'), sql.raw('persoon_id'), runKey)})
      GROUP BY t.transactie_id, t.line, tp.rol ORDER BY t.line, tp.rol`,
  ];
}

/** Finds (on this connection) and rejects the rows that name an unknown party; see {@link rejectUnknownParties}. */
export async function checkPartyReferences(db: Db, runKey: number, stats: InputStats, rejects: RejectSink): Promise<string[]> {
  const found: Record<string, unknown>[][] = [];
  for (const q of unknownPartyQueries(runKey)) found.push((await q.execute(db)).rows as Record<string, unknown>[]);
  return rejectUnknownParties(db, runKey, found, stats, rejects);
}

/**
 * Rejects and removes the rows {@link unknownPartyQueries} found (`found[i]`: the rows of query i);
 * returns the tables whose rows it removed (see resolveUnits). A mortgage whose lender and borrower
 * are both unknown is found twice and rejected once, for its lender.
 */
export async function rejectUnknownParties(db: Db, runKey: number, found: readonly Record<string, unknown>[][], stats: InputStats, rejects: RejectSink): Promise<string[]> {
  const changed = new Set<string>();
  const removed = new Map<string, Set<number>>();
  for (const [k, ref] of PARTY_REFS.entries()) {
    const gone = removed.get(ref.table) ?? new Set<number>();
    removed.set(ref.table, gone);
    const values = new Set<string>();
    for (const r of found[k] as { line: number; value: string }[]) {
      if (gone.has(r.line)) continue;
      gone.add(r.line);
      values.add(r.value);
      stats.unload(ref.file);
      await rejects.add({
        file: ref.file, position: r.line, column: ref.column, value: r.value, reason: 'unknown-persoon',
        message: `${ref.file} line ${r.line}: ${ref.column} "${r.value}" is not a persoon_id in personen.csv`,
      }, false);
    }
    // Every row naming an unknown id was found: the rows of those ids are the rows to remove.
    const ids = [...values];
    for (let i = 0; i < ids.length; i += 500) {
      await sql`DELETE FROM ${sql.table(ref.table)} WHERE run_key = ${runKey} AND ${sql.raw(ref.column)} IN (${sql.join(ids.slice(i, i + 500))})`.execute(db);
    }
    if (ids.length) changed.add(ref.table);
  }
  const seen = new Set<string>();
  for (const r of found[PARTY_REFS.length] as { transactie_id: string; line: number; rol: string; persoon_id: string }[]) {
    if (seen.has(r.transactie_id)) continue;
    seen.add(r.transactie_id);
    const column = r.rol === 'koper' ? 'koper_ids' : 'verkoper_ids';
    stats.unload('transacties.csv');
    await rejects.add({
      file: 'transacties.csv', position: r.line, column, value: r.persoon_id, reason: 'unknown-persoon',
      message: `transacties.csv line ${r.line}: ${column} names "${r.persoon_id}", which is not a persoon_id in personen.csv`,
    }, false);
  }
  const ids = [...seen];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await db.deleteFrom('transactie_partij').where('run_key', '=', runKey).where('transactie_id', 'in', chunk).execute();
    await db.deleteFrom('transactie').where('run_key', '=', runKey).where('transactie_id', 'in', chunk).execute();
  }
  if (ids.length) for (const t of ['transactie_partij', 'transactie']) changed.add(t);
  return [...changed];
}
