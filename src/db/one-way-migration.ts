/**
 * A migration that rewrites stored rows in a way each engine does differently (SQLite rebuilds a
 * table, PostgreSQL alters it in place) and that cannot be undone: the old form is not kept.
 */
import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

type Up = (db: Kysely<unknown>) => Promise<void>;

export function oneWayMigration(name: string, up: { sqlite: Up; postgres: Up }): Migration {
  return {
    async up(db) {
      if (db.getExecutor().adapter instanceof SqliteAdapter) await up.sqlite(db);
      else await up.postgres(db);
    },
    async down() {
      throw new Error(`${name} cannot be undone: restore the database from a backup taken before the upgrade`);
    },
  };
}
