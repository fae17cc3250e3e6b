import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, hitsPerUnit } from './define-rule.ts';

/** Default high-risk SBI prefixes: car trade, tobacco/phone shops, horeca, real estate, beauty, holdings. */
export const HIGH_RISK_SBI = ['451', '452', '4711', '4742', '561', '563', '681', '682', '9602', '9604', '6499'];

/**
 * A business of a high-risk kind registered at a unit that is only a dwelling: a front, or a
 * business address for a company that has no real premises.
 */
export const businessAtResidential = defineRule({
  id: 'use.business-at-residential',
  family: 'use',
  version: 1,
  needs: ['kvk'],
  defaultPoints: 10,
  params: z.object({ sbiPrefixes: z.array(z.string().regex(/^\d+$/)).default(HIGH_RISK_SBI) }),
  title: { nl: 'Risicovolle onderneming op een woonadres', en: 'High-risk business at a residential address' },
  async evaluate({ db, runKey, peildatum, params }) {
    if (params.sbiPrefixes.length === 0) return [];
    const prefix = sql.join(params.sbiPrefixes.map((p) => sql`k.hoofd_sbi LIKE ${`${p}%`}`), sql` OR `);
    const rows = await sql<{ vbo_id: string; kvk_nummer: string; naam: string; hoofd_sbi: string }>`
      SELECT DISTINCT k.vbo_id, k.kvk_nummer, k.naam, k.hoofd_sbi
      FROM kvk k JOIN unit u ON u.run_key = k.run_key AND u.vbo_id = k.vbo_id
      WHERE k.run_key = ${runKey}
        AND (k.datum_oprichting IS NULL OR k.datum_oprichting <= ${peildatum})
        AND (k.datum_opheffing IS NULL OR k.datum_opheffing > ${peildatum})
        AND (${prefix})
        AND EXISTS (SELECT 1 FROM unit_gebruiksdoel g WHERE g.run_key = u.run_key AND g.vbo_id = u.vbo_id AND g.gebruiksdoel = 'woonfunctie')
        AND NOT EXISTS (SELECT 1 FROM unit_gebruiksdoel g WHERE g.run_key = u.run_key AND g.vbo_id = u.vbo_id AND g.gebruiksdoel <> 'woonfunctie')
      ORDER BY k.vbo_id, k.kvk_nummer, k.naam, k.hoofd_sbi`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((k) => `${k.naam} (KvK ${k.kvk_nummer}, SBI ${k.hoofd_sbi}) is actief gevestigd op dit adres, dat volgens de BAG alleen een woonfunctie heeft.`).join(' '),
        en: list.map((k) => `${k.naam} (KvK ${k.kvk_nummer}, SBI ${k.hoofd_sbi}) is an active establishment at this address, which the BAG lists as residential only.`).join(' '),
      },
      evidence: [
        ...list.map((k) => ({ source: 'kvk.csv', id: k.kvk_nummer, fields: { naam: k.naam, hoofd_sbi: k.hoofd_sbi } })),
        { source: 'bag', id: list[0]!.vbo_id, fields: { gebruiksdoelen: 'woonfunctie' } },
      ],
    }));
  },
});
