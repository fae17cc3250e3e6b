/**
 * Retention: removes runs started before a date (their loaded input rows, links, register rows and
 * run folders) and check-log entries older than it, and records that it did so. Review states and
 * their audit log stay: they are the account of decisions taken. The hash chain stays verifiable:
 * the purge record keeps, per pipeline, the manifest hash of the last run it removed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { RUN_KEY_TABLES, type Database, type Db } from '../db/database.ts';

/** Every table whose rows belong to one run and name it by its id (the working tables name it by its key). */
const RUN_ID_TABLES: (keyof Database)[] = ['reject', 'register_entry', 'register_hit'];

export interface PurgeResult { runs: string[]; checks: number; folders: number }

export async function purge(db: Db, before: string, who: string, now: Date): Promise<PurgeResult> {
  return db.transaction().execute(async (trx) => {
    const runs = await trx.selectFrom('run').select(['run_id', 'run_key', 'pipeline', 'run_dir', 'manifest_sha256', 'started_at'])
      .where('started_at', '<', before).orderBy('started_at').execute();
    for (let i = 0; i < runs.length; i += 200) {
      const chunk = runs.slice(i, i + 200);
      const ids = chunk.map((r) => r.run_id);
      const keys = chunk.map((r) => r.run_key);
      for (const t of RUN_KEY_TABLES) await trx.deleteFrom(t).where('run_key', 'in', keys).execute();
      for (const t of RUN_ID_TABLES) await trx.deleteFrom(t as 'reject').where('run_id', 'in', ids).execute();
      await trx.deleteFrom('run').where('run_id', 'in', ids).execute();
    }
    const checks = await trx.deleteFrom('check_log').where('at', '<', before).executeTakeFirst();
    await trx.deleteFrom('app_session').where('expires_at', '<', now.toISOString()).execute();
    const heads: Record<string, string | null> = {};
    for (const r of runs) heads[r.pipeline] = r.manifest_sha256;
    await trx.insertInto('purge_log').values({
      purge_id: randomUUID(), at: now.toISOString(), who, before, runs_removed: runs.length,
      checks_removed: Number(checks.numDeletedRows), chain_heads: JSON.stringify(heads),
    }).execute();
    let folders = 0;
    for (const r of runs) {
      if (r.run_dir && existsSync(r.run_dir)) { rmSync(r.run_dir, { recursive: true, force: true }); folders++; }
    }
    return { runs: runs.map((r) => r.run_id), checks: Number(checks.numDeletedRows), folders };
  });
}
