/**
 * `vib review list [--band B] [--status S] [--rule R] [--street S] [--assignee U] [--pipeline P] [--json]`
 * `vib review show VBO_ID [--pipeline P] [--json]`
 * `vib review set VBO_ID --status S --note TEXT --as USER [--assignee U] [--version N] [--pipeline P]`
 */
import { openEngine } from '../db/open-engine.ts';
import { decide, defaultPipeline, entryDetail, worklist } from '../review/decide.ts';
import { stableJson } from '../util/stable-json.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { USAGE } from './usage.ts';

const usage = USAGE.review;

export async function reviewCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, {
    db: { type: 'string' }, pipeline: { type: 'string' }, band: { type: 'string' }, status: { type: 'string' }, rule: { type: 'string' },
    street: { type: 'string' }, assignee: { type: 'string' }, note: { type: 'string' }, as: { type: 'string' }, version: { type: 'string' },
    json: { type: 'boolean' },
  }, true);
  // What is missing or mistyped is told before any database is opened (or created).
  if (sub !== 'list' && sub !== 'show' && sub !== 'set') throw new InputError(usage);
  // The unit, for show and set ('' for list, which names none).
  const [vbo = ''] = positionals;
  if (sub !== 'list' && !vbo) throw new InputError(usage);
  let decision: { status: string; who: string } | null = null;
  if (sub === 'set') {
    if (!values.status || !values.as) throw new InputError(`give --status and --as\n${usage}`);
    decision = { status: values.status, who: values.as };
  }
  if (values.version !== undefined && !/^\d+$/.test(values.version)) throw new InputError(`--version is the entry's version, a whole number, not "${values.version}"`);
  const engine = await openEngine(values.db);
  try {
    const pipeline = values.pipeline ?? (await defaultPipeline(engine.db));
    if (sub === 'list') {
      const items = await worklist(engine.db, pipeline, { band: values.band, status: values.status, rule: values.rule, street: values.street, assignee: values.assignee });
      if (values.json) { process.stdout.write(stableJson(items)); return 0; }
      for (const i of items) {
        process.stdout.write(`${i.vbo_id}  ${i.band.padEnd(6)} ${String(i.score).padStart(3)}  ${(i.pending_status ? `${i.status} (wacht op bevestiging: ${i.pending_status})` : i.status).padEnd(22)} ${(i.assignee ?? '-').padEnd(10)} ${i.adres ?? ''}  [${i.rules.join(', ')}]\n`);
      }
      process.stdout.write(`${items.length} entries\n`);
      return 0;
    }
    if (sub === 'show') {
      const d = await entryDetail(engine.db, pipeline, vbo);
      if (values.json) {
        process.stdout.write(stableJson({ vbo_id: vbo, pipeline, status: d.state.status, pending_status: d.state.pending_status, pending_by: d.state.pending_by, assignee: d.state.assignee, version: d.state.version, entry: d.entry, audit: d.audit, history: d.history }));
        return 0;
      }
      const e = d.entry as { adres: string | null; score: number; band: string; hits: { rule_id: string; points: number; explanation: { nl: string } }[] } | null;
      process.stdout.write(`${vbo} ${e?.adres ?? ''}\nstatus: ${d.state.status}${d.state.pending_status ? ` (wacht op bevestiging: ${d.state.pending_status}, gevraagd door ${d.state.pending_by})` : ''} · toegewezen: ${d.state.assignee ?? '-'} · versie ${d.state.version}\n`);
      if (e) { process.stdout.write(`score ${e.score} (${e.band})\n`); for (const h of e.hits) process.stdout.write(`  +${h.points} ${h.rule_id}: ${h.explanation.nl}\n`); }
      process.stdout.write('historie:\n');
      for (const h of d.history) process.stdout.write(`  ${h.run_id} (peildatum ${h.peildatum}): ${h.score === null ? 'niet in register' : `${h.band} ${h.score}`}\n`);
      process.stdout.write('auditlog:\n');
      for (const a of d.audit) process.stdout.write(`  ${a.at} ${a.who} ${a.kind}: ${a.old_status ?? '-'} → ${a.new_status ?? '-'}${a.note ? ` · ${a.note}` : ''}\n`);
      return 0;
    }
    if (decision) {
      const r = await decide(engine.db, {
        pipeline, vboId: vbo, status: decision.status, note: values.note ?? '', who: decision.who,
        assignee: values.assignee, expectVersion: values.version ? Number(values.version) : undefined, now: new Date(),
      });
      process.stdout.write(`${vbo}: ${r.state.status}${r.state.pending_status ? ` (wacht op bevestiging: ${r.state.pending_status} door een tweede beoordelaar)` : ''} · ${r.outcome} · versie ${r.state.version}\n`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}
