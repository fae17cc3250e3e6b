/** Precision and recall of the name comparison on a labelled set (default: ../shared/testsets/nomenklatura). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { MATCH_THRESHOLD, scorePair } from '../src/link/names/match-pairs.ts';

export function nameBench(file = join(import.meta.dirname, '..', '..', 'shared', 'testsets', 'nomenklatura', 'name_bench_cases.csv'), threshold = MATCH_THRESHOLD) {
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  let tp = 0, fp = 0, fn = 0, tn = 0;
  const errors: string[] = [];
  for (const r of rows) {
    const s = scorePair(r.name1!, r.name2!, r.schema);
    const truth = r.is_match === 'true';
    const pred = s.score >= threshold;
    if (pred && truth) tp++; else if (pred && !truth) { fp++; errors.push(`FP ${s.score} ${r.schema}: ${r.name1} | ${r.name2}`); }
    else if (!pred && truth) { fn++; errors.push(`FN ${s.score} ${r.schema}: ${r.name1} | ${r.name2}`); } else tn++;
  }
  return { pairs: rows.length, precision: tp / (tp + fp), recall: tp / (tp + fn), f1: (2 * tp) / (2 * tp + fp + fn), tp, fp, fn, tn, errors };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = nameBench(process.argv[2]);
  for (const e of r.errors.slice(0, Number(process.env.SHOW ?? 0))) console.log(e);
  console.log(JSON.stringify({ pairs: r.pairs, precision: r.precision.toFixed(3), recall: r.recall.toFixed(3), f1: r.f1.toFixed(3), tp: r.tp, fp: r.fp, fn: r.fn }));
}
