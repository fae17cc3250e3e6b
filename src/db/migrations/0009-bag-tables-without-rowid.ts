/**
 * The BAG and link tables at national scale: on SQLite they become WITHOUT ROWID tables, so each of
 * the millions of rows a screening loads is written once, into its primary key's b-tree, instead of
 * into a rowid table and a key index (the load is bound by these inserts). Their rows are short and
 * always looked up by key. PostgreSQL has no rowid tables: nothing changes there.
 */
import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

const TABLES = [
  'bag_vbo', 'bag_vbo_adres', 'bag_vbo_gebruiksdoel', 'bag_num', 'bag_opr', 'bag_wpl', 'bag_pnd',
  'unit', 'unit_gebruiksdoel', 'address', 'transactie_partij', 'rule_hit',
];

/** Rebuilds `table` as WITHOUT ROWID from its own definition, keeping its rows and indexes. */
export async function withoutRowid(db: Kysely<unknown>, table: string): Promise<void> {
  const def = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db);
  const create = def.rows[0]?.sql;
  if (!create || /WITHOUT ROWID\s*$/i.test(create)) return;
  const indexes = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ${table} AND sql IS NOT NULL ORDER BY name`.execute(db);
  const next = `${table}_next`;
  const head = create.match(/^CREATE TABLE\s+("[^"]+"|\S+)/i);
  if (!head) throw new Error(`cannot read the definition of ${table}`);
  await sql.raw(`CREATE TABLE "${next}"${create.slice(head[0].length)} WITHOUT ROWID`).execute(db);
  await sql`INSERT INTO ${sql.table(next)} SELECT * FROM ${sql.table(table)}`.execute(db);
  await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  await sql`ALTER TABLE ${sql.table(next)} RENAME TO ${sql.table(table)}`.execute(db);
  for (const i of indexes.rows) await sql.raw(i.sql).execute(db);
}

export const bagTablesWithoutRowid: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    for (const t of TABLES) await withoutRowid(db, t);
  },
  async down() {
    // Rowid or not is invisible to every query: nothing to undo.
  },
};
