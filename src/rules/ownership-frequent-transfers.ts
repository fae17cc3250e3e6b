import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, euro, hitsPerUnit } from './define-rule.ts';
import { lookBack } from './window.ts';

/** A unit that changes hands again and again in a short time. */
export const frequentTransfers = defineRule({
  id: 'ownership.frequent-transfers',
  family: 'ownership',
  version: 1,
  needs: ['transacties'],
  defaultPoints: 15,
  params: z.object({ lookBackMonths: z.number().int().positive().default(36), minTransfers: z.number().int().min(2).default(3) }),
  title: { nl: 'Vaak van eigenaar gewisseld', en: 'Frequent changes of ownership' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    const rows = await sql<{ vbo_id: string; transactie_id: string; datum: string; koopsom: number | null }>`
      SELECT t.vbo_id, t.transactie_id, t.datum, t.koopsom
      FROM transactie t
      WHERE t.run_key = ${runKey} AND t.datum_d BETWEEN ${w.from} AND ${w.to}
        AND t.vbo_id IN (
          SELECT vbo_id FROM transactie WHERE run_key = ${runKey} AND datum_d BETWEEN ${w.from} AND ${w.to}
          GROUP BY vbo_id HAVING count(*) >= ${params.minTransfers})
      ORDER BY t.vbo_id, t.datum_d, t.transactie_id`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: `${list.length} overdrachten in de ${params.lookBackMonths} maanden tot de peildatum (vanaf ${w.fromDate}): ${list.map((t) => `${t.datum} (${euro(t.koopsom)})`).join(', ')}.`,
        en: `${list.length} transfers in the ${params.lookBackMonths} months up to the peildatum (from ${w.fromDate}): ${list.map((t) => `${t.datum} (${euro(t.koopsom)})`).join(', ')}.`,
      },
      evidence: list.map((t) => ({ source: 'transacties.csv', id: t.transactie_id, fields: { datum: t.datum, koopsom: t.koopsom } })),
    }));
  },
});
