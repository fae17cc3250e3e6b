import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, euro, hitsPerUnit, type Evidence } from './define-rule.ts';
import { lookBack } from './window.ts';
import { dayOfMonth, monthIndex } from './sql-fragments.ts';

/**
 * A buyer that is a freshly founded company: a vehicle set up for the deal. The founding date comes
 * from kvk.csv (the earliest datum_oprichting of the buyer's KvK number). "Less than 12 months" is in
 * calendar months: founded after the same day 12 months before the deed.
 */
export const youngCompanyBuyer = defineRule({
  id: 'financing.young-company-buyer',
  family: 'financing',
  version: 1,
  needs: ['transacties', 'kvk'],
  defaultPoints: 10,
  params: z.object({ lookBackMonths: z.number().int().positive().default(60), maxAgeMonths: z.number().int().positive().default(12) }),
  title: { nl: 'Koper is een pas opgerichte onderneming', en: 'Buyer is a newly founded company' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    const months = sql`(${monthIndex('t.datum')} - ${monthIndex('k.opgericht')})`;
    const rows = await sql<{ vbo_id: string; transactie_id: string; datum: string; koopsom: number | null; persoon_id: string; naam: string; kvk_nummer: string; opgericht: string }>`
      WITH k AS (
        SELECT kvk_nummer, min(datum_oprichting) AS opgericht FROM kvk
        WHERE run_key = ${runKey} AND datum_oprichting IS NOT NULL GROUP BY kvk_nummer
      )
      SELECT t.vbo_id, t.transactie_id, t.datum, t.koopsom, p.persoon_id, p.naam, p.kvk_nummer, k.opgericht
      FROM transactie t
      JOIN transactie_partij tp ON tp.run_key = t.run_key AND tp.transactie_id = t.transactie_id AND tp.rol = 'koper'
      JOIN persoon p ON p.run_key = tp.run_key AND p.persoon_id = tp.persoon_id AND p.soort = 'niet_natuurlijk_persoon'
      JOIN k ON k.kvk_nummer = p.kvk_nummer
      WHERE t.run_key = ${runKey} AND t.datum_d BETWEEN ${w.from} AND ${w.to} AND k.opgericht <= t.datum
        AND (${months} < ${params.maxAgeMonths} OR (${months} = ${params.maxAgeMonths} AND ${dayOfMonth('k.opgericht')} > ${dayOfMonth('t.datum')}))
      ORDER BY t.vbo_id, t.datum_d, t.transactie_id, p.persoon_id`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((r) => `${r.naam} kocht op ${r.datum} (${euro(r.koopsom)}) en is opgericht op ${r.opgericht}, minder dan ${params.maxAgeMonths} maanden eerder.`).join(' '),
        en: list.map((r) => `${r.naam} bought on ${r.datum} (${euro(r.koopsom)}) and was founded on ${r.opgericht}, less than ${params.maxAgeMonths} months before.`).join(' '),
      },
      evidence: list.flatMap((r): Evidence[] => [
        { source: 'transacties.csv', id: r.transactie_id, fields: { datum: r.datum, koper: r.persoon_id } },
        { source: 'kvk.csv', id: r.kvk_nummer, fields: { datum_oprichting: r.opgericht } },
      ]),
    }));
  },
});
