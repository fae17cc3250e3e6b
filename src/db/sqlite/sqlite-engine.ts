/**
 * SQLite through better-sqlite3: the embedded default. WAL mode so reviewers keep reading while a
 * screening writes; bulk inserts go straight to prepared statements (kysely's builder costs three
 * times as much per row, see ../shared/PERF-NOTES.md).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type RawBuilder } from 'kysely';
import type { Database } from '../database.ts';
import { DatabaseBusyError, type Engine } from '../engine.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';

export interface SqliteOptions {
  /** How long a second writer waits for the lock before it is refused, in ms. */
  busyTimeoutMs?: number;
  /** The page cache, in MB (SQLite takes it only as it fills). */
  cacheMb?: number;
  /** The page size of a database this creates, in bytes (a power of two, 512 to 65536). */
  pageSize?: number;
}

export function openSqlite(path: string, options: SqliteOptions = {}): Engine {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new BetterSqlite3(path);
  raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  // Only a new, empty database takes the page size; an existing one keeps its own (a database in
  // WAL mode cannot change it; see the README to convert one).
  if (options.pageSize) raw.pragma(`page_size = ${options.pageSize}`);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  // Temporary tables and large sorts go to a file (the OS caches it), with a page cache of their own:
  // party linking's scratch tables grow with the country, and memory must not. 64 MB: party linking
  // reads its scratch tables in key order, so a bigger cache saves little (with 256 MB the 1M bench's
  // peak RSS was 70-150 MB higher and link-parties no faster).
  raw.pragma('temp_store = FILE');
  raw.pragma('temp.cache_size = -65536');
  raw.pragma(`cache_size = -${Math.round((options.cacheMb ?? 256) * 1024)}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const statements = new Map<string, BetterSqlite3.Statement>();

  const prepared = (sqlText: string) => {
    let stmt = statements.get(sqlText);
    if (!stmt) { stmt = raw.prepare(sqlText); statements.set(sqlText, stmt); }
    return stmt;
  };
  const savepoint = raw.prepare('SAVEPOINT vib_batch');
  const release = raw.prepare('RELEASE vib_batch');
  const rollbackTo = raw.prepare('ROLLBACK TO vib_batch');
  /**
   * What happens to a batch that held a duplicate key. A savepoint around every batch (the fallback)
   * makes SQLite copy each page the batch touches, before it first changes it, into a journal of its
   * own: with keys that arrive out of order that is a page per index per row (300,000 rows, two
   * secondary indexes, random keys: 20 µs a row with a savepoint per 64 rows, 9.5 µs without; the 1M
   * bench with `--order shuffled`: load-bag 58 s with savepoints). So, where it is exact:
   * - a table with rowids numbers new rows above its largest rowid: a batch that went in partly is
   *   undone by deleting the rows above the largest rowid before it, and redone row by row (no trigger,
   *   and no INTEGER PRIMARY KEY among the columns);
   * - given `identity` columns (see Writer.insertRows), nothing is undone: a multi-row INSERT OR IGNORE
   *   keeps the first of rows sharing a key as one-by-one inserts would, and a row went in if the row
   *   stored under its key has its identity.
   */
  interface BatchGuard { begin(): void; partly(rows: readonly unknown[][], from: number, out: boolean[]): void; end(): void }
  const batchGuards = new Map<string, BatchGuard>();
  const batchGuardOf = (table: string, columns: readonly string[], identity: readonly string[] | undefined): BatchGuard => {
    const key = `${table}(${columns.join(',')})${identity?.join(',') ?? ''}`;
    const known = batchGuards.get(key);
    if (known) return known;
    const { single } = inserts('INSERT OR IGNORE', table, columns);
    const rowByRow = (rows: readonly unknown[][], from: number, out: boolean[]) => {
      for (let r = from; r < from + BATCH; r++) out[r] = single.run(...rows[r]!).changes === 1;
    };
    const def = raw.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) as string | undefined;
    const triggers = raw.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?").pluck().get(table) as number;
    const pk = raw.prepare('SELECT name, upper(type) AS type FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(table) as { name: string; type: string }[];
    const rowidAlias = pk.length === 1 && pk[0]!.type === 'INTEGER' ? pk[0]!.name : null;
    // A table of its own: nothing else happens when a row goes in (no trigger).
    const plainTable = def !== undefined && triggers === 0;
    const withoutRowid = def !== undefined && /\bWITHOUT\s+ROWID\b/i.test(def);
    let guard: BatchGuard = { begin: () => savepoint.run(), partly: (rows, from, out) => { rollbackTo.run(); rowByRow(rows, from, out); }, end: () => release.run() };
    if (plainTable && !withoutRowid && (rowidAlias === null || !columns.includes(rowidAlias))) {
      const maxRowid = raw.prepare(`SELECT coalesce(max(rowid), 0) FROM "${table}"`).pluck();
      const deleteAbove = raw.prepare(`DELETE FROM "${table}" WHERE rowid > ?`);
      let before = 0;
      guard = { begin: () => { before = maxRowid.get() as number; }, partly: (rows, from, out) => { deleteAbove.run(before); rowByRow(rows, from, out); }, end: () => undefined };
    } else if (plainTable && identity?.length && pk.length && [...pk.map((c) => c.name), ...identity].every((c) => columns.includes(c))) {
      // A multi-row INSERT OR IGNORE keeps the first of rows sharing a key, as inserting them one by
      // one would: nothing to undo. A row went in if the row now stored under its key is this one.
      const keyAt = pk.map((c) => columns.indexOf(c.name));
      const idAt = identity.map((c) => columns.indexOf(c));
      const stored = raw.prepare(`SELECT ${identity.map((c) => `"${c}"`).join(',')} FROM "${table}" WHERE ${pk.map((c) => `"${c.name}" = ?`).join(' AND ')}`).raw(true);
      guard = {
        begin: () => undefined,
        partly: (rows, from, out) => {
          for (let r = from; r < from + BATCH; r++) {
            const row = rows[r]!;
            const found = stored.get(...keyAt.map((k) => row[k])) as unknown[] | undefined;
            out[r] = found !== undefined && idAt.every((k, c) => found[c] === row[k]);
          }
        },
        end: () => undefined,
      };
    }
    batchGuards.set(key, guard);
    return guard;
  };
  // Rows go in BATCH at a time, one statement each (a third faster than a statement per row). When a
  // batch held a duplicate key, its guard (above) finds out which rows went in, so that the answer
  // still says so per row: duplicates are rare, and only their batch pays. Values are passed as the
  // statement's arguments (`run(...values)`), not as one array: better-sqlite3 reads an array's
  // elements one property lookup at a time, an argument directly (64 rows of 15 columns into a table
  // in memory: 2.6-3.9 us a row as an array, 1.8-2.6 us as arguments).
  const BATCH = 64;
  /** The statements inserting one row and BATCH rows into `table`. */
  const inserts = (verb: string, table: string, columns: readonly string[]) => {
    const head = `${verb} INTO "${table}" (${columns.map((c) => `"${c}"`).join(',')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(',')})`;
    return { single: prepared(head + tuple), multi: () => prepared(head + Array(BATCH).fill(tuple).join(',')) };
  };
  /** Rows i..i+BATCH-1 as one parameter list. */
  const batchParams = (rows: readonly unknown[][], i: number, width: number, params: unknown[]) => {
    for (let r = 0, k = 0; r < BATCH; r++) { const row = rows[i + r]!; for (let c = 0; c < width; c++) params[k++] = row[c]; }
    return params;
  };
  const insertRows = async (table: string, columns: readonly string[], rows: readonly unknown[][], identity?: readonly string[]): Promise<boolean[]> => {
    const { single, multi } = inserts('INSERT OR IGNORE', table, columns);
    const out = new Array<boolean>(rows.length);
    let i = 0;
    if (rows.length >= BATCH) {
      const many = multi();
      const params = new Array<unknown>(BATCH * columns.length);
      const batch = batchGuardOf(table, columns, identity);
      for (; i + BATCH <= rows.length; i += BATCH) {
        batch.begin();
        if (many.run(...batchParams(rows, i, columns.length, params)).changes === BATCH) out.fill(true, i, i + BATCH);
        else batch.partly(rows, i, out);
        batch.end();
      }
    }
    for (; i < rows.length; i++) out[i] = single.run(...rows[i]!).changes === 1;
    return out;
  };
  // OR FAIL, not the default OR ABORT: to undo a statement that fails halfway, SQLite copies every page
  // the statement is first to change into a statement journal, a temporary file here (32 KB a page,
  // about a page for every statement of 64 rows). A duplicate key here is a bug that fails the run,
  // whose transaction is rolled back whole, so the undo is never needed. Appending 3M rows of
  // bag_vbo_adres's shape in one transaction: 3.90-3.94 s (0.92-0.93 s of it system CPU) with INSERT,
  // 3.11-3.19 s (0.23-0.25) with INSERT OR FAIL.
  const appendRows = async (table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> => {
    const { single, multi } = inserts('INSERT OR FAIL', table, columns);
    let i = 0;
    if (rows.length >= BATCH) {
      const many = multi();
      const params = new Array<unknown>(BATCH * columns.length);
      for (; i + BATCH <= rows.length; i += BATCH) many.run(...batchParams(rows, i, columns.length, params));
    }
    for (; i < rows.length; i++) single.run(...rows[i]!);
  };
  // Not cached with the inserts' statements: a raw statement stays raw, and queries vary (IN lists).
  const selectArrays = async (query: RawBuilder<unknown>): Promise<unknown[][]> => {
    const q = query.compile(db);
    return raw.prepare(q.sql).raw(true).all(...q.parameters) as unknown[][];
  };
  // A sampled ANALYZE: seconds at national scale, and the planner picks the indexes.
  const analyse = async (tables?: readonly string[]) => {
    raw.exec(`PRAGMA analysis_limit = 1000; ${tables ? tables.map((t) => `ANALYZE "${t}";`).join(' ') : 'ANALYZE;'}`);
    // A sampled ANALYZE sees 1,000 rows of each index and concludes that a run selects 1,001 rows:
    // the planner then prefers scanning "a thousand" rows of the run to a few hundred key lookups,
    // which at a million units is a scan of a million. Rows per run is the table's rows over the runs.
    const runs = Math.max(1, (raw.prepare('SELECT count(*) AS n FROM run').get() as { n: number }).n);
    const stats = (raw.prepare('SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL').all() as { tbl: string; idx: string; stat: string }[])
      .filter((st) => !tables || tables.includes(st.tbl));
    const update = raw.prepare('UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx = ?');
    for (const st of stats) {
      const first = raw.prepare('SELECT name FROM pragma_index_info(?) WHERE seqno = 0').get(st.idx) as { name: string } | undefined;
      const parts = st.stat.split(' ');
      if ((first?.name !== 'run_key' && first?.name !== 'run_id') || parts.length < 2) continue;
      parts[1] = String(Math.max(1, Math.ceil(Number(parts[0]) / runs)));
      update.run(parts.join(' '), st.tbl, st.idx);
    }
    raw.exec('ANALYZE sqlite_schema');
  };
  return {
    kind: 'sqlite',
    analyse,
    schema: null,
    db,
    insertRows,
    appendRows,
    selectArrays,
    // SQLite has one writer per database file: the lock is the file's, whatever the pipeline.
    async writeTransaction(_lockKey, fn) {
      const lock = path === ':memory:' ? null : screeningLock(path, options.busyTimeoutMs ?? 10_000);
      let checkpointer: Checkpointer | null = null;
      const autoCheckpoint = raw.pragma('wal_autocheckpoint', { simple: true }) as number;
      const begin = () => {
        try {
          raw.exec('BEGIN IMMEDIATE');
        } catch (err) {
          if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
          // Not a screening (the lock above keeps those out) but a writer holding the database longer
          // than the busy timeout.
          throw new DatabaseBusyError(`the database ${path} is busy with another writer; try again in a moment`);
        }
      };
      try {
        begin();
        // The checkpoints are the checkpointer's (or the end's), not every commit's.
        raw.pragma('wal_autocheckpoint = 0');
        const commitStage = async () => {
          raw.exec('COMMIT');
          if (path !== ':memory:') {
            checkpointer ??= startCheckpointer(path, options.busyTimeoutMs ?? 10_000);
            checkpointer.request();
          }
          begin();
        };
        const result = await fn({ kind: 'sqlite', db, insertRows, appendRows, selectArrays, analyse, commitStage, committedFile: path === ':memory:' ? null : path });
        raw.exec('COMMIT');
        // What the checkpointer has not copied yet is copied now, as a commit would have done: left in
        // the log, it would slow every reader, and the next writer's commit (a reviewer's) would pay it.
        // (The casts: the compiler does not see commitStage assign it.)
        await (checkpointer as Checkpointer | null)?.idle();
        raw.pragma('wal_checkpoint(PASSIVE)');
        return result;
      } catch (err) {
        if (raw.inTransaction) raw.exec('ROLLBACK');
        throw err;
      } finally {
        raw.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
        await (checkpointer as Checkpointer | null)?.close();
        lock?.close();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * The screening lock: an exclusive lock on a small file beside the database (`PATH-screening`), held
 * by a connection of its own for the whole screening, across the stages it commits. The database's
 * own write lock cannot be the screening's: it ends with each commit. The operating system drops the
 * lock with the process that held it, so a killed screening never leaves the database locked.
 */
function screeningLock(path: string, busyTimeoutMs: number): BetterSqlite3.Database {
  const lock = new BetterSqlite3(`${path}-screening`);
  try {
    lock.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // It never writes: without this, BEGIN EXCLUSIVE leaves an empty journal file beside it.
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN EXCLUSIVE');
    return lock;
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DatabaseBusyError(`the database ${path} is in use by another screening; try again when it has finished`);
    }
    throw err;
  }
}
