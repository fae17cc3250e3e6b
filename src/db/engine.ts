/**
 * What the screen needs from a database engine beyond kysely's query builder: bulk inserts that say
 * which rows were new, and a run's writes under one screening lock (in stages that commit as they go,
 * where the engine gains by it). One implementation per engine, in its own
 * folder (as kysely keeps its dialects): `sqlite/` and `postgres/`.
 */
import type { RawBuilder } from 'kysely';
import type { Db } from './database.ts';

/** Writing inside (or outside) a run's transaction: the query builder and bulk inserts on one connection. */
export interface Writer {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Db;
  /**
   * Inserts rows into `table`. A row whose primary key exists already (in the table or earlier in the
   * same call) is not inserted; the result says, per row, whether it was (`false` = duplicate key).
   * `identity`: columns among `columns` whose values no two rows sharing a key ever have in common
   * (a record's file and position): SQLite then reads back which rows went in instead of undoing and
   * redoing a batch that held a duplicate (see sqlite-engine.ts).
   */
  insertRows(table: string, columns: readonly string[], rows: readonly unknown[][], identity?: readonly string[]): Promise<boolean[]>;
  /**
   * Inserts rows whose keys are new by construction (derived and scratch tables): nothing checks for
   * duplicates, so a duplicate key is an error. For a run's transaction: on SQLite the rows a failing
   * statement put in before the duplicate stay until the run's rollback removes them (`OR FAIL`, see
   * sqlite-engine.ts), so outside a transaction they would stay. On PostgreSQL a plain insert took
   * 21-22 µs a row where insertRows' `ON CONFLICT DO NOTHING RETURNING` took 33-40 (party_link rows).
   */
  appendRows(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void>;
  /**
   * The rows of a query as arrays of their column values, in the query's column order: for bulk reads
   * of millions of rows, where SQLite's driver builds an object per row at nearly twice the cost.
   * Column names must be distinct (PostgreSQL's rows come as objects first).
   */
  selectArrays(query: RawBuilder<unknown>): Promise<unknown[][]>;
  /** Refreshes the query planner's statistics after a bulk load (without them it scans): of these tables, or of all. */
  analyse(tables?: readonly string[]): Promise<void>;
}

/** The writer a screening gets: a Writer whose work can be committed in stages. */
export interface ScreeningWriter extends Writer {
  /**
   * Ends a stage of the screening. SQLite commits what was written so far, starts the next transaction
   * at once, and has a second connection on a worker thread checkpoint the write-ahead log into the
   * database while this thread goes on: the commit at the end is then a small one, and the stages after
   * a checkpoint read the database file instead of searching a log of gigabytes (at 1M units link-units
   * took 8.3 s after a checkpoint of the loaded inputs against 11.3 s without). PostgreSQL does nothing:
   * its run stays one transaction (its log is not the readers' problem).
   *
   * What a stage committed is visible, so a screening that commits stages must mark its rows as not yet
   * a run's (a `run` row whose `finished_at` is null: every reader asks for finished runs only), and
   * remove them when it fails; a screening killed between stages leaves them to the next one, which
   * the screening lock lets remove them safely (see run-screen.ts).
   */
  commitStage(): Promise<void>;
  /**
   * The database file a second connection opens to read what the stages committed (SQLite on disk),
   * or null where a second connection would not see the run (PostgreSQL: one transaction; SQLite in
   * memory).
   */
  readonly committedFile: string | null;
}

export interface Engine extends Writer {
  /** PostgreSQL: the schema everything lives in (null: the default search path). */
  readonly schema: string | null;
  /**
   * Runs `fn` as a screening's writes under the screening lock: a second screening with the same
   * `lockKey` (SQLite: any second screening of the database) waits a while, then is refused with a
   * {@link DatabaseBusyError}. Without {@link ScreeningWriter.commitStage} it is one transaction: all of
   * it lands, or none of it, invisible to readers until it commits. The lock is held from the first
   * stage to the last (SQLite: on a file of its own beside the database, `PATH-screening`, which the
   * operating system releases when the process dies).
   */
  writeTransaction<T>(lockKey: string, fn: (w: ScreeningWriter) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown when another screening holds the database (or the pipeline's lock). */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
}
