/** The applicant check as one self-contained, printable HTML file for a Bibob dossier. */
import type { CheckReport } from '../../schemas/check.ts';
import { esc, euroText, REPORT_CSP } from './html.ts';
import { listedOf } from './listed.ts';

function table(head: string[], rows: unknown[][]): string {
  if (!rows.length) return '<p class="muted">Geen.</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c ?? '–')}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function checkHtml(r: CheckReport): string {
  const q = r.query;
  const title = `Toets ${q.naam ?? ''}${q.kvk_nummer ? ` KvK ${q.kvk_nummer}` : ''}`.trim();
  const matches = r.matches.map((m) => `<section class="match"><h2>${esc(m.party.naam)} <span class="score">score ${m.score.toFixed(2)}</span></h2>
<p>${m.party.kvk_nummer ? `KvK ${esc(m.party.kvk_nummer)} · ` : ''}${m.party.geboortedatum ? `geboren ${esc(m.party.geboortedatum)} · ` : ''}gevonden als “${esc(m.matched_name)}”: ${esc(m.reasons.join(', '))}</p>
${m.signals.length ? `<div class="alert"><strong>Signalen</strong>${table(['signaal', 'bron', 'datum', 'omschrijving', 'koppeling'], m.signals.map((s) => [s.signaal_id, s.bron, s.datum, s.omschrijving, s.link]))}</div>` : ''}
<h3>Eenheden (nu en afgelopen 5 jaar)${esc(listedOf(m.units.length, m.totals.units))}</h3>${table(['adres', 'vbo_id', 'recht', 'aandeel', 'sinds', 'tot'], m.units.map((u) => [u.adres, u.vbo_id, u.soort_recht, u.aandeel, u.ingangsdatum, u.einddatum]))}
<h3>Overdrachten${esc(listedOf(m.transfers.length, m.totals.transfers))}</h3>${table(['datum', 'rol', 'vbo_id', 'koopsom', 'akte'], m.transfers.map((t) => [t.datum, t.rol, t.vbo_id, euroText(t.koopsom), t.transactie_id]))}
<h3>Hypotheken${esc(listedOf(m.mortgages.length, m.totals.mortgages))}</h3>${table(['datum', 'rol', 'vbo_id', 'bedrag', 'doorgehaald', 'id'], m.mortgages.map((h) => [h.datum, h.rol, h.vbo_id, euroText(h.bedrag), h.einddatum, h.hypotheek_id]))}
<h3>Vergunning- en subsidieaanvragen</h3>${table(['datum', 'bron', 'soort', 'vbo_id', 'status', 'id'], m.applications.map((a) => [a.datum_aanvraag, a.bron, a.soort, a.vbo_id, a.status, a.aanvraag_id]))}
<h3>Vestigingen</h3>${table(['naam', 'KvK', 'SBI', 'vbo_id', 'opgericht', 'opgeheven'], m.establishments.map((e) => [e.naam, e.kvk_nummer, e.sbi_codes, e.vbo_id, e.datum_oprichting, e.datum_opheffing]))}
<h3>In het risicoregister${esc(listedOf(m.register.length, m.totals.register, 'de hoogste'))}</h3>${table(['adres', 'vbo_id', 'band', 'score', 'regels', 'beoordeling'], m.register.map((e) => [e.adres, e.vbo_id, e.band, e.score, e.rules.join(', '), e.review_status]))}
<h3>Verbonden partijen</h3>${table(['relatie', 'naam', 'KvK', 'eenheden', 'in register', 'signalen'], m.related.map((x) => [x.relation.join(', '), x.party.naam, x.party.kvk_nummer, x.units, x.register_entries, x.signals.join(', ')]))}
</section>`).join('');
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;max-width:1100px}table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem}th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:.9rem}th{background:#f0f0f0}.muted{color:#666}.score{font-size:.9rem;color:#555;font-weight:normal}.alert{border-left:4px solid #c0392b;padding-left:.8rem}.match{page-break-inside:avoid;border-top:2px solid #333;margin-top:1.5rem}@media print{body{margin:0}}</style></head><body>
<h1>${esc(title)}</h1>
<p class="muted">Screening ${esc(r.run_id)} · peildatum ${esc(r.peildatum)}${r.reden ? ` · reden: ${esc(r.reden)}` : ''} · drempel ${r.threshold}</p>
${r.matches.length ? matches : '<p>Geen partij gevonden die voldoende overeenkomt.</p>'}
<h2>Overwogen en afgewezen</h2>${table(['naam', 'geboortedatum', 'KvK', 'score', 'waarom niet', 'redenen'], r.rejected.map((x) => [x.party.naam, x.party.geboortedatum, x.party.kvk_nummer, x.score.toFixed(2), x.why, x.reasons.join(', ')]))}
</body></html>
`;
}
