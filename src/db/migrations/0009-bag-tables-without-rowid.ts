/**
 * The BAG and link tables at national scale: on SQLite they become WITHOUT ROWID tables, so each of
 * the millions of rows a screening loads is written once, into its primary key's b-tree, instead of
 * into a rowid table and a key index (the load is bound by these inserts). Their rows are short and
 * always looked up by key. PostgreSQL has no rowid tables: nothing changes there.
 */
import { SqliteAdapter, type Kysely, type Migration } from 'kysely';
import { withoutRowid } from '../sqlite/without-rowid.ts';

const TABLES = [
  'bag_vbo', 'bag_vbo_adres', 'bag_vbo_gebruiksdoel', 'bag_num', 'bag_opr', 'bag_wpl', 'bag_pnd',
  'unit', 'unit_gebruiksdoel', 'address', 'transactie_partij', 'rule_hit',
];

export const bagTablesWithoutRowid: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
    for (const t of TABLES) await withoutRowid(db, t);
  },
  async down() {
    // Rowid or not is invisible to every query: nothing to undo.
  },
};
