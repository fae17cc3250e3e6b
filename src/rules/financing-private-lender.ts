import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, euro, hitsPerUnit } from './define-rule.ts';
import { activeMortgage } from './sql-fragments.ts';
import { dayNumber } from '../util/dates.ts';

/** Financing outside the licensed banks: a natural person or an `overig` lender holds an active mortgage. */
export const privateLender = defineRule({
  id: 'financing.private-lender',
  family: 'financing',
  version: 1,
  needs: ['hypotheken'],
  defaultPoints: 20,
  params: z.object({}),
  title: { nl: 'Hypotheek bij een particuliere of overige geldverstrekker', en: 'Mortgage from a private or other lender' },
  async evaluate({ db, runKey, peildatum }) {
    const peil = dayNumber(peildatum);
    const rows = await sql<{ vbo_id: string; hypotheek_id: string; datum: string; bedrag: number | null; hypotheekhouder_id: string; hypotheekhouder_type: string | null; soort: string }>`
      SELECT h.vbo_id, h.hypotheek_id, h.datum, h.bedrag, h.hypotheekhouder_id, h.hypotheekhouder_type, p.soort
      FROM hypotheek h JOIN persoon p ON p.run_key = h.run_key AND p.persoon_id = h.hypotheekhouder_id
      WHERE h.run_key = ${runKey} AND ${activeMortgage('h', peil)}
        AND (p.soort = 'natuurlijk_persoon' OR h.hypotheekhouder_type = 'overig')
      ORDER BY h.vbo_id, h.datum_d, h.hypotheek_id`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((h) => `Actieve hypotheek van ${h.datum} (${euro(h.bedrag)}) bij ${h.soort === 'natuurlijk_persoon' ? 'een natuurlijk persoon' : 'een overige geldverstrekker (geen bank)'}.`).join(' '),
        en: list.map((h) => `Active mortgage of ${h.datum} (${euro(h.bedrag)}) held by ${h.soort === 'natuurlijk_persoon' ? 'a natural person' : 'an other lender (not a bank)'}.`).join(' '),
      },
      evidence: list.map((h) => ({ source: 'hypotheken.csv', id: h.hypotheek_id, fields: { datum: h.datum, bedrag: h.bedrag, hypotheekhouder_id: h.hypotheekhouder_id, hypotheekhouder_type: h.hypotheekhouder_type, hypotheekhouder_soort: h.soort } })),
    }));
  },
});
