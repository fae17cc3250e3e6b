/**
 * The parties connected to a unit, as one SQL expression shared by the network rules: current
 * holders, buyers in the look-back, active lenders and permit or subsidy applicants in their window.
 * Each row carries the party (after linking), the role, and the record that connects it.
 */
import { sql, type RawBuilder } from 'kysely';
import { activeMortgage } from './sql-fragments.ts';

export interface ConnectedWindows {
  runKey: number;
  peildatum: string;
  peilDay: number;
  buyerFromDay: number;
  applicantFromDay: number;
}

type Roles = { holders?: boolean; buyers?: boolean; lenders?: boolean; applicants?: boolean };

/**
 * Columns: vbo_id, rol, party_id, mention_source, mention_id, via_source, via_id — for the parties
 * that `parties` (a query of party ids) names. The network rules ask about a few thousand parties
 * (with a signal, or applying); at national scale the query must start from them through the
 * party_link index rather than list every holder in the country first. `CROSS JOIN` keeps SQLite's
 * planner to that order: its sampled statistics see that a lender has tens of thousands of
 * mortgages and would otherwise scan every mortgage. (PostgreSQL plans a CROSS JOIN with its join
 * condition in WHERE as any inner join.)
 */
export function connectedParties(w: ConnectedWindows, roles: Roles, parties: RawBuilder<unknown>): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  const mentions = (source: RawBuilder<unknown>) => sql`l.run_key = ${w.runKey} AND ${source} AND l.party_id IN (${parties})`;
  const persons = mentions(sql`l.source = 'personen.csv'`);
  if (roles.holders) {
    parts.push(sql`SELECT r.vbo_id, 'houder' AS rol, l.party_id, l.source AS mention_source, l.mention_id, 'rechten.csv' AS via_source, r.recht_id AS via_id
      FROM party_link l CROSS JOIN recht r
      WHERE ${persons} AND r.run_key = l.run_key AND r.persoon_id = l.mention_id
        AND r.ingangsdatum <= ${w.peildatum} AND (r.einddatum IS NULL OR r.einddatum > ${w.peildatum})`);
  }
  if (roles.buyers) {
    parts.push(sql`SELECT t.vbo_id, 'koper' AS rol, l.party_id, l.source AS mention_source, l.mention_id, 'transacties.csv' AS via_source, t.transactie_id AS via_id
      FROM party_link l CROSS JOIN transactie_partij tp CROSS JOIN transactie t
      WHERE ${persons} AND tp.run_key = l.run_key AND tp.persoon_id = l.mention_id AND tp.rol = 'koper'
        AND t.run_key = tp.run_key AND t.transactie_id = tp.transactie_id AND t.datum_d BETWEEN ${w.buyerFromDay} AND ${w.peilDay}`);
  }
  if (roles.lenders) {
    parts.push(sql`SELECT h.vbo_id, 'geldverstrekker' AS rol, l.party_id, l.source AS mention_source, l.mention_id, 'hypotheken.csv' AS via_source, h.hypotheek_id AS via_id
      FROM party_link l CROSS JOIN hypotheek h
      WHERE ${persons} AND h.run_key = l.run_key AND h.hypotheekhouder_id = l.mention_id AND ${activeMortgage('h', w.peilDay)}`);
  }
  if (roles.applicants) {
    parts.push(sql`SELECT a.vbo_id, 'aanvrager' AS rol, l.party_id, l.source AS mention_source, l.mention_id, l.source AS via_source, a.aanvraag_id AS via_id
      FROM party_link l CROSS JOIN aanvraag a
      WHERE ${mentions(sql`l.source IN ('vergunningen.csv', 'subsidies.csv')`)} AND a.run_key = l.run_key
        AND a.bron = replace(l.source, '.csv', '') AND a.aanvraag_id = l.mention_id
        AND a.datum_aanvraag_d BETWEEN ${w.applicantFromDay} AND ${w.peilDay}`);
  }
  return sql.join(parts, sql` UNION ALL `);
}
