/**
 * The database a test uses: a SQLite file in the test's folder, or (in the PostgreSQL project) a
 * fresh schema in the database VIB_TEST_PG names. Tests pass the target to `--db` or `openEngine`.
 */
import { join } from 'node:path';
import { inject } from 'vitest';

let counter = 0;
const byDir = new Map<string, string>();

export const ENGINE: 'sqlite' | 'postgres' = process.env.VIB_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** The same folder always gives the same database. */
export function dbTarget(workDir: string): string {
  if (ENGINE === 'sqlite') return join(workDir, 'vib.sqlite');
  const known = byDir.get(workDir);
  if (known) return known;
  const url = process.env.VIB_TEST_PG;
  if (!url) throw new Error('VIB_TEST_ENGINE=postgres needs VIB_TEST_PG');
  const u = new URL(url);
  u.searchParams.set('schema', `${inject('pgSchemaPrefix')}_${process.pid}_${++counter}`);
  byDir.set(workDir, u.toString());
  return u.toString();
}

/** Runs `fn` with an open engine on a test database, closing it after. */
export async function withDb<T>(target: string, fn: (db: import('../../src/db/database.ts').Db) => Promise<T>): Promise<T> {
  const { openEngine } = await import('../../src/db/open-engine.ts');
  const engine = await openEngine(target);
  try {
    return await fn(engine.db);
  } finally {
    await engine.close();
  }
}
