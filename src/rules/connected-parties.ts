/**
 * The parties connected to a unit, as one SQL expression shared by the network rules: current
 * holders, buyers in the look-back, active lenders and permit or subsidy applicants in their window.
 * Each row carries the party (after linking), the role, and the record that connects it.
 */
import { sql, type RawBuilder } from 'kysely';
import { activeMortgage } from './sql-fragments.ts';

export interface ConnectedWindows {
  runId: string;
  peildatum: string;
  peilDay: number;
  buyerFromDay: number;
  applicantFromDay: number;
}

/** Columns: vbo_id, rol, party_id, mention_source, mention_id, via_source, via_id. */
export function connectedParties(w: ConnectedWindows, roles: { holders?: boolean; buyers?: boolean; lenders?: boolean; applicants?: boolean } = { holders: true, buyers: true, lenders: true, applicants: true }): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (roles.holders) {
    parts.push(sql`SELECT r.vbo_id, 'houder' AS rol, l.party_id, l.source AS mention_source, l.mention_id, 'rechten.csv' AS via_source, r.recht_id AS via_id
      FROM recht r JOIN party_link l ON l.run_id = r.run_id AND l.source = 'personen.csv' AND l.mention_id = r.persoon_id
      WHERE r.run_id = ${w.runId} AND r.ingangsdatum <= ${w.peildatum} AND (r.einddatum IS NULL OR r.einddatum > ${w.peildatum})`);
  }
  if (roles.buyers) {
    parts.push(sql`SELECT t.vbo_id, 'koper' AS rol, l.party_id, l.source AS mention_source, l.mention_id, 'transacties.csv' AS via_source, t.transactie_id AS via_id
      FROM transactie t
      JOIN transactie_partij tp ON tp.run_id = t.run_id AND tp.transactie_id = t.transactie_id AND tp.rol = 'koper'
      JOIN party_link l ON l.run_id = tp.run_id AND l.source = 'personen.csv' AND l.mention_id = tp.persoon_id
      WHERE t.run_id = ${w.runId} AND t.datum_d BETWEEN ${w.buyerFromDay} AND ${w.peilDay}`);
  }
  if (roles.lenders) {
    parts.push(sql`SELECT h.vbo_id, 'geldverstrekker' AS rol, l.party_id, l.source AS mention_source, l.mention_id, 'hypotheken.csv' AS via_source, h.hypotheek_id AS via_id
      FROM hypotheek h JOIN party_link l ON l.run_id = h.run_id AND l.source = 'personen.csv' AND l.mention_id = h.hypotheekhouder_id
      WHERE h.run_id = ${w.runId} AND ${activeMortgage('h', w.peilDay)}`);
  }
  if (roles.applicants) {
    parts.push(sql`SELECT a.vbo_id, 'aanvrager' AS rol, l.party_id, l.source AS mention_source, l.mention_id, l.source AS via_source, a.aanvraag_id AS via_id
      FROM aanvraag a JOIN party_link l ON l.run_id = a.run_id AND l.source = a.bron || '.csv' AND l.mention_id = a.aanvraag_id
      WHERE a.run_id = ${w.runId} AND a.datum_aanvraag_d BETWEEN ${w.applicantFromDay} AND ${w.peilDay}`);
  }
  return sql.join(parts, sql` UNION ALL `);
}
