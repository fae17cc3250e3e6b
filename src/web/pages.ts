/**
 * Server-rendered pages of the review app, in Dutch. Every value goes through `esc`; forms carry
 * the CSRF token; no script runs (the Content-Security-Policy allows none), so filters and sorting
 * are plain GET forms.
 */
import { esc, euroText } from '../report/html.ts';
import { REVIEW_STATUSES } from '../db/database.ts';
import type { EntryDetail, WorklistFilter, WorklistItem } from '../review/decide.ts';
import { DECISIONS } from '../review/decide.ts';
import type { RunDiff } from '../review/run-diff.ts';
import type { RegisterEntry } from '../../schemas/register.ts';
import type { CheckReport } from '../../schemas/check.ts';

export interface PageUser { name: string; role: string }

const STATUS_LABEL: Record<string, string> = {
  nieuw: 'Nieuw', in_onderzoek: 'In onderzoek', doorverwezen: 'Doorverwezen', afgedaan_geen_risico: 'Afgedaan – geen risico',
  vals_positief: 'Vals positief', gewijzigd: 'Gewijzigd', vervallen: 'Vervallen', wacht_op_bevestiging: 'Wacht op bevestiging',
};

export function layout(title: string, user: PageUser | null, body: string, csrf = ''): string {
  const nav = user ? `<nav><a href="/">Werklijst</a> <a href="/diff">Verschil met vorige run</a> <a href="/check">Aanvragerstoets</a>
<span class="who">${esc(user.name)} (${esc(user.role)})</span><form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${esc(csrf)}"><button>Uitloggen</button></form></nav>` : '';
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} – Vastgoed in Beeld</title><link rel="stylesheet" href="/assets/app.css"></head><body>
<header><strong>Vastgoed in Beeld</strong> ${nav}</header><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

export function loginPage(csrf: string, error?: string): string {
  return layout('Inloggen', null, `${error ? `<p class="error">${esc(error)}</p>` : ''}
<form method="post" action="/login" class="login"><input type="hidden" name="_csrf" value="${esc(csrf)}">
<label>Gebruiker <input name="name" autocomplete="username" required></label>
<label>Wachtwoord <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Inloggen</button></form>`);
}

function band(b: string): string {
  return `<span class="band b-${esc(b)}">${esc(b)}</span>`;
}

function statusLabel(i: { status: string; pending_status: string | null }): string {
  return `${esc(STATUS_LABEL[i.status] ?? i.status)}${i.pending_status ? ` <span class="pending">wacht op bevestiging: ${esc(STATUS_LABEL[i.pending_status] ?? i.pending_status)}</span>` : ''}`;
}

function select(name: string, value: string | undefined, options: readonly string[], labels: Record<string, string> = {}): string {
  return `<select name="${name}" id="f-${name}"><option value="">alle</option>${options.map((o) => `<option value="${esc(o)}"${o === value ? ' selected' : ''}>${esc(labels[o] ?? o)}</option>`).join('')}</select>`;
}

export function worklistPage(user: PageUser, csrf: string, pipeline: string, items: WorklistItem[], all: WorklistItem[], f: WorklistFilter & { sort?: string }, rules: string[]): string {
  const count = (key: 'band' | 'status', v: string) => all.filter((i) => i[key] === v).length;
  const bands = ['hoog', 'midden', 'laag'];
  const sorted = [...items];
  if (f.sort === 'adres') sorted.sort((a, b) => (a.adres ?? '').localeCompare(b.adres ?? '', 'nl') || (a.vbo_id < b.vbo_id ? -1 : 1));
  else if (f.sort === 'status') sorted.sort((a, b) => a.status.localeCompare(b.status) || b.score - a.score);
  const counts = `<div class="counts"><div>${bands.map((b) => `${band(b)} ${count('band', b)}`).join(' ')}</div><div>${REVIEW_STATUSES.map((s) => `<span class="st">${esc(STATUS_LABEL[s])}: ${count('status', s)}</span>`).join(' ')} <span class="st">Wacht op bevestiging: ${all.filter((i) => i.pending_status).length}</span></div></div>`;
  const form = `<form method="get" action="/" class="filters"><input type="hidden" name="pipeline" value="${esc(pipeline)}">
<label>Band ${select('band', f.band, bands)}</label><label>Status ${select('status', f.status, [...REVIEW_STATUSES, 'wacht_op_bevestiging'], STATUS_LABEL)}</label>
<label>Regel ${select('rule', f.rule, rules)}</label><label>Straat <input name="street" id="f-street" value="${esc(f.street ?? '')}"></label>
<label>Toegewezen aan <input name="assignee" id="f-assignee" value="${esc(f.assignee ?? '')}"></label>
<label>Sorteer ${select('sort', f.sort, ['score', 'adres', 'status'])}</label><button type="submit" id="apply">Toon</button></form>`;
  const rows = sorted.map((i) => `<tr data-vbo="${esc(i.vbo_id)}"><td>${band(i.band)}</td><td class="num">${i.score}</td><td><a href="/entry/${esc(i.vbo_id)}?pipeline=${encodeURIComponent(pipeline)}">${esc(i.adres ?? i.vbo_id)}</a><br><code>${esc(i.vbo_id)}</code></td><td>${statusLabel(i)}</td><td>${esc(i.assignee ?? '–')}</td><td>${i.rules.map((r) => `<code>${esc(r)}</code>`).join(' ')}</td></tr>`).join('');
  return layout(`Werklijst ${pipeline}`, user, `${counts}${form}<p class="muted"><span id="shown">${items.length}</span> van ${all.length} registraties</p>
<table id="worklist"><thead><tr><th>Band</th><th>Score</th><th>Adres</th><th>Status</th><th>Toegewezen</th><th>Regels</th></tr></thead><tbody>${rows}</tbody></table>`, csrf);
}

export function entryPage(user: PageUser, csrf: string, d: EntryDetail, message?: { kind: 'ok' | 'error'; text: string }): string {
  const e = d.entry as RegisterEntry | null;
  const s = d.state;
  const hits = e ? e.hits.map((h) => `<div class="hit"><h3>${esc(h.title.nl)} <span class="pts">+${h.points}</span> <code>${esc(h.rule_id)} v${h.rule_version}</code></h3><p>${esc(h.explanation.nl)}</p>
<ul class="ev">${h.evidence.map((ev) => `<li><code>${esc(ev.source)}</code> ${esc(ev.id)}: ${Object.entries(ev.fields).map(([k, v]) => `${esc(k)} = ${esc(typeof v === 'number' && /koopsom|bedrag|waarde/.test(k) ? euroText(v) : v ?? '–')}`).join(', ')}</li>`).join('')}</ul>
<p class="muted">Parameters: ${esc(JSON.stringify(h.parameters))}</p></div>`).join('') : '<p>Deze eenheid heeft in de laatste run geen treffers meer.</p>';
  const holders = e?.holders.length ? `<ul>${e.holders.map((h) => `<li>${esc(h.naam ?? `natuurlijk persoon (${h.persoon_id})`)} – ${esc(h.soort_recht)} ${esc(h.aandeel)}${h.kvk_nummer ? ` – KvK ${esc(h.kvk_nummer)}` : ''}</li>`).join('')}</ul>` : '<p class="muted">Geen actuele rechthebbenden bekend.</p>';
  const history = `<table><thead><tr><th>Run</th><th>Peildatum</th><th>Band</th><th>Score</th></tr></thead><tbody>${d.history.map((h) => `<tr><td><code>${esc(h.run_id)}</code></td><td>${esc(h.peildatum)}</td><td>${h.band ? band(h.band) : '–'}</td><td>${h.score ?? 'niet in register'}</td></tr>`).join('')}</tbody></table>`;
  const audit = `<table id="audit"><thead><tr><th>Wanneer</th><th>Wie</th><th>Wat</th><th>Status</th><th>Notitie</th></tr></thead><tbody>${d.audit.map((a) => `<tr><td>${esc(a.at.replace('T', ' ').slice(0, 19))}</td><td>${esc(a.who)}</td><td>${esc(a.kind)}</td><td>${esc(a.old_status ?? '–')} → ${esc(a.new_status ?? '–')}</td><td>${esc(a.note ?? '')}</td></tr>`).join('')}</tbody></table>`;
  const readOnly = user.role === 'auditor';
  const form = readOnly ? '<p class="muted">U bent auditor: u kunt lezen, niet beslissen.</p>' : `<form method="post" action="/entry/${esc(s.vbo_id)}?pipeline=${encodeURIComponent(d.pipeline)}" class="decision">
<input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="version" value="${s.version}">
<label>Besluit <select name="status" id="d-status">${DECISIONS.map((x) => `<option value="${x}">${esc(STATUS_LABEL[x])}</option>`).join('')}</select></label>
<label>Toegewezen aan <input name="assignee" id="d-assignee" value="${esc(s.assignee ?? '')}"></label>
<label class="wide">Notitie (verplicht; bij doorverwijzing: aan wie) <textarea name="note" id="d-note" required rows="3"></textarea></label>
<button type="submit" id="d-submit">Vastleggen</button>
${s.band === 'hoog' ? '<p class="muted">Afsluiten van een hoog-registratie als afgedaan of vals positief vraagt bevestiging door een tweede beoordelaar.</p>' : ''}</form>`;
  const msg = message ? `<p class="${message.kind === 'ok' ? 'ok' : 'error'}" id="message">${esc(message.text)}</p>` : '';
  return layout(e?.adres ?? s.vbo_id, user, `${msg}<p><code>${esc(s.vbo_id)}</code> · ${e ? `${band(e.band)} score ${e.score} · ` : ''}status <strong id="status">${statusLabel(s)}</strong>${s.pending_by ? ` (gevraagd door ${esc(s.pending_by)})` : ''} · toegewezen: ${esc(s.assignee ?? '–')}</p>
<p>Gebruiksdoel: ${esc(e?.gebruiksdoelen.join(', ') || '–')}${e?.notes.length ? ` · <span class="note">${e.notes.map(esc).join('; ')}</span>` : ''}</p>
<div class="cols"><section><h2>Treffers</h2>${hits}</section><section><h2>Rechthebbenden</h2>${holders}<h2>Besluit</h2>${form}<h2>Historie</h2>${history}</section></div>
<h2>Auditlog</h2>${audit}`, csrf);
}

export function diffPage(user: PageUser, csrf: string, runId: string | null, d: RunDiff): string {
  const rows = (label: string, ls: RunDiff['new']) => ls.map((l) => `<tr><td>${esc(label)}</td><td><a href="/entry/${esc(l.vbo_id)}">${esc(l.vbo_id)}</a></td><td>${l.before ?? '–'} → ${l.after ?? '–'}</td><td>${l.rules_added.map((r) => `+${esc(r)}`).join(' ')} ${l.rules_removed.map((r) => `−${esc(r)}`).join(' ')}</td></tr>`).join('');
  return layout('Verschil met de vorige run', user, `<p>${esc(d.previous_run ?? 'geen vorige run')} → ${esc(runId ?? '–')}: ${d.counts.new} nieuw, ${d.counts.higher} hoger, ${d.counts.lower} lager, ${d.counts.gone} vervallen, ${d.counts.same} gelijk.</p>
<table><thead><tr><th>Wat</th><th>Eenheid</th><th>Score</th><th>Regels</th></tr></thead><tbody>${rows('nieuw', d.new)}${rows('hoger', d.higher)}${rows('lager', d.lower)}${rows('vervallen', d.gone)}</tbody></table>`, csrf);
}

export function checkPage(user: PageUser, csrf: string, q: Record<string, string>, report: CheckReport | null, error?: string): string {
  const form = `<form method="get" action="/check" class="filters"><label>Naam <input name="naam" value="${esc(q.naam ?? '')}"></label><label>Geboortedatum <input name="geboortedatum" value="${esc(q.geboortedatum ?? '')}" placeholder="JJJJ-MM-DD"></label>
<label>KvK-nummer <input name="kvk" value="${esc(q.kvk ?? '')}"></label><label>Reden (verplicht bij personen) <input name="reden" value="${esc(q.reden ?? '')}"></label><button type="submit">Toets</button></form>`;
  let out = error ? `<p class="error">${esc(error)}</p>` : '';
  if (report) {
    out += report.matches.length ? report.matches.map((m) => `<section class="hit"><h2>${esc(m.party.naam)} <span class="muted">score ${m.score.toFixed(2)}</span></h2><p>${esc(m.reasons.join(', '))}</p>
${m.signals.length ? `<p class="error">Signalen: ${m.signals.map((s) => `${esc(s.signaal_id)} ${esc(s.bron)} ${esc(s.datum)}`).join('; ')}</p>` : ''}
<p>Eenheden nu: ${m.units.filter((u) => u.current).map((u) => esc(u.adres ?? u.vbo_id)).join('; ') || 'geen'} · overdrachten: ${m.transfers.length} · hypotheken: ${m.mortgages.length} · aanvragen: ${m.applications.length}</p>
<p>In het register: ${m.register.map((r) => `<a href="/entry/${esc(r.vbo_id)}">${esc(r.adres ?? r.vbo_id)}</a> ${band(r.band)} ${r.score}`).join('; ') || 'niets'}</p>
<p>Verbonden: ${m.related.map((r) => `${esc(r.party.naam)} (${esc(r.relation.join(', '))})`).join('; ') || 'geen'}</p></section>`).join('') : '<p>Geen partij gevonden die voldoende overeenkomt.</p>';
    if (report.rejected.length) out += `<h2>Overwogen en afgewezen</h2><ul>${report.rejected.slice(0, 10).map((x) => `<li>${esc(x.party.naam)}${x.party.geboortedatum ? ` (${esc(x.party.geboortedatum)})` : ''}: ${esc(x.why)}</li>`).join('')}</ul>`;
  }
  return layout('Aanvragerstoets', user, `${form}${out}`, csrf);
}

export const APP_CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222}
header{background:#1f3a5f;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center}header a{color:#fff;margin-right:1rem}
nav{display:flex;gap:.6rem;align-items:center;flex:1}.who{margin-left:auto}.inline{display:inline}main{padding:1rem 1.5rem;max-width:1400px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
.num{text-align:right}.band{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;font-weight:600;font-size:.85rem}
.b-hoog{background:#c0392b;color:#fff}.b-midden{background:#e67e22;color:#fff}.b-laag{background:#f1c40f}
.filters,.decision,.login{display:flex;flex-wrap:wrap;gap:.8rem;align-items:flex-end;margin:.8rem 0}.filters label,.decision label,.login label{display:flex;flex-direction:column;font-size:.85rem}
.decision .wide{flex-basis:100%}textarea{width:100%}.counts{display:flex;flex-direction:column;gap:.3rem}.st{margin-right:.8rem;font-size:.9rem}
.muted{color:#666}.error{color:#a00;font-weight:600}.ok{color:#070;font-weight:600}.pending{color:#8e44ad;font-size:.85rem}.note{color:#8e44ad}
.cols{display:grid;grid-template-columns:3fr 2fr;gap:1.5rem}.hit h3{font-size:1rem;margin:.6rem 0 .2rem}.pts{color:#c0392b}.ev{font-size:.85rem}code{font-size:.8rem;color:#555}`;
