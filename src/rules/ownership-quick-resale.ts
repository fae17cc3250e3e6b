import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, euro, hitsPerUnit, type Evidence } from './define-rule.ts';
import { lookBack } from './window.ts';

/**
 * An ABC-transaction: a unit sold on soon after it was bought, at a much higher price. Pairs are
 * consecutive transfers of the unit within the look-back (window function, one pass).
 */
export const quickResale = defineRule({
  id: 'ownership.quick-resale',
  family: 'ownership',
  version: 1,
  needs: ['transacties'],
  defaultPoints: 15,
  params: z.object({
    lookBackMonths: z.number().int().positive().default(60),
    maxDays: z.number().int().nonnegative().default(183),
    minRisePercent: z.number().nonnegative().default(20),
  }),
  title: { nl: 'Snelle doorverkoop met prijsstijging', en: 'Quick resale at a higher price' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    const rows = await sql<{
      vbo_id: string; transactie_id: string; datum: string; koopsom: number; days: number;
      prev_id: string; prev_datum: string; prev_koopsom: number;
    }>`
      WITH seq AS (
        SELECT t.vbo_id, t.transactie_id, t.datum, t.datum_d, t.koopsom,
          LAG(t.transactie_id) OVER (PARTITION BY t.vbo_id ORDER BY t.datum_d, t.transactie_id) AS prev_id,
          LAG(t.datum) OVER (PARTITION BY t.vbo_id ORDER BY t.datum_d, t.transactie_id) AS prev_datum,
          LAG(t.datum_d) OVER (PARTITION BY t.vbo_id ORDER BY t.datum_d, t.transactie_id) AS prev_datum_d,
          LAG(t.koopsom) OVER (PARTITION BY t.vbo_id ORDER BY t.datum_d, t.transactie_id) AS prev_koopsom
        FROM transactie t
        WHERE t.run_key = ${runKey} AND t.datum_d BETWEEN ${w.from} AND ${w.to}
      )
      SELECT vbo_id, transactie_id, datum, koopsom, datum_d - prev_datum_d AS days, prev_id, prev_datum, prev_koopsom
      FROM seq
      WHERE prev_id IS NOT NULL AND datum_d - prev_datum_d <= ${params.maxDays}
        AND prev_koopsom > 0 AND koopsom * 100 >= prev_koopsom * ${100 + params.minRisePercent}
      ORDER BY vbo_id, datum_d, transactie_id`.execute(db);
    return hitsPerUnit(rows.rows, (_vbo, list) => ({
      explanation: {
        nl: list.map((p) => `Gekocht op ${p.prev_datum} voor ${euro(p.prev_koopsom)} en ${Number(p.days)} dagen later, op ${p.datum}, doorverkocht voor ${euro(p.koopsom)} (+${rise(p)} %).`).join(' '),
        en: list.map((p) => `Bought on ${p.prev_datum} for ${euro(p.prev_koopsom)} and sold on ${Number(p.days)} days later, on ${p.datum}, for ${euro(p.koopsom)} (+${rise(p)} %).`).join(' '),
      },
      evidence: list.flatMap((p): Evidence[] => [
        { source: 'transacties.csv', id: p.prev_id, fields: { datum: p.prev_datum, koopsom: p.prev_koopsom } },
        { source: 'transacties.csv', id: p.transactie_id, fields: { datum: p.datum, koopsom: p.koopsom, dagen_na_vorige: Number(p.days) } },
      ]),
    }));
  },
});

function rise(p: { koopsom: number; prev_koopsom: number }): string {
  return (Math.round(((p.koopsom - p.prev_koopsom) / p.prev_koopsom) * 1000) / 10).toString().replace('.', ',');
}
