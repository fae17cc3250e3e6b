import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, euro, hitsPerUnit } from './define-rule.ts';
import { activeMortgage } from './sql-fragments.ts';
import { dayNumber } from '../util/dates.ts';

/** Money from abroad: an active mortgage's lender has its seat or residence outside the Netherlands. */
export const foreignLender = defineRule({
  id: 'financing.foreign-lender',
  family: 'financing',
  version: 1,
  needs: ['hypotheken'],
  defaultPoints: 15,
  params: z.object({ homeCountry: z.string().length(2).default('NL') }),
  title: { nl: 'Hypotheek bij een buitenlandse geldverstrekker', en: 'Mortgage from a foreign lender' },
  async evaluate({ db, runKey, peildatum, params }) {
    const peil = dayNumber(peildatum);
    const rows = await sql<{ vbo_id: string; hypotheek_id: string; datum: string; bedrag: number | null; hypotheekhouder_id: string; land: string }>`
      SELECT h.vbo_id, h.hypotheek_id, h.datum, h.bedrag, h.hypotheekhouder_id, p.land
      FROM hypotheek h JOIN persoon p ON p.run_key = h.run_key AND p.persoon_id = h.hypotheekhouder_id
      WHERE h.run_key = ${runKey} AND ${activeMortgage('h', peil)} AND p.land <> ${params.homeCountry}
      ORDER BY h.vbo_id, h.datum_d, h.hypotheek_id`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((h) => `Actieve hypotheek van ${h.datum} (${euro(h.bedrag)}) bij een geldverstrekker gevestigd in ${h.land}.`).join(' '),
        en: list.map((h) => `Active mortgage of ${h.datum} (${euro(h.bedrag)}) from a lender established in ${h.land}.`).join(' '),
      },
      evidence: list.map((h) => ({ source: 'hypotheken.csv', id: h.hypotheek_id, fields: { datum: h.datum, bedrag: h.bedrag, hypotheekhouder_id: h.hypotheekhouder_id, land: h.land } })),
    }));
  },
});
