/**
 * Scheduled screenings: one row per pipeline and schedule occurrence, claimed before the run starts,
 * so two `vib run-due` calls from cron never run the same occurrence twice.
 */
import type { Kysely, Migration } from 'kysely';

export const scheduleClaim: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('schedule_claim')
      .addColumn('pipeline', 'text', (c) => c.notNull())
      .addColumn('occurrence', 'text', (c) => c.notNull())
      .addColumn('claimed_at', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text')
      .addColumn('run_id', 'text')
      .addPrimaryKeyConstraint('schedule_claim_pk', ['pipeline', 'occurrence'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('schedule_claim').execute();
  },
};
