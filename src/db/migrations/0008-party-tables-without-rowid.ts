/**
 * The party tables at national scale (ten million rows of tokens): on SQLite they become WITHOUT
 * ROWID tables, so each row is stored once, in its primary key's b-tree, instead of in a rowid
 * table plus a key index; and party_link loses an index that repeated its primary key. PostgreSQL
 * keeps its tables and drops the repeated index only.
 */
import { sql, SqliteAdapter, type Kysely, type Migration } from 'kysely';

type Col = [name: string, nn: boolean];
const TABLES: { name: string; cols: Col[]; pk: string[]; indexes: [string, string[]][] }[] = [
  {
    name: 'party',
    cols: [['run_id', true], ['party_id', true], ['kind', true], ['naam', true], ['kvk_nummer', false], ['geboortedatum', false], ['mentions', true]],
    pk: ['run_id', 'party_id'],
    indexes: [['party_kvk_idx', ['run_id', 'kvk_nummer']]],
  },
  {
    name: 'party_link',
    cols: [['run_id', true], ['source', true], ['mention_id', true], ['party_id', true], ['naam_norm', true], ['reason', true], ['naam', false]],
    pk: ['run_id', 'source', 'mention_id'],
    indexes: [['party_link_run_id_party_id_idx', ['run_id', 'party_id']]],
  },
  { name: 'party_token', cols: [['run_id', true], ['token', true], ['party_id', true]], pk: ['run_id', 'token', 'party_id'], indexes: [] },
];
const INTEGER_COLS = new Set(['mentions']);

export const partyTablesWithoutRowid: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('party_link_mention_idx').execute();
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    for (const t of TABLES) {
      const next = `${t.name}_next`;
      let create = db.schema.createTable(next);
      for (const [col, nn] of t.cols) create = create.addColumn(col, INTEGER_COLS.has(col) ? 'integer' : 'text', (c) => (nn ? c.notNull() : c));
      await create.addPrimaryKeyConstraint(`${t.name}_pk`, t.pk as never).modifyEnd(sql`WITHOUT ROWID`).execute();
      const cols = sql.join(t.cols.map(([c]) => sql.ref(c)));
      await sql`INSERT INTO ${sql.table(next)} (${cols}) SELECT ${cols} FROM ${sql.table(t.name)}`.execute(db);
      await db.schema.dropTable(t.name).execute();
      await db.schema.alterTable(next).renameTo(t.name).execute();
      for (const [name, idxCols] of t.indexes) await db.schema.createIndex(name).on(t.name).columns(idxCols).execute();
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.createIndex('party_link_mention_idx').on('party_link').columns(['run_id', 'source', 'mention_id']).execute();
  },
};
