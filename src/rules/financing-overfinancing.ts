import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, euro, hitsPerUnit, type Evidence } from './define-rule.ts';
import { lookBack } from './window.ts';

/**
 * A mortgage around a purchase that is larger than the price: money out of the deal. Deeds that cover
 * several units are skipped (their price is for all of them).
 */
export const overfinancing = defineRule({
  id: 'financing.overfinancing',
  family: 'financing',
  version: 1,
  needs: ['transacties', 'hypotheken'],
  defaultPoints: 15,
  params: z.object({
    lookBackMonths: z.number().int().positive().default(60),
    windowDays: z.number().int().nonnegative().default(90),
    maxPercentOfKoopsom: z.number().positive().default(110),
  }),
  title: { nl: 'Hypotheek hoger dan de koopsom', en: 'Mortgage above the purchase price' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    const rows = await sql<{ vbo_id: string; transactie_id: string; datum: string; koopsom: number; hypotheek_id: string; h_datum: string; bedrag: number }>`
      SELECT t.vbo_id, t.transactie_id, t.datum, t.koopsom, h.hypotheek_id, h.datum AS h_datum, h.bedrag
      FROM transactie t
      JOIN hypotheek h ON h.run_key = t.run_key AND h.vbo_id = t.vbo_id
        AND h.datum_d BETWEEN t.datum_d - ${params.windowDays} AND t.datum_d + ${params.windowDays} AND h.datum_d <= ${w.to}
      WHERE t.run_key = ${runKey} AND t.datum_d BETWEEN ${w.from} AND ${w.to} AND t.meerdere_objecten = 0
        AND t.koopsom > 0 AND h.bedrag * 100 > t.koopsom * ${params.maxPercentOfKoopsom}
      ORDER BY t.vbo_id, t.datum_d, t.transactie_id, h.hypotheek_id`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((r) => `Hypotheek van ${euro(r.bedrag)} op ${r.h_datum} bij een aankoop op ${r.datum} voor ${euro(r.koopsom)}: ${Math.round((r.bedrag / r.koopsom) * 100)} % van de koopsom (grens ${params.maxPercentOfKoopsom} %).`).join(' '),
        en: list.map((r) => `Mortgage of ${euro(r.bedrag)} on ${r.h_datum} against a purchase on ${r.datum} for ${euro(r.koopsom)}: ${Math.round((r.bedrag / r.koopsom) * 100)} % of the price (limit ${params.maxPercentOfKoopsom} %).`).join(' '),
      },
      evidence: list.flatMap((r): Evidence[] => [
        { source: 'transacties.csv', id: r.transactie_id, fields: { datum: r.datum, koopsom: r.koopsom } },
        { source: 'hypotheken.csv', id: r.hypotheek_id, fields: { datum: r.h_datum, bedrag: r.bedrag } },
      ]),
    }));
  },
});
