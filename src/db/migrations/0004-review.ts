/**
 * Review: the state of each unit per pipeline (status, assignee, pending four-eyes closure, the set
 * of hits it was judged on), an append-only audit log that triggers forbid to change or delete, local
 * users and their sessions.
 */
import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

export const review: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('review_state')
      .addColumn('pipeline', 'text', (c) => c.notNull())
      .addColumn('vbo_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('assignee', 'text')
      .addColumn('note', 'text')
      .addColumn('pending_status', 'text')
      .addColumn('pending_by', 'text')
      .addColumn('hits_key', 'text', (c) => c.notNull())
      .addColumn('score', 'integer', (c) => c.notNull())
      .addColumn('band', 'text')
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('review_state_pk', ['pipeline', 'vbo_id'])
      .execute();
    await db.schema.createTable('review_audit')
      .addColumn('audit_id', 'text', (c) => c.primaryKey())
      .addColumn('pipeline', 'text', (c) => c.notNull())
      .addColumn('vbo_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('who', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('old_status', 'text')
      .addColumn('new_status', 'text')
      .addColumn('old_assignee', 'text')
      .addColumn('new_assignee', 'text')
      .addColumn('note', 'text')
      .addColumn('run_id', 'text')
      .execute();
    await db.schema.createIndex('review_audit_entry_idx').on('review_audit').columns(['pipeline', 'vbo_id', 'at']).execute();
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      await sql`CREATE FUNCTION review_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'review_audit is append-only: % is not allowed', TG_OP; END $$`.execute(db);
      await sql`CREATE TRIGGER review_audit_no_update BEFORE UPDATE OR DELETE ON review_audit FOR EACH ROW EXECUTE FUNCTION review_audit_append_only()`.execute(db);
      await sql`CREATE TRIGGER review_audit_no_truncate BEFORE TRUNCATE ON review_audit FOR EACH STATEMENT EXECUTE FUNCTION review_audit_append_only()`.execute(db);
    } else {
      await sql`CREATE TRIGGER review_audit_no_update BEFORE UPDATE ON review_audit BEGIN SELECT RAISE(ABORT, 'review_audit is append-only: UPDATE is not allowed'); END`.execute(db);
      await sql`CREATE TRIGGER review_audit_no_delete BEFORE DELETE ON review_audit BEGIN SELECT RAISE(ABORT, 'review_audit is append-only: DELETE is not allowed'); END`.execute(db);
    }
    await db.schema.createTable('app_user')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('app_session')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['app_session', 'app_user', 'review_audit', 'review_state']) await db.schema.dropTable(t).execute();
  },
};
