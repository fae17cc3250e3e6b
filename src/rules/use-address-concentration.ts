import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, hitsPerUnit } from './define-rule.ts';

/** Many companies registered at one unit: a letterbox address. */
export const addressConcentration = defineRule({
  id: 'use.address-concentration',
  family: 'use',
  version: 1,
  needs: ['kvk'],
  defaultPoints: 10,
  params: z.object({ minCompanies: z.number().int().min(2).default(10) }),
  title: { nl: 'Veel ondernemingen op één adres', en: 'Many companies at one address' },
  async evaluate({ db, runKey, peildatum, params }) {
    const active = sql`run_key = ${runKey} AND vbo_id IS NOT NULL AND (datum_oprichting IS NULL OR datum_oprichting <= ${peildatum}) AND (datum_opheffing IS NULL OR datum_opheffing > ${peildatum})`;
    const rows = await sql<{ vbo_id: string; kvk_nummer: string; naam: string }>`
      SELECT vbo_id, kvk_nummer, min(naam) AS naam FROM kvk
      WHERE ${active} AND vbo_id IN (SELECT vbo_id FROM kvk WHERE ${active} GROUP BY vbo_id HAVING count(DISTINCT kvk_nummer) >= ${params.minCompanies})
      GROUP BY vbo_id, kvk_nummer
      ORDER BY vbo_id, kvk_nummer`.execute(db);
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: `${list.length} actieve KvK-nummers staan op dit adres ingeschreven (grens ${params.minCompanies}).`,
        en: `${list.length} active KvK numbers are registered at this address (limit ${params.minCompanies}).`,
      },
      evidence: list.map((k) => ({ source: 'kvk.csv', id: k.kvk_nummer, fields: { naam: k.naam } })),
    }));
  },
});
