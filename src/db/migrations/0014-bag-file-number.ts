/**
 * A BAG voorkomen names the file it was read from by number (`file_no`, in the run's new table
 * `bag_file`) instead of by the file's path (`bag/9999VBO08122025-000001.xml`, or a zip's entry:
 * 30 to 80 bytes in each of millions of rows, and of nothing else: nothing reads it but the check
 * that tells a duplicate voorkomen from the one stored). Loading the 1M bench's BAG alone, three times
 * each way: the write-ahead log 568 → 484 MB, the loading thread's CPU 11.1-11.6 → 9.9-10.7 s, the
 * checkpoint 1.8-2.1 → 1.5-1.8 s.
 *
 * Runs loaded before this migration get their files numbered here, in the order of their names.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { oneWayMigration } from '../one-way-migration.ts';
import { rebuildTable } from '../sqlite/rebuild-table.ts';

const VOORKOMEN_TABLES = ['bag_vbo', 'bag_num', 'bag_opr', 'bag_wpl', 'bag_pnd'] as const;

/** `bag_file`, filled with the files of the runs there are, numbered in the order `byName` sorts their names. */
async function fileTable(db: Kysely<unknown>, byName: RawBuilder<unknown>): Promise<void> {
  await db.schema.createTable('bag_file')
    .addColumn('run_key', 'integer', (c) => c.notNull())
    .addColumn('file_no', 'integer', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bag_file_pk', ['run_key', 'file_no'])
    .addUniqueConstraint('bag_file_name_unique', ['run_key', 'file'])
    .execute();
  const files = sql.join(VOORKOMEN_TABLES.map((t) => sql`SELECT run_key, file FROM ${sql.table(t)}`), sql` UNION `);
  await sql`INSERT INTO bag_file (run_key, file_no, file)
    SELECT run_key, row_number() OVER (PARTITION BY run_key ORDER BY ${byName}) - 1, file FROM (${files}) f`.execute(db);
}

// Names in byte order on both engines, as the reader lists the files.
async function sqliteUp(db: Kysely<unknown>): Promise<void> {
  await fileTable(db, sql`file`);
  for (const table of VOORKOMEN_TABLES) {
    await rebuildTable(db, table, {
      definition: (body) => {
        const next = body.replace(/"file" text not null/i, '"file_no" integer not null');
        if (next === body) throw new Error(`${table} has no file column to number`);
        return next;
      },
      rename: (c) => (c === 'file' ? 'file_no' : c),
      value: (c) => (c === 'file' ? 'f.file_no' : `t."${c}"`),
      join: 'JOIN bag_file f ON f.run_key = t.run_key AND f.file = t.file',
    });
  }
}

async function postgresUp(db: Kysely<unknown>): Promise<void> {
  await fileTable(db, sql`file COLLATE "C"`);
  for (const table of VOORKOMEN_TABLES) {
    const t = sql.table(table);
    await sql`ALTER TABLE ${t} ADD COLUMN file_no integer`.execute(db);
    await sql`UPDATE ${t} SET file_no = f.file_no FROM bag_file f WHERE f.run_key = ${t}.run_key AND f.file = ${t}.file`.execute(db);
    await sql`ALTER TABLE ${t} ALTER COLUMN file_no SET NOT NULL`.execute(db);
    await sql`ALTER TABLE ${t} DROP COLUMN file`.execute(db);
  }
}

export const bagFileNumber = oneWayMigration('0014-bag-file-number', { sqlite: sqliteUp, postgres: postgresUp });
