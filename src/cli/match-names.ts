/**
 * `vib match-names --pairs FILE.csv`: scores name pairs (columns name1,name2[,schema], extra columns
 * ignored) with the same comparison as party linking and the applicant check, and writes CSV to
 * stdout: name1,name2,score,match,reasons. For measuring matching quality on labelled sets.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { scorePair } from '../link/names/match-pairs.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { USAGE } from './usage.ts';

const usage = USAGE['match-names'];

export async function matchNamesCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { pairs: { type: 'string' } });
  if (!values.pairs) throw new InputError(`give --pairs FILE.csv\n${usage}`);
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(readFileSync(values.pairs), { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (err) {
    throw new InputError(`${values.pairs}: ${(err as Error).message}`);
  }
  if (rows.length && !('name1' in rows[0]! && 'name2' in rows[0]!)) throw new InputError(`${values.pairs}: needs the columns name1 and name2`);
  const out = rows.map((r) => {
    const s = scorePair(r.name1 ?? '', r.name2 ?? '', r.schema);
    return [r.name1 ?? '', r.name2 ?? '', s.score.toFixed(3), String(s.match), s.reasons.join('; ')];
  });
  process.stdout.write(stringify(out, { header: true, columns: ['name1', 'name2', 'score', 'match', 'reasons'] }));
  return 0;
}
