/**
 * A party gets a number within its run, `party_no`, and the token index of the applicant check names
 * parties by it instead of by their text id (`personen.csv:P0001234`, 20-odd bytes in every one of
 * some seven entries a party). The index is the largest table of a run and is sorted in full when a
 * run is linked: at 1M units (6.7M entries) 275 → 149 MB, and the statement that builds it 6.7-7.2 →
 * 5.3-5.7 s. A party's number is the position of its first mention in the run's key order, so numbers
 * sort as the ids do and a check picks the same candidates as before.
 *
 * Runs linked before this migration are numbered here, in the order of their party ids.
 */
import { sql, type Kysely } from 'kysely';
import { oneWayMigration } from '../one-way-migration.ts';
import { rebuildTable } from '../sqlite/rebuild-table.ts';

const INDEX = 'party_run_key_party_no_idx';

/** A table definition as rewritten, refused where the rewrite found nothing to change. */
function changed(table: string, before: string, after: string): string {
  if (after === before) throw new Error(`${table} is not defined as 0013-party-number expects: ${before}`);
  return after;
}

async function sqliteUp(db: Kysely<unknown>): Promise<void> {
  await rebuildTable(db, 'party', {
    definition: (body) => changed('party', body, body.replace(/"mentions" integer not null/i, '$&, "party_no" integer not null')),
    // SQLite compares text as bytes (BINARY), the order new runs number their parties in.
    add: { party_no: 'row_number() OVER (PARTITION BY t.run_key ORDER BY t.party_id) - 1' },
  });
  await rebuildTable(db, 'party_token', {
    definition: (body) => changed('party_token', body, body.replace(/"party_id" text not null/i, '"party_no" integer not null').replace(/"token", "party_id"\)/, '"token", "party_no")')),
    rename: (c) => (c === 'party_id' ? 'party_no' : c),
    value: (c) => (c === 'party_id' ? 'p.party_no' : `t."${c}"`),
    join: 'JOIN party p ON p.run_key = t.run_key AND p.party_id = t.party_id',
  });
  await sql.raw(`CREATE UNIQUE INDEX "${INDEX}" ON "party" ("run_key", "party_no")`).execute(db);
}

async function postgresUp(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE party ADD COLUMN party_no integer`.execute(db);
  await sql`UPDATE party SET party_no = s.n FROM (
      SELECT run_key, party_id, row_number() OVER (PARTITION BY run_key ORDER BY party_id COLLATE "C") - 1 AS n FROM party) s
    WHERE s.run_key = party.run_key AND s.party_id = party.party_id`.execute(db);
  await sql`ALTER TABLE party ALTER COLUMN party_no SET NOT NULL`.execute(db);
  await sql.raw(`CREATE UNIQUE INDEX "${INDEX}" ON party (run_key, party_no)`).execute(db);
  await sql`ALTER TABLE party_token ADD COLUMN party_no integer`.execute(db);
  await sql`UPDATE party_token SET party_no = p.party_no FROM party p WHERE p.run_key = party_token.run_key AND p.party_id = party_token.party_id`.execute(db);
  // A token of a party that is not there has nothing to point to (none are written so).
  await sql`DELETE FROM party_token WHERE party_no IS NULL`.execute(db);
  await sql`ALTER TABLE party_token ALTER COLUMN party_no SET NOT NULL`.execute(db);
  // Dropping the column drops the primary key that holds it; it comes back over the number.
  await sql`ALTER TABLE party_token DROP COLUMN party_id`.execute(db);
  await sql`ALTER TABLE party_token ADD CONSTRAINT party_token_pk PRIMARY KEY (run_key, token, party_no)`.execute(db);
}

export const partyNumber = oneWayMigration('0013-party-number', { sqlite: sqliteUp, postgres: postgresUp });
