/**
 * The applicant check: a token index of parties (built with each run, so a check does not scan all
 * parties) and the check log a privacy officer audits (who, when, the query, the stated reason, how
 * many parties matched).
 */
import type { Kysely, Migration } from 'kysely';

export const check: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('party_token')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull())
      .addColumn('party_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('party_token_pk', ['run_id', 'token', 'party_id'])
      .execute();
    await db.schema.createIndex('party_kvk_idx').on('party').columns(['run_id', 'kvk_nummer']).execute();
    await db.schema.createTable('check_log')
      .addColumn('check_id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('who', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('reden', 'text')
      .addColumn('natural_person', 'integer', (c) => c.notNull())
      .addColumn('matches', 'integer', (c) => c.notNull())
      .addColumn('rejected', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('check_log_at_idx').on('check_log').column('at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('check_log').execute();
    await db.schema.dropIndex('party_kvk_idx').execute();
    await db.schema.dropTable('party_token').execute();
  },
};
