/** The applicant check as a terminal report: short, in Dutch, most important first. */
import type { CheckReport } from '../../schemas/check.ts';
import { euroText } from './html.ts';
import { listedOf } from './listed.ts';

export function checkText(r: CheckReport): string {
  const out: string[] = [];
  const q = r.query;
  out.push(`Toets ${[q.naam && `naam "${q.naam}"`, q.geboortedatum && `geboren ${q.geboortedatum}`, q.kvk_nummer && `KvK ${q.kvk_nummer}`, q.adres && `adres ${q.adres}`].filter(Boolean).join(', ')}`);
  out.push(`Screening ${r.run_id} (peildatum ${r.peildatum})${r.reden ? ` · reden: ${r.reden}` : ''}`);
  out.push('');
  if (r.matches.length === 0) out.push('Geen partij gevonden die voldoende overeenkomt.');
  for (const m of r.matches) {
    out.push(`■ ${m.party.naam}${m.party.kvk_nummer ? ` (KvK ${m.party.kvk_nummer})` : ''}${m.party.geboortedatum ? ` geb. ${m.party.geboortedatum}` : ''} — score ${m.score.toFixed(2)}: ${m.reasons.join(', ')}`);
    if (m.signals.length) out.push(`  ⚠ signalen: ${m.signals.map((s) => `${s.signaal_id} ${s.bron} ${s.datum}${s.omschrijving ? ` – ${s.omschrijving.replace(/\s+/g, ' ')}` : ''}`).join('; ')}`);
    const now = m.units.filter((u) => u.current);
    out.push(`  eenheden nu${listedOf(m.units.length, m.totals.units)}: ${now.length ? now.map((u) => `${u.adres ?? u.vbo_id} (${u.soort_recht} ${u.aandeel})`).join('; ') : 'geen'}`);
    const past = m.units.filter((u) => !u.current);
    if (past.length) out.push(`  eenheden afgelopen 5 jaar: ${past.map((u) => `${u.adres ?? u.vbo_id} (tot ${u.einddatum})`).join('; ')}`);
    if (m.transfers.length) out.push(`  overdrachten${listedOf(m.transfers.length, m.totals.transfers)}: ${m.transfers.map((t) => `${t.datum} ${t.rol} ${t.vbo_id} ${euroText(t.koopsom)}`).join('; ')}`);
    if (m.mortgages.length) out.push(`  hypotheken${listedOf(m.mortgages.length, m.totals.mortgages)}: ${m.mortgages.map((h) => `${h.datum} ${h.rol} ${h.vbo_id} ${euroText(h.bedrag)}${h.einddatum ? ` (doorgehaald ${h.einddatum})` : ''}`).join('; ')}`);
    if (m.applications.length) out.push(`  aanvragen: ${m.applications.map((a) => `${a.datum_aanvraag} ${a.soort} ${a.aanvraag_id} (${a.status ?? '?'})`).join('; ')}`);
    if (m.establishments.length) out.push(`  vestigingen: ${m.establishments.map((e) => `${e.naam} KvK ${e.kvk_nummer} SBI ${e.sbi_codes}`).join('; ')}`);
    if (m.register.length) out.push(`  in het risicoregister${listedOf(m.register.length, m.totals.register, 'de hoogste')}: ${m.register.map((e) => `${e.adres ?? e.vbo_id} ${e.band} ${e.score} [${e.rules.join(', ')}]`).join('; ')}`);
    for (const rel of m.related) {
      out.push(`  ↳ ${rel.relation.join(', ')}: ${rel.party.naam}${rel.party.kvk_nummer ? ` (KvK ${rel.party.kvk_nummer})` : ''} — ${rel.units} eenheden, ${rel.register_entries} in register${rel.signals.length ? `, ⚠ signalen ${rel.signals.join(', ')}` : ''}`);
    }
    out.push('');
  }
  if (r.rejected.length) {
    out.push('Overwogen en afgewezen:');
    for (const x of r.rejected.slice(0, 10)) out.push(`  ✗ ${x.party.naam}${x.party.geboortedatum ? ` geb. ${x.party.geboortedatum}` : ''} — ${x.why} (${x.reasons.join(', ')})`);
  }
  return `${out.join('\n')}\n`;
}
