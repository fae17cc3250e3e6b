/** `vib purge --before YYYY-MM-DD [--db PATH] [--as USER]`: removes runs, their input rows and run folders, and check-log entries older than the date. */
import { userInfo } from 'node:os';
import { openEngine } from '../db/open-engine.ts';
import { purge } from '../privacy/purge.ts';
import { parseDate } from '../util/dates.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { USAGE } from './usage.ts';

const usage = USAGE.purge;

export async function purgeCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { before: { type: 'string' }, db: { type: 'string' }, as: { type: 'string' } });
  const before = values.before ? parseDate(values.before) : null;
  if (!before) throw new InputError(usage);
  const engine = await openEngine(values.db);
  try {
    const r = await purge(engine.db, before, values.as ?? process.env.VIB_USER ?? userInfo().username, new Date());
    process.stdout.write(`purged ${r.runs.length} run(s) started before ${before} (${r.folders} run folder(s)) and ${r.checks} check-log entries; recorded in purge_log\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
