/** Retention: every purge is recorded (when, by whom, up to which date, what was removed). */
import type { Kysely, Migration } from 'kysely';

export const purgeLog: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('purge_log')
      .addColumn('purge_id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('who', 'text', (c) => c.notNull())
      .addColumn('before', 'text', (c) => c.notNull())
      .addColumn('runs_removed', 'integer', (c) => c.notNull())
      .addColumn('checks_removed', 'integer', (c) => c.notNull())
      .addColumn('chain_heads', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('purge_log').execute();
  },
};
