/** SQLite only: turning a rowid table into a WITHOUT ROWID table, for migrations. */
import { sql, type Kysely } from 'kysely';
import { rebuildTable } from './rebuild-table.ts';

/** Rebuilds `table` as WITHOUT ROWID from its own definition, keeping its rows and indexes. */
export async function withoutRowid(db: Kysely<unknown>, table: string): Promise<void> {
  const def = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(db);
  const create = def.rows[0]?.sql;
  if (!create || /WITHOUT ROWID\s*$/i.test(create)) return;
  await rebuildTable(db, table, { definition: (body) => `${body} WITHOUT ROWID` });
}
