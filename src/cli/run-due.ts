/**
 * `vib run-due [--pipelines DIR] [--now ISO-TIME]`: runs every pipeline whose `schedule` (a cron
 * expression, Dutch time) has come due since its last recorded run, one at a time. Safe to call from
 * cron every few minutes: each occurrence is claimed in the pipeline's database before it runs, so a
 * second call skips it. One failing pipeline does not stop the others; the exit code is 1 then.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import { openEngine } from '../db/open-engine.ts';
import { createLogger } from '../log.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { loadPipeline, pipelineDb, screenPipeline } from './screen.ts';

/** The latest occurrence of a cron schedule at or before `now`, in Dutch time. */
export function lastOccurrence(schedule: string, now: Date): Date {
  try {
    const next = CronExpressionParser.parse(schedule, { currentDate: new Date(now.getTime() + 1000), tz: 'Europe/Amsterdam' });
    return next.prev().toDate();
  } catch (err) {
    throw new InputError(`schedule "${schedule}" is not a cron expression: ${(err as Error).message}`);
  }
}

export async function runDueCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { pipelines: { type: 'string' }, now: { type: 'string' } });
  const dir = resolve(values.pipelines ?? 'pipelines');
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new InputError(`--now "${values.now}" is not a time`);
  const log = createLogger();
  let failed = 0;
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    throw new InputError(`pipelines folder ${dir} cannot be read`);
  }
  for (const file of files) {
    const path = join(dir, file);
    try {
      const loaded = loadPipeline(path);
      const { pipeline } = loaded;
      if (!pipeline.schedule) continue;
      const occurrence = lastOccurrence(pipeline.schedule, now).toISOString();
      const engine = await openEngine(pipelineDb(loaded));
      let claimed = false;
      try {
        const last = await engine.db.selectFrom('run').select('started_at').where('pipeline', '=', pipeline.name)
          .where('finished_at', 'is not', null).orderBy('started_at', 'desc').executeTakeFirst();
        if (last && last.started_at >= occurrence) {
          log.info({ pipeline: pipeline.name, occurrence, last_run: last.started_at }, 'not due');
          continue;
        }
        const inserted = await engine.db.insertInto('schedule_claim')
          .values({ pipeline: pipeline.name, occurrence, claimed_at: now.toISOString(), outcome: null, run_id: null })
          .onConflict((oc) => oc.doNothing()).executeTakeFirst();
        claimed = Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
      } finally {
        await engine.close();
      }
      if (!claimed) {
        log.info({ pipeline: pipeline.name, occurrence }, 'already claimed by another run-due');
        continue;
      }
      let outcome = 'ok';
      let runId: string | null = null;
      try {
        const result = await screenPipeline(loaded, {}, log, () => now);
        runId = result.runId;
        process.stdout.write(`${pipeline.name}: ${result.runDir}\n`);
      } catch (err) {
        outcome = `failed: ${(err as Error).message}`;
        throw err;
      } finally {
        const engine2 = await openEngine(pipelineDb(loaded));
        await engine2.db.updateTable('schedule_claim').set({ outcome, run_id: runId })
          .where('pipeline', '=', pipeline.name).where('occurrence', '=', occurrence).execute();
        await engine2.close();
      }
    } catch (err) {
      failed++;
      process.stderr.write(`vib run-due: ${file}: ${(err as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}
