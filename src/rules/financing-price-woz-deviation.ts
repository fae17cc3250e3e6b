import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, euro, hitsPerUnit, type Evidence } from './define-rule.ts';
import { lookBack } from './window.ts';

/**
 * A price far from the official valuation: under-the-table payments (too low) or laundering through an
 * inflated price (too high). Compared with the WOZ value whose peildatum is nearest the deed (ties: the
 * later valuation; rows are named by unit and valuation date). Deeds that cover several units are skipped.
 */
export const priceWozDeviation = defineRule({
  id: 'financing.price-woz-deviation',
  family: 'financing',
  version: 1,
  needs: ['transacties', 'woz'],
  defaultPoints: 10,
  params: z.object({
    lookBackMonths: z.number().int().positive().default(60),
    minPercentOfWoz: z.number().nonnegative().default(70),
    maxPercentOfWoz: z.number().positive().default(150),
  }),
  title: { nl: 'Koopsom wijkt sterk af van de WOZ-waarde', en: 'Price far from the WOZ value' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    const rows = await sql<{ vbo_id: string; transactie_id: string; datum: string; koopsom: number; woz_peildatum: string; waarde: number }>`
      WITH nearest AS (
        SELECT t.vbo_id, t.transactie_id, t.datum, t.datum_d, t.koopsom, z.peildatum AS woz_peildatum, z.waarde,
          ROW_NUMBER() OVER (PARTITION BY t.transactie_id ORDER BY abs(z.peildatum_d - t.datum_d), z.peildatum_d DESC, z.waarde DESC) AS n
        FROM transactie t JOIN woz z ON z.run_key = t.run_key AND z.vbo_id = t.vbo_id
        WHERE t.run_key = ${runKey} AND t.datum_d BETWEEN ${w.from} AND ${w.to} AND t.meerdere_objecten = 0
          AND t.koopsom IS NOT NULL AND z.waarde > 0
      )
      SELECT vbo_id, transactie_id, datum, koopsom, woz_peildatum, waarde FROM nearest
      WHERE n = 1 AND (koopsom * 100 < waarde * ${params.minPercentOfWoz} OR koopsom * 100 > waarde * ${params.maxPercentOfWoz})
      ORDER BY vbo_id, datum_d, transactie_id`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((r) => `Koopsom ${euro(r.koopsom)} op ${r.datum} is ${Math.round((r.koopsom / r.waarde) * 100)} % van de WOZ-waarde ${euro(r.waarde)} (peildatum ${r.woz_peildatum}); normaal is ${params.minPercentOfWoz}–${params.maxPercentOfWoz} %.`).join(' '),
        en: list.map((r) => `Price ${euro(r.koopsom)} on ${r.datum} is ${Math.round((r.koopsom / r.waarde) * 100)} % of the WOZ value ${euro(r.waarde)} (valued ${r.woz_peildatum}); normal is ${params.minPercentOfWoz}–${params.maxPercentOfWoz} %.`).join(' '),
      },
      evidence: list.flatMap((r): Evidence[] => [
        { source: 'transacties.csv', id: r.transactie_id, fields: { datum: r.datum, koopsom: r.koopsom } },
        { source: 'woz.csv', id: `${r.vbo_id} ${r.woz_peildatum}`, fields: { peildatum: r.woz_peildatum, waarde: r.waarde } },
      ]),
    }));
  },
});
