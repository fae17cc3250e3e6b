/**
 * Brings a database to the current schema with kysely's Migrator. Migrations live in code (not a
 * folder scan), so the set is fixed at build time and identical for every engine.
 */
import { Migrator, PostgresAdapter, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import { initial } from './migrations/0001-initial.ts';
import { scheduleClaim } from './migrations/0002-schedule-claim.ts';
import { check } from './migrations/0003-check.ts';
import { review } from './migrations/0004-review.ts';
import { checkIndexes } from './migrations/0005-check-indexes.ts';
import { purgeLog } from './migrations/0006-purge-log.ts';
import { partyLinkName } from './migrations/0007-party-link-name.ts';
import { partyTablesWithoutRowid } from './migrations/0008-party-tables-without-rowid.ts';
import { bagTablesWithoutRowid } from './migrations/0009-bag-tables-without-rowid.ts';
import { kvkPartialIndexes } from './migrations/0010-kvk-partial-indexes.ts';
import { integerRunKey } from './migrations/0011-integer-run-key.ts';
import { dropBagNumPostcodeIndex } from './migrations/0012-drop-bag-num-postcode-index.ts';
import { partyNumber } from './migrations/0013-party-number.ts';
import { bagFileNumber } from './migrations/0014-bag-file-number.ts';
import { unitHoofdadres } from './migrations/0015-unit-hoofdadres.ts';
import { dropAddressPostcodeIndex } from './migrations/0016-drop-address-postcode-index.ts';
import { persoonLegalEntityIndex } from './migrations/0017-persoon-legal-entity-index.ts';

const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-schedule-claim': scheduleClaim,
  '0003-check': check,
  '0004-review': review,
  '0005-check-indexes': checkIndexes,
  '0006-purge-log': purgeLog,
  '0007-party-link-name': partyLinkName,
  '0008-party-tables-without-rowid': partyTablesWithoutRowid,
  '0009-bag-tables-without-rowid': bagTablesWithoutRowid,
  '0010-kvk-partial-indexes': kvkPartialIndexes,
  '0011-integer-run-key': integerRunKey,
  '0012-drop-bag-num-postcode-index': dropBagNumPostcodeIndex,
  '0013-party-number': partyNumber,
  '0014-bag-file-number': bagFileNumber,
  '0015-unit-hoofdadres': unitHoofdadres,
  '0016-drop-address-postcode-index': dropAddressPostcodeIndex,
  '0017-persoon-legal-entity-index': persoonLegalEntityIndex,
};

/** The schema version a run records in its manifest: the name of the newest migration. */
export const SCHEMA_VERSION = Object.keys(migrations).sort().at(-1)!;

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The migrations this database has run, or null where kysely's bookkeeping table is not there yet. */
async function executedMigrations(db: Db, schema: string | null): Promise<Set<string> | null> {
  try {
    const r = await sql<{ name: string }>`SELECT name FROM ${sql.table(schema ? `${schema}.kysely_migration` : 'kysely_migration')}`.execute(db);
    return new Set(r.rows.map((x) => x.name));
  } catch {
    return null; // a new database: the migrator creates the table
  }
}

/**
 * Runs all pending migrations (or those up to `target`, to test an upgrade from an older schema);
 * throws with the failing migration's name.
 *
 * A database that is up to date is left alone without starting kysely's Migrator: the Migrator looks
 * for its own tables by listing every column of every table in the whole database (all schemas),
 * which on a shared PostgreSQL database is slow and, worse, fails with "column … does not exist" when
 * another session drops a column while it lists (seen in CI: two test schemas migrating side by side).
 * Where there is work to do on PostgreSQL, one database-wide advisory lock is held around the
 * Migrator, so no session lists the tables while another one's migration changes them.
 */
export async function migrateToLatest(db: Db, schema: string | null = null, target?: string): Promise<void> {
  const wanted = Object.keys(migrations).filter((name) => target === undefined || name <= target);
  const done = await executedMigrations(db, schema);
  if (done && done.size === wanted.length && wanted.every((name) => done.has(name))) return;
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return runMigrator(db, schema, target);
  await db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(hashtext('vastgoed-in-beeld:migrate'))`.execute(conn);
    try {
      await runMigrator(db, schema, target);
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext('vastgoed-in-beeld:migrate'))`.execute(conn);
    }
  });
}

async function runMigrator(db: Db, schema: string | null, target: string | undefined): Promise<void> {
  // kysely looks for its bookkeeping tables by name across schemas: name ours, or another schema's
  // tables would be taken for this one's.
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) {
    // An error outside any migration step (kysely's own bookkeeping) names no migration.
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'bookkeeping';
    throw new Error(`database migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
}
