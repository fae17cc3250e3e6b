/** SQLite only: turning a rowid table into a WITHOUT ROWID table, for migrations. */
import { sql, type Kysely } from 'kysely';

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
