/**
 * Deleting runs: every row a run left in any table, then the run. Retention (privacy/purge.ts) deletes
 * old runs; a screening deletes the unfinished ones (see removeUnfinishedRuns).
 */
import { RUN_KEY_TABLES, type Database, type Db } from './database.ts';

/** Every table whose rows belong to one run and name it by its id (the working tables name it by its key). */
export const RUN_ID_TABLES = ['reject', 'register_entry', 'register_hit'] as const satisfies readonly (keyof Database)[];

/** Deletes runs' rows from every table that holds rows of a run, and then the runs. */
export async function deleteRuns(db: Db, runs: readonly { run_id: string; run_key: number }[]): Promise<void> {
  for (let i = 0; i < runs.length; i += 200) {
    const chunk = runs.slice(i, i + 200);
    const ids = chunk.map((r) => r.run_id);
    const keys = chunk.map((r) => r.run_key);
    for (const t of RUN_KEY_TABLES) await db.deleteFrom(t).where('run_key', 'in', keys).execute();
    for (const t of RUN_ID_TABLES) await db.deleteFrom(t).where('run_id', 'in', ids).execute();
    await db.deleteFrom('run').where('run_id', 'in', ids).execute();
  }
}

/**
 * Removes the rows of unfinished runs (`runId`: of that run only): a screening that commits its stages
 * (see ScreeningWriter.commitStage) leaves them behind when it fails, or is killed, before its last
 * commit. Call it under the screening lock, or for a run of one's own: another screening's unfinished
 * run may be running. Returns the ids removed.
 */
export async function removeUnfinishedRuns(db: Db, runId?: string): Promise<string[]> {
  let q = db.selectFrom('run').select(['run_id', 'run_key']).where('finished_at', 'is', null);
  if (runId !== undefined) q = q.where('run_id', '=', runId);
  const runs = await q.orderBy('run_id').execute();
  await deleteRuns(db, runs);
  return runs.map((r) => r.run_id);
}
