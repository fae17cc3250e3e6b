import { z } from 'zod';
import { sql } from 'kysely';
import { defineRule, hitsPerUnit } from './define-rule.ts';
import { lookBack } from './window.ts';

/**
 * A horeca-type permit asked for a unit whose BAG gebruiksdoel does not allow that use. An
 * omgevingsvergunning is the legal route to change use, so it never counts.
 */
export const permitMismatch = defineRule({
  id: 'use.permit-mismatch',
  family: 'use',
  version: 1,
  needs: ['vergunningen'],
  defaultPoints: 10,
  params: z.object({
    lookBackMonths: z.number().int().positive().default(36),
    permitTypes: z.array(z.string()).default(['exploitatievergunning', 'alcoholwet', 'terras']),
    /** Which BAG gebruiksdoelen allow a requested use besides the use itself. */
    compatible: z.record(z.string(), z.array(z.string())).default({ horeca: ['bijeenkomstfunctie', 'logiesfunctie'] }),
  }),
  title: { nl: 'Vergunde activiteit past niet bij gebruiksdoel', en: 'Permit use does not match intended use' },
  async evaluate({ db, runKey, peildatum, params }) {
    const w = lookBack(peildatum, params.lookBackMonths);
    // A permit of a horeca type without a stated use asks for horeca.
    const gebruik = sql`coalesce(a.gevraagd_gebruik, 'horeca')`;
    const compatiblePairs = Object.entries(params.compatible).flatMap(([use, doelen]) => doelen.map((d) => sql`(${gebruik} = ${use} AND g.gebruiksdoel = ${d})`));
    const compatible = compatiblePairs.length ? sql`OR ${sql.join(compatiblePairs, sql` OR `)}` : sql``;
    const types = params.permitTypes.length ? sql`a.soort IN (${sql.join(params.permitTypes)}) OR ` : sql``;
    const rows = await sql<{ vbo_id: string; aanvraag_id: string; soort: string; gebruik: string; datum_aanvraag: string; status: string | null; gebruiksdoelen: string }>`
      SELECT a.vbo_id, a.aanvraag_id, a.soort, ${gebruik} AS gebruik, a.datum_aanvraag, a.status, u.gebruiksdoelen
      FROM aanvraag a
      JOIN unit u ON u.run_key = a.run_key AND u.vbo_id = a.vbo_id
      WHERE a.run_key = ${runKey} AND a.bron = 'vergunningen' AND a.soort <> 'omgevingsvergunning'
        AND (${types}a.gevraagd_gebruik = 'horeca')
        AND a.datum_aanvraag_d BETWEEN ${w.from} AND ${w.to}
        AND coalesce(a.status, '') <> 'ingetrokken'
        AND NOT EXISTS (
          SELECT 1 FROM unit_gebruiksdoel g
          WHERE g.run_key = a.run_key AND g.vbo_id = a.vbo_id AND (g.gebruiksdoel = ${gebruik} ${compatible}))
      ORDER BY a.vbo_id, a.datum_aanvraag_d, a.aanvraag_id`.execute(db);
    return hitsPerUnit(rows.rows, (_vbo, list) => {
      const doelen = list[0]!.gebruiksdoelen.split('|').filter(Boolean).join(', ') || 'geen';
      return {
        explanation: {
          nl: list.map((a) => `Aanvraag ${a.soort} op ${a.datum_aanvraag} voor gebruik "${a.gebruik}", terwijl het gebruiksdoel volgens de BAG op de peildatum ${doelen} is.`).join(' '),
          en: list.map((a) => `Application for ${a.soort} on ${a.datum_aanvraag} for use "${a.gebruik}", while the BAG gebruiksdoel on the peildatum is ${doelen}.`).join(' '),
        },
        evidence: [
          ...list.map((a) => ({ source: 'vergunningen.csv', id: a.aanvraag_id, fields: { soort: a.soort, gevraagd_gebruik: a.gebruik, datum_aanvraag: a.datum_aanvraag, status: a.status } })),
          { source: 'bag', id: list[0]!.vbo_id, fields: { gebruiksdoelen: list[0]!.gebruiksdoelen } },
        ],
      };
    });
  },
});
