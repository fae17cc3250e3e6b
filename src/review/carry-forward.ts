/**
 * Carries reviewers' decisions into a new run of the same pipeline. A unit keeps its review state
 * when its hits (rule id + evidence ids) are unchanged; when it gains a hit or its score rises, a
 * closed entry reopens as `gewijzigd`, with the difference in the audit log; units that no longer
 * have hits become `vervallen`, their history kept. Runs inside the screening's transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Db, ReviewStatus } from '../db/database.ts';
import type { Register, RegisterEntry } from '../../schemas/register.ts';
import { evidenceKey } from '../register/build-register.ts';

export const CLOSED: readonly ReviewStatus[] = ['afgedaan_geen_risico', 'vals_positief', 'doorverwezen'];

export function hitsKey(e: RegisterEntry): string {
  return e.hits.map((h) => `${h.rule_id}@${evidenceKey(h)}`).sort().join(';');
}

function ruleIds(key: string): string[] {
  return key ? [...new Set(key.split(';').map((k) => k.split('@')[0]!))].sort() : [];
}

export async function carryForward(db: Db, pipeline: string, runId: string, register: Register, at: string): Promise<{ nieuw: number; gewijzigd: number; vervallen: number; kept: number }> {
  const prior = new Map((await db.selectFrom('review_state').selectAll().where('pipeline', '=', pipeline).execute()).map((s) => [s.vbo_id, s]));
  const counts = { nieuw: 0, gewijzigd: 0, vervallen: 0, kept: 0 };
  const audit = (vbo: string, oldStatus: string | null, newStatus: string, note: string) => db.insertInto('review_audit').values({
    audit_id: randomUUID(), pipeline, vbo_id: vbo, at, who: 'systeem', kind: 'run', old_status: oldStatus, new_status: newStatus,
    old_assignee: null, new_assignee: null, note, run_id: runId,
  }).execute();
  const seen = new Set<string>();
  for (const e of register.entries) {
    seen.add(e.vbo_id);
    const key = hitsKey(e);
    const p = prior.get(e.vbo_id);
    if (!p) {
      await db.insertInto('review_state').values({
        pipeline, vbo_id: e.vbo_id, status: 'nieuw', assignee: null, note: null, pending_status: null, pending_by: null,
        hits_key: key, score: e.score, band: e.band, run_id: runId, version: 1, updated_at: at,
      }).execute();
      counts.nieuw++;
      continue;
    }
    if (p.hits_key === key && p.status !== 'vervallen') {
      await db.updateTable('review_state').set({ run_id: runId, score: e.score, band: e.band }).where('pipeline', '=', pipeline).where('vbo_id', '=', e.vbo_id).execute();
      counts.kept++;
      continue;
    }
    const oldKeys = new Set(p.hits_key.split(';').filter(Boolean));
    const gained = key.split(';').filter((k) => k && !oldKeys.has(k));
    const added = ruleIds(key).filter((r) => !ruleIds(p.hits_key).includes(r));
    const removed = ruleIds(p.hits_key).filter((r) => !ruleIds(key).includes(r));
    const diff = [
      `score ${p.score} → ${e.score}`,
      added.length ? `nieuwe regels: ${added.join(', ')}` : '',
      removed.length ? `vervallen regels: ${removed.join(', ')}` : '',
      gained.length && !added.length ? 'nieuw bewijs bij bestaande regels' : '',
    ].filter(Boolean).join('; ');
    const reopen = p.status === 'vervallen' || ((gained.length > 0 || e.score > p.score) && CLOSED.includes(p.status));
    const status: ReviewStatus = reopen ? 'gewijzigd' : p.status;
    await db.updateTable('review_state').set({
      status, hits_key: key, score: e.score, band: e.band, run_id: runId, version: p.version + 1, updated_at: at,
      pending_status: reopen ? null : p.pending_status, pending_by: reopen ? null : p.pending_by,
    }).where('pipeline', '=', pipeline).where('vbo_id', '=', e.vbo_id).execute();
    await audit(e.vbo_id, p.status, status, reopen ? `heropend: ${diff}` : `treffers gewijzigd: ${diff}`);
    if (reopen) counts.gewijzigd++;
    else counts.kept++;
  }
  for (const [vbo, p] of [...prior].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (seen.has(vbo) || p.status === 'vervallen') continue;
    await db.updateTable('review_state').set({ status: 'vervallen', run_id: runId, version: p.version + 1, updated_at: at, pending_status: null, pending_by: null })
      .where('pipeline', '=', pipeline).where('vbo_id', '=', vbo).execute();
    await audit(vbo, p.status, 'vervallen', 'geen treffers meer in deze run');
    counts.vervallen++;
  }
  return counts;
}
