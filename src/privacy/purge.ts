/**
 * Retention: removes runs started before a date (their loaded input rows, links, register rows and
 * run folders) and check-log entries older than it, and records that it did so. Review states and
 * their audit log stay: they are the account of decisions taken. The hash chain stays verifiable:
 * the purge record keeps, per pipeline, the manifest hash of the last run it removed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import type { Database, Db } from '../db/database.ts';

/** Every table whose rows belong to one run. */
const RUN_TABLES: (keyof Database)[] = [
  'persoon', 'recht', 'transactie', 'transactie_partij', 'hypotheek', 'woz', 'kvk', 'aanvraag', 'signaal',
  'bag_vbo', 'bag_vbo_adres', 'bag_vbo_gebruiksdoel', 'bag_num', 'bag_opr', 'bag_wpl', 'bag_pnd', 'bag_onderzoek',
  'unit', 'unit_gebruiksdoel', 'address', 'party', 'party_link', 'party_token', 'rule_hit', 'reject', 'register_entry', 'register_hit',
];

export interface PurgeResult { runs: string[]; checks: number; folders: number }

export async function purge(db: Db, before: string, who: string, now: Date): Promise<PurgeResult> {
  return db.transaction().execute(async (trx) => {
    const runs = await trx.selectFrom('run').select(['run_id', 'pipeline', 'run_dir', 'manifest_sha256', 'started_at'])
      .where('started_at', '<', before).orderBy('started_at').execute();
    const ids = runs.map((r) => r.run_id);
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      for (const t of RUN_TABLES) await trx.deleteFrom(t as 'persoon').where('run_id', 'in', chunk).execute();
      await trx.deleteFrom('run').where('run_id', 'in', chunk).execute();
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
    return { runs: ids, checks: Number(checks.numDeletedRows), folders };
  });
}
