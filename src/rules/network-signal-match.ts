import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, hitsPerUnit, type Evidence } from './define-rule.ts';
import { lookBack } from './window.ts';
import { connectedParties } from './connected-parties.ts';

const ROLE_NL: Record<string, string> = { houder: 'rechthebbende', koper: 'koper', geldverstrekker: 'geldverstrekker', aanvrager: 'aanvrager' };
const ROLE_EN: Record<string, string> = { houder: 'holder', koper: 'buyer', geldverstrekker: 'lender', aanvrager: 'applicant' };

/**
 * A party connected to the unit has an earlier signal (negative Bibob advice, RIEC signal, refused
 * permit): matched by KvK number or by a name linked under the party-linking rules.
 */
export const signalMatch = defineRule({
  id: 'network.signal-match',
  family: 'network',
  version: 1,
  needs: ['signalen'],
  defaultPoints: 25,
  params: z.object({ buyerLookBackMonths: z.number().int().positive().default(60), applicantLookBackMonths: z.number().int().positive().default(36) }),
  title: { nl: 'Betrokken partij heeft een eerder signaal', en: 'Connected party has an earlier signal' },
  async evaluate({ db, runKey, peildatum, params }) {
    const buyers = lookBack(peildatum, params.buyerLookBackMonths);
    const applicants = lookBack(peildatum, params.applicantLookBackMonths);
    const signalled = sql`SELECT party_id FROM party_link WHERE run_key = ${runKey} AND source = 'signalen.csv'`;
    const connected = connectedParties({ runKey, peildatum, peilDay: buyers.to, buyerFromDay: buyers.from, applicantFromDay: applicants.from }, { holders: true, buyers: true, lenders: true, applicants: true }, signalled);
    const rows = await sql<{ vbo_id: string; rol: string; mention_source: string; mention_id: string; via_source: string; via_id: string; signaal_id: string; bron: string; datum: string; how: string }>`
      WITH c AS (${connected})
      SELECT DISTINCT c.vbo_id, c.rol, c.mention_source, c.mention_id, c.via_source, c.via_id, s.signaal_id, s.bron, s.datum,
        CASE WHEN s.kvk_nummer IS NOT NULL AND s.kvk_nummer = p.kvk_nummer THEN 'KvK-nummer gelijk' ELSE sl.reason END AS how
      FROM c
      JOIN party_link sl ON sl.run_key = ${runKey} AND sl.source = 'signalen.csv' AND sl.party_id = c.party_id
      JOIN signaal s ON s.run_key = sl.run_key AND s.signaal_id = sl.mention_id AND s.datum_d <= ${buyers.to}
      JOIN party p ON p.run_key = sl.run_key AND p.party_id = c.party_id
      ORDER BY c.vbo_id, s.signaal_id, c.rol, c.via_id`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((r) => `De ${ROLE_NL[r.rol]} (${r.mention_source} ${r.mention_id}) komt overeen met signaal ${r.signaal_id} (${r.bron}, ${r.datum}): ${r.how}.`).join(' '),
        en: list.map((r) => `The ${ROLE_EN[r.rol]} (${r.mention_source} ${r.mention_id}) matches signal ${r.signaal_id} (${r.bron}, ${r.datum}): ${r.how}.`).join(' '),
      },
      evidence: list.flatMap((r): Evidence[] => [
        { source: r.via_source, id: r.via_id, fields: { rol: r.rol, partij: `${r.mention_source}:${r.mention_id}` } },
        { source: 'signalen.csv', id: r.signaal_id, fields: { bron: r.bron, datum: r.datum, match: r.how } },
      ]),
    }));
  },
});
