/**
 * Opens the database a command names: a file path (SQLite, the default) or a `postgres://` URL.
 * Migrations run on open, so every command sees the current schema.
 */
import type { Engine } from './engine.ts';
import { migrateToLatest } from './migrate.ts';
import { openSqlite } from './sqlite/sqlite-engine.ts';
import { InputError } from '../util/input-error.ts';

export const DEFAULT_DB = 'data/vib.sqlite';

export async function openEngine(target: string = process.env.VIB_DB ?? DEFAULT_DB): Promise<Engine> {
  if (/^postgres(ql)?:\/\//.test(target)) {
    throw new InputError('PostgreSQL databases are not supported yet; use a SQLite file path');
  }
  const engine = openSqlite(target);
  await migrateToLatest(engine.db);
  return engine;
}
