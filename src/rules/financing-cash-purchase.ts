import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, euro, hitsPerUnit } from './define-rule.ts';
import { lookBack } from './window.ts';

/**
 * A purchase with a substantial price and no mortgage on the unit around the deed: money from
 * somewhere else, the classic way to place cash in real estate.
 */
export const cashPurchase = defineRule({
  id: 'financing.cash-purchase',
  family: 'financing',
  version: 1,
  needs: ['transacties', 'hypotheken'],
  defaultPoints: 15,
  params: z.object({
    minKoopsom: z.number().nonnegative().default(100_000),
    lookBackMonths: z.number().int().positive().default(60),
    mortgageWindowDays: z.number().int().nonnegative().default(90),
  }),
  title: { nl: 'Aankoop zonder hypotheek', en: 'Purchase without mortgage' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    const rows = await sql<{ vbo_id: string; transactie_id: string; datum: string; koopsom: number }>`
      SELECT t.vbo_id, t.transactie_id, t.datum, t.koopsom
      FROM transactie t
      WHERE t.run_key = ${runKey} AND t.datum_d BETWEEN ${w.from} AND ${w.to} AND t.koopsom >= ${params.minKoopsom}
        AND NOT EXISTS (
          SELECT 1 FROM hypotheek h
          WHERE h.run_key = t.run_key AND h.vbo_id = t.vbo_id AND h.datum_d <= ${w.to}
            AND h.datum_d BETWEEN t.datum_d - ${params.mortgageWindowDays} AND t.datum_d + ${params.mortgageWindowDays})
      ORDER BY t.vbo_id, t.datum_d, t.transactie_id`.execute(db);
    return hitsPerUnit(rows.rows, (_vbo, list) => ({
      explanation: {
        nl: list.map((t) => `Aankoop op ${t.datum} voor ${euro(t.koopsom)} zonder hypotheek ingeschreven binnen ${params.mortgageWindowDays} dagen voor of na de akte.`).join(' '),
        en: list.map((t) => `Purchase on ${t.datum} for ${euro(t.koopsom)} with no mortgage registered within ${params.mortgageWindowDays} days before or after the deed.`).join(' '),
      },
      evidence: list.map((t) => ({ source: 'transacties.csv', id: t.transactie_id, fields: { datum: t.datum, koopsom: t.koopsom } })),
    }));
  },
});
