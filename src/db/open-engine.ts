/**
 * Opens the database a command names: a file path (SQLite, the default) or a `postgres://` URL
 * (also from VIB_DB). Migrations run on open, so every command sees the current schema.
 */
import type { Engine } from './engine.ts';
import { migrateToLatest } from './migrate.ts';
import { openSqlite } from './sqlite/sqlite-engine.ts';
import { InputError } from '../util/input-error.ts';

export const DEFAULT_DB = 'data/vib.sqlite';

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//.test(target);
}

/** How long a second screening waits for the lock before it is refused (VIB_BUSY_TIMEOUT_MS, default 10 s). */
function busyTimeoutMs(): number {
  const v = Number(process.env.VIB_BUSY_TIMEOUT_MS);
  return Number.isFinite(v) && v >= 0 ? v : 10_000;
}

/**
 * SQLite's page cache in MB (VIB_SQLITE_CACHE_MB, default 512). 1 GB was chosen when party linking
 * still inserted its token index at random; since the big tables are written in key order or sorted
 * first, 512 MB screens as fast (same hour: 1M 109.8 -> 111.3 s, 4M 471.7-494.3 -> 467.8 s) and the
 * peak RSS is 0.5-0.6 GB lower (1M 1.85 -> 1.22 GB, 4M 2.06-2.17 -> 1.52 GB).
 */
function sqliteCacheMb(): number {
  const v = Number(process.env.VIB_SQLITE_CACHE_MB);
  return Number.isFinite(v) && v >= 1 ? v : 512;
}

/**
 * The page size of a new SQLite database (VIB_SQLITE_PAGE_SIZE, default 32768; SQLite's own is 4096).
 * Every stage that writes or sorts much works page by page: the bench at 1M units took 228 s of CPU
 * (all threads) with 4 KB pages and 176 s with 16, 32 or 64 KB (the commit's checkpoint 15.0 -> 6.6
 * s, building the units 9.4 -> 4.8 s, party linking 55 -> 32 s); 64 KB took 120-150 MB more memory.
 * Lookups of one applicant read a bigger page and were as fast (p95 16-17 ms by name at 1M).
 */
function sqlitePageSize(): number {
  const v = Number(process.env.VIB_SQLITE_PAGE_SIZE);
  return Number.isInteger(v) && v >= 512 && v <= 65536 && (v & (v - 1)) === 0 ? v : 32768;
}

export async function openEngine(target: string = process.env.VIB_DB ?? DEFAULT_DB): Promise<Engine> {
  let engine: Engine;
  if (isPostgresUrl(target)) {
    try {
      // Loaded only for a PostgreSQL target (the client and this module: 0.03-0.05 s of every SQLite command's start).
      const { openPostgres } = await import('./postgres/postgres-engine.ts');
      engine = await openPostgres(target, { busyTimeoutMs: busyTimeoutMs() });
    } catch (err) {
      throw new InputError(`cannot connect to PostgreSQL (${target.replace(/\/\/[^@/]*@/, '//…@')}): ${(err as Error).message}`);
    }
  } else {
    engine = openSqlite(target, { busyTimeoutMs: busyTimeoutMs(), cacheMb: sqliteCacheMb(), pageSize: sqlitePageSize() });
  }
  try {
    await migrateToLatest(engine.db, engine.schema);
  } catch (err) {
    await engine.close();
    throw err;
  }
  return engine;
}
