/**
 * Reviewers' decisions: the one write path for the CLI and the review pages, so the audit log is one.
 * Four-eyes: closing a `hoog` entry as `afgedaan_geen_risico` or `vals_positief` waits for a second,
 * different reviewer to confirm. Optimistic concurrency: a decision made on an older version of the
 * entry is refused with a conflict, and that attempt is logged too.
 */
import { randomUUID } from 'node:crypto';
import type { Db, ReviewStateTable, ReviewStatus } from '../db/database.ts';
import { InputError } from '../util/input-error.ts';
import { userRole } from './users.ts';

export const DECISIONS = ['in_onderzoek', 'doorverwezen', 'afgedaan_geen_risico', 'vals_positief'] as const;
export type Decision = (typeof DECISIONS)[number];
const FOUR_EYES: readonly string[] = ['afgedaan_geen_risico', 'vals_positief'];

export class ReviewConflictError extends Error {
  override readonly name = 'ReviewConflictError';
}

export interface DecisionRequest {
  pipeline: string;
  vboId: string;
  status: string;
  note: string;
  who: string;
  assignee?: string | null;
  /** The version the reviewer saw; default: the current one (no conflict check beyond this call). */
  expectVersion?: number;
  now: Date;
}

export interface DecisionResult { state: ReviewStateTable; outcome: 'vastgelegd' | 'wacht-op-bevestiging' | 'bevestigd' }

export async function decide(db: Db, req: DecisionRequest): Promise<DecisionResult> {
  if (!(DECISIONS as readonly string[]).includes(req.status)) throw new InputError(`status "${req.status}" is not one of ${DECISIONS.join(', ')}`);
  if (!req.note.trim()) throw new InputError('a decision needs a note (--note): why, and for doorverwezen to whom');
  const role = await userRole(db, req.who);
  if (!role) throw new InputError(`unknown user "${req.who}": add it with vib users add`);
  if (role === 'auditor') throw new InputError(`${req.who} is an auditor: auditors can read, not decide`);
  const at = req.now.toISOString();
  const state = await db.selectFrom('review_state').selectAll().where('pipeline', '=', req.pipeline).where('vbo_id', '=', req.vboId).executeTakeFirst();
  if (!state) throw new InputError(`unit ${req.vboId} has no register entry in pipeline ${req.pipeline}`);
  const expected = req.expectVersion ?? state.version;
  const status = req.status as Decision;
  const assignee = req.assignee === undefined ? state.assignee : req.assignee;

  let next: Partial<ReviewStateTable>;
  let outcome: DecisionResult['outcome'] = 'vastgelegd';
  let kind = 'besluit';
  if (state.band === 'hoog' && FOUR_EYES.includes(status)) {
    if (state.pending_status === status && state.pending_by && state.pending_by !== req.who) {
      next = { status, pending_status: null, pending_by: null };
      outcome = 'bevestigd';
      kind = 'bevestiging';
    } else if (state.pending_status === status && state.pending_by === req.who) {
      throw new InputError(`closing this hoog entry as ${status} needs a second, different reviewer; ${req.who} asked for it already`);
    } else {
      next = { pending_status: status, pending_by: req.who };
      outcome = 'wacht-op-bevestiging';
      kind = 'sluiting-aangevraagd';
    }
  } else {
    next = { status, pending_status: null, pending_by: null };
  }
  const updated = await db.updateTable('review_state')
    .set({ ...next, assignee, note: req.note, version: state.version + 1, updated_at: at })
    .where('pipeline', '=', req.pipeline).where('vbo_id', '=', req.vboId).where('version', '=', expected)
    .executeTakeFirst();
  const audit = {
    audit_id: randomUUID(), pipeline: req.pipeline, vbo_id: req.vboId, at, who: req.who, old_status: state.status,
    new_status: (next.status ?? state.status) as string, old_assignee: state.assignee, new_assignee: assignee, run_id: state.run_id,
  };
  if (Number(updated.numUpdatedRows) !== 1) {
    const current = await db.selectFrom('review_state').select(['status', 'version', 'updated_at']).where('pipeline', '=', req.pipeline).where('vbo_id', '=', req.vboId).executeTakeFirst();
    await db.insertInto('review_audit').values({ ...audit, kind: 'conflict', new_status: status, note: `niet vastgelegd (conflict): ${req.note}` }).execute();
    throw new ReviewConflictError(`conflict: ${req.vboId} was changed by someone else (now ${current?.status}, version ${current?.version}) after you opened it (version ${expected}); reload and decide again`);
  }
  await db.insertInto('review_audit').values({ ...audit, kind, note: outcome === 'wacht-op-bevestiging' ? `${req.note} (wacht op bevestiging door een tweede beoordelaar: ${status})` : req.note }).execute();
  const after = await db.selectFrom('review_state').selectAll().where('pipeline', '=', req.pipeline).where('vbo_id', '=', req.vboId).executeTakeFirstOrThrow();
  return { state: after, outcome };
}

/** The pipeline of the latest completed run: what review commands act on by default. */
export async function defaultPipeline(db: Db): Promise<string> {
  const r = await db.selectFrom('run').select('pipeline').where('finished_at', 'is not', null).orderBy('started_at', 'desc').executeTakeFirst();
  if (!r) throw new InputError('this database holds no completed screening');
  return r.pipeline;
}

export interface WorklistFilter { band?: string; status?: string; rule?: string; street?: string; assignee?: string }

export interface WorklistItem {
  vbo_id: string; adres: string | null; straat: string | null; score: number; band: string; status: ReviewStatus;
  pending_status: string | null; assignee: string | null; rules: string[]; version: number;
}

/** The worklist of a pipeline: the latest run's entries with their review state, plus the vervallen ones. */
export async function worklist(db: Db, pipeline: string, f: WorklistFilter = {}): Promise<WorklistItem[]> {
  const run = await db.selectFrom('run').select('run_id').where('pipeline', '=', pipeline).where('finished_at', 'is not', null).orderBy('started_at', 'desc').executeTakeFirst();
  if (!run) return [];
  const states = await db.selectFrom('review_state').selectAll().where('pipeline', '=', pipeline).execute();
  const entries = new Map((await db.selectFrom('register_entry').select(['vbo_id', 'entry_json']).where('run_id', '=', run.run_id).execute()).map((e) => [e.vbo_id, JSON.parse(e.entry_json) as { adres: string | null; straat: string | null; score: number; band: string; hits: { rule_id: string }[] }]));
  const items: WorklistItem[] = [];
  for (const s of states) {
    const e = entries.get(s.vbo_id);
    items.push({
      vbo_id: s.vbo_id, adres: e?.adres ?? null, straat: e?.straat ?? null, score: e?.score ?? 0, band: e?.band ?? s.band ?? '',
      status: s.status, pending_status: s.pending_status, assignee: s.assignee, rules: e ? [...new Set(e.hits.map((h) => h.rule_id))] : [], version: s.version,
    });
  }
  return items
    .filter((i) => !f.band || i.band === f.band)
    .filter((i) => !f.status || i.status === f.status || (f.status === 'wacht_op_bevestiging' && i.pending_status !== null))
    .filter((i) => !f.rule || i.rules.includes(f.rule))
    .filter((i) => !f.street || (i.straat ?? '').toLowerCase().includes(f.street.toLowerCase()))
    .filter((i) => !f.assignee || i.assignee === f.assignee)
    .sort((a, b) => b.score - a.score || (a.vbo_id < b.vbo_id ? -1 : 1));
}

export interface EntryDetail {
  pipeline: string;
  state: ReviewStateTable;
  entry: unknown;
  audit: { at: string; who: string; kind: string; old_status: string | null; new_status: string | null; note: string | null; assignee: string | null }[];
  history: { run_id: string; peildatum: string; score: number | null; band: string | null }[];
}

export async function entryDetail(db: Db, pipeline: string, vboId: string): Promise<EntryDetail> {
  const state = await db.selectFrom('review_state').selectAll().where('pipeline', '=', pipeline).where('vbo_id', '=', vboId).executeTakeFirst();
  if (!state) throw new InputError(`unit ${vboId} has no register entry in pipeline ${pipeline}`);
  const runs = await db.selectFrom('run').select(['run_id', 'peildatum', 'started_at']).where('pipeline', '=', pipeline).where('finished_at', 'is not', null).orderBy('started_at').orderBy('run_id').execute();
  const entries = new Map((await db.selectFrom('register_entry').select(['run_id', 'score', 'band', 'entry_json']).where('vbo_id', '=', vboId).where('run_id', 'in', runs.length ? runs.map((r) => r.run_id) : ['']).execute()).map((e) => [e.run_id, e]));
  const latest = [...runs].reverse().find((r) => entries.has(r.run_id));
  const audit = await db.selectFrom('review_audit').selectAll().where('pipeline', '=', pipeline).where('vbo_id', '=', vboId).orderBy('at').orderBy('audit_id').execute();
  return {
    pipeline,
    state,
    entry: latest ? JSON.parse(entries.get(latest.run_id)!.entry_json) : null,
    audit: audit.map((a) => ({ at: a.at, who: a.who, kind: a.kind, old_status: a.old_status, new_status: a.new_status, note: a.note, assignee: a.new_assignee })),
    history: runs.map((r) => ({ run_id: r.run_id, peildatum: r.peildatum, score: entries.get(r.run_id)?.score ?? null, band: entries.get(r.run_id)?.band ?? null })),
  };
}
