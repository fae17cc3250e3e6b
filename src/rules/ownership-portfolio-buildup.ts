import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, hitsPerUnit } from './define-rule.ts';
import { lookBack } from './window.ts';

/**
 * One party (after linking: the same person under several ids counts once) buying many units in a
 * short time. Every unit of the build-up is flagged.
 */
export const portfolioBuildup = defineRule({
  id: 'ownership.portfolio-buildup',
  family: 'ownership',
  version: 1,
  needs: ['transacties'],
  defaultPoints: 10,
  params: z.object({ lookBackMonths: z.number().int().positive().default(24), minUnits: z.number().int().min(2).default(5) }),
  title: { nl: 'Snelle opbouw van vastgoedportefeuille', en: 'Rapid build-up of a property portfolio' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    const rows = await sql<{ vbo_id: string; transactie_id: string; datum: string; party_id: string; persoon_id: string; units: number }>`
      WITH buys AS (
        SELECT t.vbo_id, t.transactie_id, t.datum, t.datum_d, coalesce(l.party_id, 'personen.csv:' || tp.persoon_id) AS party_id, tp.persoon_id
        FROM transactie t
        JOIN transactie_partij tp ON tp.run_key = t.run_key AND tp.transactie_id = t.transactie_id AND tp.rol = 'koper'
        LEFT JOIN party_link l ON l.run_key = tp.run_key AND l.source = 'personen.csv' AND l.mention_id = tp.persoon_id
        WHERE t.run_key = ${runKey} AND t.datum_d BETWEEN ${w.from} AND ${w.to}
      ), big AS (
        SELECT party_id, count(DISTINCT vbo_id) AS units FROM buys GROUP BY party_id HAVING count(DISTINCT vbo_id) >= ${params.minUnits}
      )
      SELECT b.vbo_id, b.transactie_id, b.datum, b.party_id, b.persoon_id, big.units
      FROM buys b JOIN big ON big.party_id = b.party_id
      ORDER BY b.vbo_id, b.datum_d, b.transactie_id, b.party_id`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((r) => `Koper ${r.persoon_id} kocht deze eenheid op ${r.datum} en kocht in totaal ${Number(r.units)} verschillende eenheden in de ${params.lookBackMonths} maanden tot de peildatum.`).join(' '),
        en: list.map((r) => `Buyer ${r.persoon_id} bought this unit on ${r.datum} and bought ${Number(r.units)} distinct units in total in the ${params.lookBackMonths} months up to the peildatum.`).join(' '),
      },
      evidence: list.map((r) => ({ source: 'transacties.csv', id: r.transactie_id, fields: { datum: r.datum, koper: r.persoon_id, partij: r.party_id, eenheden_gekocht: Number(r.units) } })),
    }));
  },
});
