/**
 * Retention: removes runs started before a date (their loaded input rows, links, register rows and
 * run folders) and check-log entries older than it, and records that it did so. Review states and
 * their audit log stay: they are the account of decisions taken. The hash chain stays verifiable:
 * the purge record keeps, per pipeline, the manifest hash of the last run it removed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import type { Db } from '../db/database.ts';
import { deleteRuns } from '../db/delete-runs.ts';

export interface PurgeResult { runs: string[]; checks: number; folders: number }

export async function purge(db: Db, before: string, who: string, now: Date): Promise<PurgeResult> {
  return db.transaction().execute(async (trx) => {
    // A run not finished is a screening's still running (its stages commit as they go) or one killed,
    // which the next screening removes (see removeUnfinishedRuns): never the purge's to touch.
    const runs = await trx.selectFrom('run').select(['run_id', 'run_key', 'pipeline', 'run_dir', 'manifest_sha256', 'started_at'])
      .where('started_at', '<', before).where('finished_at', 'is not', null).orderBy('started_at').execute();
    await deleteRuns(trx, runs);
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

