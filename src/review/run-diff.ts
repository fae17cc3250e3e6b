/**
 * What changed since the previous run of a pipeline: new entries, higher and lower scores, entries
 * gone, and per entry the rules gained and lost. Pure: it takes the two runs' entries.
 */
export interface DiffEntry { vbo_id: string; score: number; rules: string[] }

export interface DiffLine {
  vbo_id: string;
  before: number | null;
  after: number | null;
  rules_added: string[];
  rules_removed: string[];
}

export interface RunDiff {
  previous_run: string | null;
  counts: { new: number; higher: number; lower: number; gone: number; same: number };
  new: DiffLine[];
  higher: DiffLine[];
  lower: DiffLine[];
  gone: DiffLine[];
}

export function diffRuns(previousRun: string | null, before: readonly DiffEntry[], after: readonly DiffEntry[]): RunDiff {
  const a = new Map(before.map((e) => [e.vbo_id, e]));
  const b = new Map(after.map((e) => [e.vbo_id, e]));
  const out: RunDiff = { previous_run: previousRun, counts: { new: 0, higher: 0, lower: 0, gone: 0, same: 0 }, new: [], higher: [], lower: [], gone: [] };
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const id of ids) {
    const x = a.get(id);
    const y = b.get(id);
    const line: DiffLine = {
      vbo_id: id, before: x?.score ?? null, after: y?.score ?? null,
      rules_added: (y?.rules ?? []).filter((r) => !(x?.rules ?? []).includes(r)).sort(),
      rules_removed: (x?.rules ?? []).filter((r) => !(y?.rules ?? []).includes(r)).sort(),
    };
    if (!x) out.new.push(line);
    else if (!y) out.gone.push(line);
    else if (y.score > x.score) out.higher.push(line);
    else if (y.score < x.score) out.lower.push(line);
    else { out.counts.same++; continue; }
  }
  out.counts.new = out.new.length;
  out.counts.higher = out.higher.length;
  out.counts.lower = out.lower.length;
  out.counts.gone = out.gone.length;
  return out;
}

/** A register entry as the diff needs it: its score and the distinct rules that fired. */
export function diffEntryOf(e: { vbo_id: string; score: number; hits: readonly { rule_id: string }[] }): DiffEntry {
  return { vbo_id: e.vbo_id, score: e.score, rules: [...new Set(e.hits.map((h) => h.rule_id))].sort() };
}

/** The entries of a stored run, as the diff needs them. */
export async function runEntries(db: import('../db/database.ts').Db, runId: string): Promise<DiffEntry[]> {
  const rows = await db.selectFrom('register_hit').select(['vbo_id', 'rule_id']).where('run_id', '=', runId).orderBy('vbo_id').orderBy('rule_id').execute();
  const scores = await db.selectFrom('register_entry').select(['vbo_id', 'score']).where('run_id', '=', runId).execute();
  const rules = new Map<string, string[]>();
  for (const r of rows) rules.set(r.vbo_id, [...new Set([...(rules.get(r.vbo_id) ?? []), r.rule_id])]);
  return scores.map((s) => ({ vbo_id: s.vbo_id, score: Number(s.score), rules: rules.get(s.vbo_id) ?? [] })).sort((x, y) => (x.vbo_id < y.vbo_id ? -1 : 1));
}
