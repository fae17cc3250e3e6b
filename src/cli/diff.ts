/** `vib diff [RUN_A] RUN_B [--db PATH]`: what changed between two runs (default A: the previous run of B's pipeline). */
import { openEngine } from '../db/open-engine.ts';
import { diffRuns, runEntries } from '../review/run-diff.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { USAGE } from './usage.ts';

const usage = USAGE.diff;

export async function diffCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { db: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (positionals.length < 1 || positionals.length > 2) throw new InputError(usage);
  const engine = await openEngine(values.db);
  try {
    const db = engine.db;
    const bId = positionals.at(-1)!;
    const b = await db.selectFrom('run').select(['run_id', 'pipeline', 'started_at']).where('run_id', '=', bId).where('finished_at', 'is not', null).executeTakeFirst();
    if (!b) throw new InputError(`run ${bId} is not in this database`);
    let aId: string | null = positionals.length === 2 ? positionals[0]! : null;
    if (!aId) {
      const prev = await db.selectFrom('run').select('run_id').where('pipeline', '=', b.pipeline).where('finished_at', 'is not', null)
        .where('started_at', '<', b.started_at).orderBy('started_at', 'desc').executeTakeFirst();
      aId = prev?.run_id ?? null;
    }
    const d = diffRuns(aId, aId ? await runEntries(db, aId) : [], await runEntries(db, bId));
    if (values.json) { process.stdout.write(`${JSON.stringify(d, null, 2)}\n`); return 0; }
    process.stdout.write(`${aId ?? '(geen vorige run)'} → ${bId}: ${d.counts.new} nieuw, ${d.counts.higher} hoger, ${d.counts.lower} lager, ${d.counts.gone} vervallen, ${d.counts.same} gelijk\n`);
    for (const [label, lines] of [['nieuw', d.new], ['hoger', d.higher], ['lager', d.lower], ['vervallen', d.gone]] as const) {
      for (const l of lines) process.stdout.write(`${label.padEnd(9)} ${l.vbo_id} ${l.before ?? '-'} → ${l.after ?? '-'}${l.rules_added.length ? ` +${l.rules_added.join(' +')}` : ''}${l.rules_removed.length ? ` -${l.rules_removed.join(' -')}` : ''}\n`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}
