import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, hitsPerUnit, type Evidence } from './define-rule.ts';
import { lookBack } from './window.ts';

/**
 * A sale to oneself or to a related party: buyer and seller are the same party (linked), share a KvK
 * number, or share a postal address (postcode, huisnummer, huisletter and toevoeging; an address
 * without postcode or huisnummer is unknown, never equal). Used to pump up prices or move property
 * between a person's own companies.
 */
export const relatedPartyTransfer = defineRule({
  id: 'ownership.related-party-transfer',
  family: 'ownership',
  version: 1,
  needs: ['transacties'],
  defaultPoints: 10,
  params: z.object({ lookBackMonths: z.number().int().positive().default(60) }),
  title: { nl: 'Overdracht tussen verbonden partijen', en: 'Transfer between related parties' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    const rows = await sql<{ vbo_id: string; transactie_id: string; datum: string; koper_id: string; verkoper_id: string; how: string; party_reason: string | null }>`
      SELECT t.vbo_id, t.transactie_id, t.datum, pk.persoon_id AS koper_id, pv.persoon_id AS verkoper_id,
        CASE
          WHEN pk.persoon_id = pv.persoon_id THEN 'zelfde-persoon'
          WHEN pk.kvk_nummer IS NOT NULL AND pk.kvk_nummer = pv.kvk_nummer THEN 'kvk'
          WHEN lk.party_id = lv.party_id THEN 'gekoppeld'
          ELSE 'adres' END AS how,
        CASE WHEN lk.party_id = lv.party_id THEN (CASE WHEN lk.mention_id > lv.mention_id THEN lk.reason ELSE lv.reason END) END AS party_reason
      FROM transactie t
      JOIN transactie_partij k ON k.run_key = t.run_key AND k.transactie_id = t.transactie_id AND k.rol = 'koper'
      JOIN transactie_partij v ON v.run_key = t.run_key AND v.transactie_id = t.transactie_id AND v.rol = 'verkoper'
      JOIN persoon pk ON pk.run_key = t.run_key AND pk.persoon_id = k.persoon_id
      JOIN persoon pv ON pv.run_key = t.run_key AND pv.persoon_id = v.persoon_id
      LEFT JOIN party_link lk ON lk.run_key = t.run_key AND lk.source = 'personen.csv' AND lk.mention_id = pk.persoon_id
      LEFT JOIN party_link lv ON lv.run_key = t.run_key AND lv.source = 'personen.csv' AND lv.mention_id = pv.persoon_id
      WHERE t.run_key = ${runKey} AND t.datum_d BETWEEN ${w.from} AND ${w.to}
        AND (pk.persoon_id = pv.persoon_id
          OR (pk.kvk_nummer IS NOT NULL AND pk.kvk_nummer = pv.kvk_nummer)
          OR lk.party_id = lv.party_id
          OR (pk.postcode IS NOT NULL AND pk.huisnummer IS NOT NULL AND pk.postcode = pv.postcode AND pk.huisnummer = pv.huisnummer
              AND coalesce(pk.huisletter, '') = coalesce(pv.huisletter, '') AND coalesce(pk.toevoeging, '') = coalesce(pv.toevoeging, '')))
      ORDER BY t.vbo_id, t.datum_d, t.transactie_id, pk.persoon_id, pv.persoon_id`.execute(db);
    const nl: Record<string, string> = { 'zelfde-persoon': 'zijn dezelfde partij', kvk: 'hebben hetzelfde KvK-nummer', gekoppeld: 'zijn gekoppeld als dezelfde partij', adres: 'hebben hetzelfde postadres' };
    const en: Record<string, string> = { 'zelfde-persoon': 'are the same party', kvk: 'share a KvK number', gekoppeld: 'are linked as the same party', adres: 'share a postal address' };
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((r) => `Bij de overdracht op ${r.datum} ${nl[r.how]} koper ${r.koper_id} en verkoper ${r.verkoper_id}${r.party_reason ? ` (${r.party_reason})` : ''}.`).join(' '),
        en: list.map((r) => `In the transfer on ${r.datum} buyer ${r.koper_id} and seller ${r.verkoper_id} ${en[r.how]}${r.party_reason ? ` (${r.party_reason})` : ''}.`).join(' '),
      },
      evidence: list.flatMap((r): Evidence[] => [
        { source: 'transacties.csv', id: r.transactie_id, fields: { datum: r.datum, koper: r.koper_id, verkoper: r.verkoper_id, verband: r.how } },
      ]),
    }));
  },
});
