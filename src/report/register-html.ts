/**
 * register.html: one self-contained file a reviewer can open anywhere (no network, strict CSP):
 * summary by band and rule, a map of the entries drawn from the BAG point coordinates (inline SVG,
 * coloured by band, no tiles), and the entries, sortable and filterable by band, rule and street,
 * each with its explanations and evidence. Every piece of data is escaped.
 */
import type { Register, RegisterEntry } from '../../schemas/register.ts';
import { BAND_ORDER } from '../score/score.ts';
import { esc, REPORT_CSP } from './html.ts';
import type { RunDiff } from '../review/run-diff.ts';

const BAND_COLOUR: Record<string, string> = { hoog: '#c0392b', midden: '#e67e22', laag: '#f1c40f' };
const BAND_LABEL: Record<string, string> = { hoog: 'Hoog', midden: 'Midden', laag: 'Laag' };

function map(entries: RegisterEntry[]): string {
  const pts = entries.filter((e) => e.x !== null && e.y !== null);
  if (pts.length === 0) return '<p class="muted">Geen coördinaten beschikbaar voor de kaart.</p>';
  const xs = pts.map((e) => e.x!);
  const ys = pts.map((e) => e.y!);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const W = 640;
  const H = 420;
  const pad = 20;
  const span = Math.max(maxX - minX, maxY - minY, 1);
  const sx = (x: number) => pad + ((x - minX) / span) * (W - 2 * pad);
  // RD y grows northwards; SVG y grows downwards.
  const sy = (y: number) => H - pad - ((y - minY) / span) * (H - 2 * pad);
  const order = [...pts].sort((a, b) => BAND_ORDER.indexOf(b.band) - BAND_ORDER.indexOf(a.band));
  const dots = order.map((e) => `<a href="#e-${esc(e.vbo_id)}"><circle cx="${sx(e.x!).toFixed(1)}" cy="${sy(e.y!).toFixed(1)}" r="${e.band === 'hoog' ? 8 : e.band === 'midden' ? 6 : 5}" fill="${BAND_COLOUR[e.band]}" stroke="#333" stroke-width="0.7"><title>${esc(e.adres ?? e.vbo_id)}: ${esc(e.band)} (${e.score})</title></circle></a>`).join('');
  return `<svg class="map" viewBox="0 0 ${W} ${H}" role="img" aria-label="Kaart van de registraties (RD-coördinaten uit de BAG)"><rect x="0" y="0" width="${W}" height="${H}" fill="#f4f6f7" stroke="#ccc"/>${dots}<text x="${W - 8}" y="${H - 8}" text-anchor="end" font-size="11" fill="#666">${Math.round(span)} m</text></svg>`;
}

function evidenceList(h: RegisterEntry['hits'][number]): string {
  return `<ul class="ev">${h.evidence.map((ev) => `<li><code>${esc(ev.source)}</code> ${esc(ev.id)}${Object.keys(ev.fields).length ? `: ${Object.entries(ev.fields).map(([k, v]) => `${esc(k)} = ${esc(v ?? '–')}`).join(', ')}` : ''}</li>`).join('')}</ul>`;
}

function entryRow(e: RegisterEntry): string {
  const rules = e.hits.map((h) => h.rule_id).join(' ');
  const holders = e.holders.map((h) => esc(h.naam ?? `natuurlijk persoon (${h.persoon_id})`)).join(', ') || '–';
  const hits = e.hits.map((h) => `<div class="hit"><strong>${esc(h.title.nl)}</strong> <span class="pts">+${h.points}</span> <code>${esc(h.rule_id)} v${h.rule_version}</code><p>${esc(h.explanation.nl)}</p><details><summary>Bewijs en parameters</summary>${evidenceList(h)}<p class="muted">Parameters: ${esc(JSON.stringify(h.parameters))}</p></details></div>`).join('');
  return `<tr id="e-${esc(e.vbo_id)}" data-band="${esc(e.band)}" data-rules="${esc(rules)}" data-street="${esc((e.straat ?? '').toLowerCase())}" data-score="${e.score}" data-adres="${esc(e.adres ?? '')}" data-vbo="${esc(e.vbo_id)}">
<td><span class="band b-${esc(e.band)}">${esc(BAND_LABEL[e.band])}</span></td><td class="num">${e.score}</td>
<td>${esc(e.adres ?? 'adres onbekend')}<br><code>${esc(e.vbo_id)}</code></td><td>${esc(e.gebruiksdoelen.join(', ') || '–')}</td><td>${holders}</td>
<td>${hits}${e.notes.length ? `<p class="note">${e.notes.map(esc).join('<br>')}</p>` : ''}</td></tr>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#222;max-width:1400px}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin-top:1.6rem}.muted{color:#666}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0;cursor:pointer;user-select:none}th.nosort{cursor:default}.num{text-align:right}
.band{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;font-weight:600;font-size:.85rem}
.b-hoog{background:#c0392b;color:#fff}.b-midden{background:#e67e22;color:#fff}.b-laag{background:#f1c40f;color:#222}
.hit{margin-bottom:.5rem}.hit p{margin:.2rem 0}.pts{color:#c0392b;font-weight:600}.ev{margin:.2rem 0 .2rem 1rem;padding:0;font-size:.85rem}
.note{color:#8e44ad;font-size:.85rem}.grid{display:grid;grid-template-columns:minmax(240px,1fr) 2fr;gap:1.5rem;align-items:start}
.map{width:100%;max-width:640px;height:auto}.filters{display:flex;gap:1rem;flex-wrap:wrap;margin:.8rem 0}.filters label{font-size:.9rem}
code{font-size:.8rem;color:#555}.legend span{margin-right:1rem}
@media print{.filters{display:none}details{display:block}th{cursor:default}}`;

const SCRIPT = `(function(){
var rows=[].slice.call(document.querySelectorAll('#entries tbody tr'));
var band=document.getElementById('f-band'),rule=document.getElementById('f-rule'),street=document.getElementById('f-street'),count=document.getElementById('shown');
function apply(){var b=band.value,r=rule.value,s=street.value.trim().toLowerCase(),n=0;
rows.forEach(function(tr){var ok=(!b||tr.dataset.band===b)&&(!r||(' '+tr.dataset.rules+' ').indexOf(' '+r+' ')>=0)&&(!s||tr.dataset.street.indexOf(s)>=0);tr.hidden=!ok;if(ok)n++;});count.textContent=n;}
[band,rule].forEach(function(el){el.addEventListener('change',apply);});street.addEventListener('input',apply);
var dir={};[].slice.call(document.querySelectorAll('#entries th[data-key]')).forEach(function(th){th.addEventListener('click',function(){
var k=th.dataset.key,d=dir[k]=-(dir[k]||(k==='score'?1:-1)),body=document.querySelector('#entries tbody');
rows.sort(function(a,b){var x=a.dataset[k],y=b.dataset[k];if(k==='score'){x=+x;y=+y;}return (x<y?-1:x>y?1:0)*d||(a.dataset.vbo<b.dataset.vbo?-1:1);});
rows.forEach(function(tr){body.appendChild(tr);});});});apply();})();`;

function diffSection(d: RunDiff | undefined): string {
  if (!d) return '';
  if (!d.previous_run) return '<p class="muted">Eerste run van deze screening: alle registraties zijn nieuw.</p>';
  const c = d.counts;
  const line = (l: RunDiff['new'][number]) => `<li><a href="#e-${esc(l.vbo_id)}">${esc(l.vbo_id)}</a> ${l.before ?? '–'} → ${l.after ?? '–'}${l.rules_added.length ? ` · +${l.rules_added.map(esc).join(', +')}` : ''}${l.rules_removed.length ? ` · −${l.rules_removed.map(esc).join(', −')}` : ''}</li>`;
  const part = (title: string, ls: RunDiff['new']) => (ls.length ? `<details><summary>${title} (${ls.length})</summary><ul>${ls.map(line).join('')}</ul></details>` : '');
  return `<section class="diff"><h2>Sinds de vorige run</h2><p>Vergeleken met <code>${esc(d.previous_run)}</code>: <strong>${c.new}</strong> nieuw, <strong>${c.higher}</strong> hoger, <strong>${c.lower}</strong> lager, <strong>${c.gone}</strong> vervallen, ${c.same} gelijk.</p>${part('Nieuw', d.new)}${part('Hoger', d.higher)}${part('Lager', d.lower)}${part('Vervallen', d.gone)}</section>`;
}

/**
 * The page in pieces, one per entry between the head and the tail: at national scale it is some
 * 50 MB, and made as one string it lifted the register-files stage's peak by 180 MB at 4M units.
 */
export function* registerHtml(register: Register, diff?: RunDiff): Generator<string> {
  const s = register.summary;
  const streets = [...new Set(register.entries.map((e) => e.straat).filter((x): x is string => !!x))].sort();
  const ruleRows = register.rules.map((r) => `<tr><td><code>${esc(r.id)}</code></td><td>${esc(r.title.nl)}</td><td class="num">${r.points}</td><td class="num">${s.by_rule[r.id] ?? 0}</td></tr>`).join('');
  const unavailable = register.unavailable_rules.length
    ? `<p class="note">Niet beschikbaar: ${register.unavailable_rules.map((u) => `<code>${esc(u.id)}</code> (${esc(u.reason)})`).join('; ')}</p>` : '';
  yield `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>Risicoregister ${esc(register.pipeline)} – peildatum ${esc(register.peildatum)}</title>
<style>${STYLE}</style></head><body>
<h1>Risicoregister ${esc(register.pipeline)}</h1>
<p class="muted">Peildatum ${esc(register.peildatum)} · ${s.entries} adressen met een treffer · banden: hoog ≥ ${register.bands.hoog}, midden ≥ ${register.bands.midden}, laag &gt; 0 punten</p>
${diffSection(diff)}
<div class="grid"><section><h2>Samenvatting</h2>
<table><thead><tr><th class="nosort">Band</th><th class="nosort num">Adressen</th></tr></thead><tbody>
${BAND_ORDER.map((b) => `<tr><td><span class="band b-${b}">${BAND_LABEL[b]}</span></td><td class="num">${s.by_band[b] ?? 0}</td></tr>`).join('')}</tbody></table>
</section><section><h2>Kaart</h2>${map(register.entries)}
<p class="legend muted">${BAND_ORDER.map((b) => `<span><svg width="12" height="12"><circle cx="6" cy="6" r="5" fill="${BAND_COLOUR[b]}"/></svg> ${BAND_LABEL[b]}</span>`).join('')}</p></section></div>
<h2>Regels</h2><table><thead><tr><th class="nosort">Regel</th><th class="nosort">Titel</th><th class="nosort num">Punten</th><th class="nosort num">Treffers</th></tr></thead><tbody>${ruleRows}</tbody></table>${unavailable}
<h2>Registraties (<span id="shown">${s.entries}</span> getoond)</h2>
<div class="filters"><label>Band <select id="f-band"><option value="">alle</option>${BAND_ORDER.map((b) => `<option value="${b}">${BAND_LABEL[b]}</option>`).join('')}</select></label>
<label>Regel <select id="f-rule"><option value="">alle</option>${register.rules.map((r) => `<option value="${esc(r.id)}">${esc(r.id)}</option>`).join('')}</select></label>
<label>Straat <input id="f-street" list="streets" placeholder="bijv. Boschstraat"><datalist id="streets">${streets.map((x) => `<option value="${esc(x)}">`).join('')}</datalist></label></div>
<table id="entries"><thead><tr><th data-key="band">Band</th><th data-key="score" class="num">Score</th><th data-key="adres">Adres</th><th class="nosort">Gebruiksdoel</th><th class="nosort">Rechthebbenden</th><th class="nosort">Treffers en toelichting</th></tr></thead>
<tbody>
`;
  for (let i = 0; i < register.entries.length; i++) yield `${i ? '\n' : ''}${entryRow(register.entries[i]!)}`;
  yield `
</tbody></table>
<p class="muted">Gemaakt door Vastgoed in Beeld. Elke treffer noemt de regel, de versie, de parameters en de bronrecords. Namen van natuurlijke personen staan niet in dit register; gebruik <code>vib check</code> met een reden.</p>
<script>${SCRIPT}</script></body></html>
`;
}
