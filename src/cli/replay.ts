/**
 * `vib replay RUN_DIR [--input DIR] [--allow-changed-inputs]`: proves a register came from exactly
 * these inputs and rules. Exit 0 and `identical`, or exit 1 with what differs.
 */
import { replay } from '../audit/replay.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { USAGE } from './usage.ts';

const usage = USAGE.replay;

export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { input: { type: 'string' }, 'allow-changed-inputs': { type: 'boolean' } }, true);
  const runDir = positionals[0];
  if (!runDir || positionals.length > 1) throw new InputError(`give one run folder\n${usage}`);
  const r = await replay(runDir, { input: values.input, allowChangedInputs: values['allow-changed-inputs'] });
  const out: string[] = [];
  if (r.toolVersion.recorded !== r.toolVersion.now) out.push(`note: the run was made with vastgoed-in-beeld ${r.toolVersion.recorded}; this is ${r.toolVersion.now}`);
  for (const c of r.inputChanges) out.push(`input ${c.change}: ${c.path}`);
  for (const f of r.alteredRunFiles) out.push(`run folder: ${f} no longer matches the hash in manifest.json`);
  if (!r.replayed) {
    out.push('inputs differ from the manifest; not replayed (use --allow-changed-inputs to replay anyway)');
    process.stdout.write(`${out.join('\n')}\n`);
    return 1;
  }
  if (r.baselineMissing) out.push(`note: the previous run ${r.baselineMissing} is not next to this run folder; the run diff was compared against no entries`);
  for (const f of r.differingOutputs) out.push(`output differs: ${f}`);
  for (const d of r.registerDifferences) {
    out.push(`  ${d.vbo_id} ${d.rule_id}: ${d.before === null ? 'new' : `${d.before} points`} → ${d.after === null ? 'gone' : `${d.after} points`}`);
  }
  out.push(r.identical ? 'identical' : 'different');
  process.stdout.write(`${out.join('\n')}\n`);
  return r.identical ? 0 : 1;
}
