/**
 * Builds the register from the rules' hits: points attached, summed and banded per unit, each entry
 * completed with the unit's address, gebruiksdoelen, current holders and data-quality notes.
 * Ordered by score (desc), then vbo_id, so the same hits always give the same register.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Register, RegisterEntry, RegisterHit } from '../../schemas/register.ts';
import type { RuleHit } from '../rules/define-rule.ts';
import { bandOf, scoreOf, BAND_ORDER, type Bands } from '../score/score.ts';
import { formatAddress, unitAddresses } from '../link/build-units.ts';

/** A rule as it was applied in this run. */
export interface AppliedRule {
  id: string;
  version: number;
  title: { nl: string; en: string };
  points: number;
  parameters: Record<string, unknown>;
}

export interface RegisterInput {
  db: Db;
  runKey: number;
  pipeline: string;
  peildatum: string;
  bands: Bands;
  applied: readonly AppliedRule[];
  unavailable: readonly { id: string; reason: string }[];
  hits: ReadonlyMap<string, readonly RuleHit[]>;
}

const HOLDER_RIGHTS = ['eigendom', 'erfpacht', 'opstal', 'appartementsrecht', 'vruchtgebruik'];

export async function buildRegister(input: RegisterInput): Promise<Register> {
  const { db, runKey, peildatum } = input;
  const perUnit = new Map<string, RegisterHit[]>();
  for (const rule of input.applied) {
    for (const h of input.hits.get(rule.id) ?? []) {
      const list = perUnit.get(h.vbo_id) ?? [];
      list.push({
        rule_id: rule.id, rule_version: rule.version, title: rule.title, points: rule.points,
        explanation: h.explanation, parameters: rule.parameters, evidence: h.evidence,
      });
      perUnit.set(h.vbo_id, list);
    }
  }
  const vboIds = [...perUnit.keys()].sort();
  const addresses = await unitAddresses(db, runKey, peildatum, vboIds);
  const units = new Map<string, { gebruiksdoelen: string; x: number | null; y: number | null }>();
  const holders = new Map<string, RegisterEntry['holders']>();
  const notes = new Map<string, string[]>();
  for (let i = 0; i < vboIds.length; i += 500) {
    const chunk = vboIds.slice(i, i + 500);
    for (const u of await db.selectFrom('unit').select(['vbo_id', 'gebruiksdoelen', 'x', 'y']).where('run_key', '=', runKey).where('vbo_id', 'in', chunk).execute()) {
      units.set(u.vbo_id, u);
    }
    const rights = await sql<{ vbo_id: string; persoon_id: string; soort: string; naam: string; kvk_nummer: string | null; soort_recht: string; aandeel: string }>`
      SELECT r.vbo_id, r.persoon_id, p.soort, p.naam, p.kvk_nummer, r.soort_recht, r.aandeel
      FROM recht r JOIN persoon p ON p.run_key = r.run_key AND p.persoon_id = r.persoon_id
      WHERE r.run_key = ${runKey} AND r.vbo_id IN (${sql.join(chunk)}) AND r.soort_recht IN (${sql.join(HOLDER_RIGHTS)})
        AND r.ingangsdatum <= ${peildatum} AND (r.einddatum IS NULL OR r.einddatum > ${peildatum})
      ORDER BY r.vbo_id, r.persoon_id, r.soort_recht`.execute(db);
    for (const r of rights.rows) {
      const list = holders.get(r.vbo_id) ?? [];
      const natural = r.soort === 'natuurlijk_persoon';
      list.push({
        persoon_id: r.persoon_id, soort: r.soort as 'natuurlijk_persoon' | 'niet_natuurlijk_persoon',
        naam: natural ? null : r.naam, kvk_nummer: r.kvk_nummer, soort_recht: r.soort_recht, aandeel: r.aandeel,
      });
      holders.set(r.vbo_id, list);
    }
    const marks = await sql<{ object_id: string; kenmerk: string }>`
      SELECT DISTINCT object_id, kenmerk FROM bag_onderzoek
      WHERE run_key = ${runKey} AND object_id IN (${sql.join(chunk)}) AND in_onderzoek = 1
        AND begin <= ${peildatum} AND (eind IS NULL OR eind > ${peildatum})
      ORDER BY object_id, kenmerk`.execute(db);
    for (const m of marks.rows) {
      const list = notes.get(m.object_id) ?? [];
      list.push(`BAG: ${m.kenmerk} in onderzoek`);
      notes.set(m.object_id, list);
    }
  }

  const entries: RegisterEntry[] = [];
  for (const vbo of vboIds) {
    const hits = perUnit.get(vbo)!.sort((a, b) => b.points - a.points || (a.rule_id < b.rule_id ? -1 : 1));
    const score = scoreOf(hits);
    const band = bandOf(score, input.bands);
    if (band === null) continue; // rules set to 0 points do not put a unit on the register
    const a = addresses.get(vbo);
    const u = units.get(vbo);
    const entryNotes = [...(notes.get(vbo) ?? [])];
    if (!u) entryNotes.push('BAG: geen geldig voorkomen met een actuele status op de peildatum');
    entries.push({
      vbo_id: vbo, adres: formatAddress(a), straat: a?.straat ?? null, postcode: a?.postcode ?? null,
      woonplaats: a?.woonplaats ?? null, x: u?.x ?? null, y: u?.y ?? null,
      gebruiksdoelen: u ? u.gebruiksdoelen.split('|').filter(Boolean) : [],
      holders: holders.get(vbo) ?? [], score, band, hits, notes: entryNotes,
    });
  }
  entries.sort((p, q) => q.score - p.score || (p.vbo_id < q.vbo_id ? -1 : p.vbo_id > q.vbo_id ? 1 : 0));

  const byBand: Record<string, number> = Object.fromEntries(BAND_ORDER.map((b) => [b, 0]));
  const byRule: Record<string, number> = Object.fromEntries(input.applied.map((r) => [r.id, 0]));
  for (const e of entries) {
    byBand[e.band] = (byBand[e.band] ?? 0) + 1;
    for (const h of e.hits) byRule[h.rule_id] = (byRule[h.rule_id] ?? 0) + 1;
  }
  return {
    format: 'vastgoed-in-beeld/register@1',
    pipeline: input.pipeline,
    peildatum,
    bands: input.bands,
    rules: input.applied.map((r) => ({ id: r.id, version: r.version, title: r.title, points: r.points, parameters: r.parameters })),
    unavailable_rules: [...input.unavailable],
    summary: { entries: entries.length, by_band: byBand, by_rule: byRule },
    entries,
  };
}

/** A stable key of a hit's evidence, for comparing runs (carry-forward of review decisions). */
export function evidenceKey(hit: RegisterHit): string {
  return hit.evidence.map((e) => `${e.source}:${e.id}`).sort().join(',');
}

/** Stores the register's entries and hits with the run. */
export async function saveRegister(db: Db, runId: string, register: Register): Promise<void> {
  for (let i = 0; i < register.entries.length; i += 200) {
    const chunk = register.entries.slice(i, i + 200);
    await db.insertInto('register_entry').values(chunk.map((e) => ({
      run_id: runId, vbo_id: e.vbo_id, score: e.score, band: e.band, entry_json: JSON.stringify(e),
    }))).execute();
    const hits = chunk.flatMap((e) => e.hits.map((h) => ({
      run_id: runId, vbo_id: e.vbo_id, rule_id: h.rule_id, rule_version: h.rule_version, points: h.points, evidence_key: evidenceKey(h),
    })));
    if (hits.length) await db.insertInto('register_hit').values(hits).execute();
  }
}
