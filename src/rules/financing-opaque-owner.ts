import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, hitsPerUnit, type Evidence } from './define-rule.ts';
import { currentHolding } from './sql-fragments.ts';

/**
 * An owner whose ultimate beneficiary is hidden: a foreign legal entity, a `Buitenlandse
 * rechtspersoon`, or a stichting administratiekantoor (STAK, which separates economic ownership from
 * control). An ordinary Dutch stichting, such as a housing corporation, is not opaque.
 */
export const opaqueOwner = defineRule({
  id: 'financing.opaque-owner',
  family: 'financing',
  version: 1,
  needs: [],
  defaultPoints: 15,
  params: z.object({ homeCountry: z.string().length(2).default('NL') }),
  title: { nl: 'Eigenaar met ondoorzichtige structuur', en: 'Owner with an opaque structure' },
  async evaluate({ db, runKey, peildatum, params }) {
    const naam = sql`lower(p.naam)`;
    const vorm = sql`lower(coalesce(p.rechtsvorm, ''))`;
    const stak = sql`(${naam} LIKE '%administratiekantoor%' OR ${naam} LIKE 'stak %' OR ${naam} LIKE '% stak' OR ${naam} LIKE '% stak %' OR ${naam} = 'stak'
      OR ${vorm} LIKE '%administratiekantoor%' OR ${vorm} = 'stak')`;
    const rows = await sql<{ vbo_id: string; recht_id: string; soort_recht: string; persoon_id: string; naam: string; rechtsvorm: string | null; land: string; why: string }>`
      SELECT r.vbo_id, r.recht_id, r.soort_recht, p.persoon_id, p.naam, p.rechtsvorm, p.land,
        CASE WHEN ${stak} THEN 'stak' WHEN p.land <> ${params.homeCountry} THEN 'buitenland' ELSE 'buitenlandse-rechtspersoon' END AS why
      FROM recht r JOIN persoon p ON p.run_key = r.run_key AND p.persoon_id = r.persoon_id
      WHERE r.run_key = ${runKey} AND ${currentHolding('r', peildatum)} AND p.soort = 'niet_natuurlijk_persoon'
        AND (p.land <> ${params.homeCountry} OR ${vorm} = 'buitenlandse rechtspersoon' OR ${stak})
      ORDER BY r.vbo_id, p.persoon_id, r.recht_id`.execute(db);
    const nl = { stak: 'een stichting administratiekantoor (STAK)', buitenland: 'een rechtspersoon gevestigd in', 'buitenlandse-rechtspersoon': 'een buitenlandse rechtspersoon' } as Record<string, string>;
    const en = { stak: 'a trust office foundation (STAK)', buitenland: 'a legal entity established in', 'buitenlandse-rechtspersoon': 'a foreign legal entity' } as Record<string, string>;
    return hitsPerUnit(rows.rows, (_v, list) => ({
      explanation: {
        nl: list.map((r) => `${r.naam} (${r.soort_recht}) is ${nl[r.why]}${r.why === 'buitenland' ? ` ${r.land}` : ''}.`).join(' '),
        en: list.map((r) => `${r.naam} (${r.soort_recht}) is ${en[r.why]}${r.why === 'buitenland' ? ` ${r.land}` : ''}.`).join(' '),
      },
      evidence: list.flatMap((r): Evidence[] => [
        { source: 'rechten.csv', id: r.recht_id, fields: { soort_recht: r.soort_recht, persoon_id: r.persoon_id } },
        { source: 'personen.csv', id: r.persoon_id, fields: { naam: r.naam, rechtsvorm: r.rechtsvorm, land: r.land } },
      ]),
    }));
  },
});
