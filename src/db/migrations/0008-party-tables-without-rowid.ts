/**
 * The party tables at national scale (ten million rows of tokens): on SQLite they become WITHOUT
 * ROWID tables, so each row is stored once, in its primary key's b-tree, instead of in a rowid
 * table plus a key index; and party_link loses an index that repeated its primary key. PostgreSQL
 * keeps its tables and drops the repeated index only.
 */
import { SqliteAdapter, type Kysely, type Migration } from 'kysely';
import { withoutRowid } from '../sqlite/without-rowid.ts';

export const partyTablesWithoutRowid: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('party_link_mention_idx').execute();
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    for (const t of ['party', 'party_link', 'party_token']) await withoutRowid(db, t);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.createIndex('party_link_mention_idx').on('party_link').columns(['run_id', 'source', 'mention_id']).execute();
  },
};
