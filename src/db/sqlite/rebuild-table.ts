/**
 * SQLite only, for migrations: SQLite cannot change a table's key or storage in place, so a table is
 * rebuilt from its own definition (changed as asked), its rows copied, and its indexes made again.
 */
import { sql, type Kysely } from 'kysely';

export interface TableChange {
  /** The definition after the table's name: `(…columns and constraints…)`, plus any table options. */
  definition?: (body: string) => string;
  /** A column's name in the rebuilt table (default: unchanged). */
  rename?: (column: string) => string;
  /** The SQL that fills a column, over the old table aliased `t` (default: `t."column"`). */
  value?: (column: string) => string;
  /** Joined to the old table `t` while copying, e.g. to look a value up; rows without a match are not copied. */
  join?: string;
  /** An index's CREATE statement for the rebuilt table (default: unchanged). */
  index?: (createIndex: string) => string;
  /** Columns the rebuilt table has beside the old one's (added by `definition`), each with the SQL that fills it. */
  add?: Record<string, string>;
}

/** Rebuilds `table` with `change` applied, keeping its rows (as `change` maps them) and its indexes. */
export async function rebuildTable(db: Kysely<unknown>, table: string, change: TableChange): Promise<void> {
  const def = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db);
  const create = def.rows[0]?.sql;
  const head = create?.match(/^CREATE TABLE\s+("[^"]+"|\S+)/i);
  if (!create || !head) throw new Error(`cannot read the definition of ${table}`);
  const indexes = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ${table} AND sql IS NOT NULL ORDER BY name`.execute(db);
  const cols = (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table}) ORDER BY cid`.execute(db)).rows.map((c) => c.name);
  const body = create.slice(head[0].length);
  const next = `${table}_next`;
  const rename = change.rename ?? ((c: string) => c);
  const value = change.value ?? ((c: string) => `t."${c}"`);
  const added = Object.entries(change.add ?? {});
  await sql.raw(`CREATE TABLE "${next}"${change.definition ? change.definition(body) : body}`).execute(db);
  await sql.raw(`INSERT INTO "${next}" (${[...cols.map((c) => `"${rename(c)}"`), ...added.map(([c]) => `"${c}"`)].join(', ')})
    SELECT ${[...cols.map(value), ...added.map(([, v]) => v)].join(', ')} FROM "${table}" t ${change.join ?? ''}`).execute(db);
  await sql.raw(`DROP TABLE "${table}"`).execute(db);
  await sql.raw(`ALTER TABLE "${next}" RENAME TO "${table}"`).execute(db);
  for (const i of indexes.rows) await sql.raw(change.index ? change.index(i.sql) : i.sql).execute(db);
}
