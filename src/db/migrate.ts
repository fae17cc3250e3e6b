/**
 * Brings a database to the current schema with kysely's Migrator. Migrations live in code (not a
 * folder scan), so the set is fixed at build time and identical for every engine.
 */
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
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
};

/** The schema version a run records in its manifest: the name of the newest migration. */
export const SCHEMA_VERSION = Object.keys(migrations).sort().at(-1)!;

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Runs all pending migrations (or those up to `target`, to test an upgrade from an older schema);
 * throws with the failing migration's name.
 */
export async function migrateToLatest(db: Db, schema: string | null = null, target?: string): Promise<void> {
  // kysely looks for its bookkeeping tables by name across schemas: name ours, or another schema's
  // tables would be taken for this one's.
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
}
