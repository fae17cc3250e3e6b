/**
 * What the screen needs from a database engine beyond kysely's query builder: bulk inserts that say
 * which rows were new, and one write transaction per run. One implementation per engine, in its own
 * folder (as kysely keeps its dialects).
 */
import type { Db } from './database.ts';

export interface Engine {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Db;
  /**
   * Inserts rows into `table`. A row whose primary key exists already is not inserted; the result
   * says, per row, whether it was (`false` = duplicate key).
   */
  insertRows(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<boolean[]>;
  /**
   * Runs `fn` as the one write transaction of a screening: all of it lands, or none of it. A second
   * writer waits a while, then is refused with a message that says why.
   */
  writeTransaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown when another screening holds the database. */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
}
