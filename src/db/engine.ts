/**
 * What the screen needs from a database engine beyond kysely's query builder: bulk inserts that say
 * which rows were new, and one write transaction per run. One implementation per engine, in its own
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
   * duplicates, so a duplicate key is an error. On PostgreSQL a plain insert took 21-22 µs a row
   * where insertRows' `ON CONFLICT DO NOTHING RETURNING` took 33-40 (party_link rows).
   */
  appendRows(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void>;
  /**
   * The rows of a query as arrays of their column values, in the query's column order: for bulk reads
   * of millions of rows, where SQLite's driver builds an object per row at nearly twice the cost.
   * Column names must be distinct (PostgreSQL's rows come as objects first).
   */
  selectArrays(query: RawBuilder<unknown>): Promise<unknown[][]>;
  /** Refreshes the query planner's statistics after a bulk load (without them it scans). */
  analyse(): Promise<void>;
}

export interface Engine extends Writer {
  /** PostgreSQL: the schema everything lives in (null: the default search path). */
  readonly schema: string | null;
  /**
   * Runs `fn` as the one write transaction of a screening: all of it lands, or none of it, and it is
   * invisible to readers until it commits. A second screening with the same `lockKey` (SQLite: any
   * second writer) waits a while, then is refused with a {@link DatabaseBusyError}.
   */
  writeTransaction<T>(lockKey: string, fn: (w: Writer) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown when another screening holds the database (or the pipeline's lock). */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
}
