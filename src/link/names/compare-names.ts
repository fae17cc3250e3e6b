/**
 * Compares two names and says why, in the words a screening officer uses (`achternaam gelijk`,
 * `voorletter past bij voornaam` …). Returns a score in [0, 1] and two verdicts that party linking
 * relies on: `exact` (equal after normalisation) and `compatible` (same surname, given names or
 * initials that fit each other).
 */
import { distance } from 'fastest-levenshtein';
import { normaliseName, type NormalisedName } from './normalise-name.ts';

export type NameKind = 'person' | 'organisation' | 'unknown';

export interface NameComparison {
  score: number;
  exact: boolean;
  compatible: boolean;
  reasons: string[];
}

/** Legal forms that differ in substance (an AG is not a GmbH); Dutch holding words do not count. */
const SOFT_FORMS = new Set(['holding', 'holdings', 'beheer', 'stichting', 'co', 'company', 'corporation', 'corp', 'inc', 'incorporated', 'limited', 'ltd']);

/** Legal forms that are the same thing under another name (OAO is an open joint-stock company). */
const FORM_FAMILY: Record<string, string> = { ojsc: 'jsc', pjsc: 'jsc', cjsc: 'jsc', oao: 'jsc', zao: 'jsc', pao: 'jsc', ooo: 'llc', sarl: 'llc', srl: 'llc' };
function formFamily(f: string): string {
  return FORM_FAMILY[f] ?? f;
}

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  if (max === 0) return 1;
  const sim = 1 - distance(a, b) / max;
  // Swapped letters (Donlad / Donald) cost Levenshtein two edits; count them as one.
  if (a.length === b.length && a.length >= 4 && [...a].sort().join('') === [...b].sort().join('')) return Math.max(sim, 1 - 1 / max);
  return sim;
}

function round(n: number): number {
  return Math.round(Math.max(0, Math.min(1, n)) * 1000) / 1000;
}

/** Given names fit when each pair is equal or one is the initial of the other; extra names are allowed. */
function givenFit(a: string[], b: string[]): { fit: boolean; viaInitial: boolean } {
  const n = Math.min(a.length, b.length);
  let viaInitial = false;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (sameGivenName(x, y)) { viaInitial = true; continue; }
    return { fit: false, viaInitial };
  }
  return { fit: true, viaInitial };
}

/**
 * Every given name (or initial) of the shorter list is found in the other, in any position, or is a
 * spelling variant of one (similarity ≥ 0.8): "Boris Johnson" and "Alexandre Boris de Pfeffel Johnson".
 */
function givenNamesFound(a: string[], b: string[], allA: string[], allB: string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  const [short, long] = a.length <= b.length ? [a, allB] : [b, allA];
  return short.every((t) => long.some((u) => sameGivenName(t, u) || similarity(t, u) >= 0.7));
}

/** Equal, an initial, or a short form that starts the other (Ben / Benjamin, Rob / Robert). */
function sameGivenName(x: string, y: string): boolean {
  if (x === y) return true;
  const [s, l] = x.length <= y.length ? [x, y] : [y, x];
  return s.length === 1 ? l.startsWith(s) : s.length >= 3 && l.startsWith(s);
}

/**
 * Aligns the tokens of two names (each token of the shorter name to its most similar unused token of
 * the other, an initial counting as 0.9 for a name it starts): the share of the shorter name that is
 * found in the longer, weighted by length, and how many tokens of the longer name are left over.
 */
function align(a: string[], b: string[], strict: boolean): { cover: number; leftover: number; lastSim: number } {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const used = new Set<number>();
  let weighted = 0;
  let weight = 0;
  for (const t of short) {
    let best = 0;
    let bestJ = -1;
    long.forEach((u, j) => {
      if (used.has(j)) return;
      const s = t === u ? 1 : (t.length === 1 && u.startsWith(t)) || (u.length === 1 && t.startsWith(u)) ? 0.9 : similarity(t, u);
      if (s > best) { best = s; bestJ = j; }
    });
    if (bestJ >= 0 && best >= 0.6) used.add(bestJ);
    else best = 0;
    // Organisation names differ by one word on purpose (Railway / Railroad): a near-miss counts less.
    if (strict && best < 1) best = Math.max(0, (best - 0.5) * 2);
    weighted += best * Math.max(t.length, 2);
    weight += Math.max(t.length, 2);
  }
  const lastA = a.at(-1) ?? '';
  const lastB = b.at(-1) ?? '';
  const lastSim = Math.max(similarity(lastA, lastB), ...b.map((u) => similarity(lastA, u)), ...a.map((u) => similarity(u, lastB)));
  return { cover: weight ? weighted / weight : 0, leftover: long.length - used.size, lastSim };
}

/**
 * Compares two names. `kind` is what the caller knows of the parties (a KvK number or legal form
 * makes an organisation, a birth date a person).
 */
export function compareNames(aRaw: string | NormalisedName, bRaw: string | NormalisedName, kind: NameKind = 'unknown'): NameComparison {
  const a = typeof aRaw === 'string' ? normaliseName(aRaw) : aRaw;
  const b = typeof bRaw === 'string' ? normaliseName(bRaw) : bRaw;
  const reasons: string[] = [];
  if (a.legalForms.length || b.legalForms.length) reasons.push('rechtsvorm genegeerd');
  if (a.reordered || b.reordered) reasons.push('achternaam-eerst volgorde omgezet');
  if (a.compact === '' || b.compact === '') return { score: 0, exact: false, compatible: false, reasons: ['naam leeg'] };
  const hardA = a.legalForms.filter((f) => !SOFT_FORMS.has(f)).map(formFamily);
  const hardB = b.legalForms.filter((f) => !SOFT_FORMS.has(f)).map(formFamily);
  const formsConflict = kind !== 'person' && hardA.length > 0 && hardB.length > 0 && !hardA.some((f) => hardB.includes(f));

  if (a.compact === b.compact) {
    if (a.core.join(' ') !== b.core.join(' ')) reasons.push('spatiering genegeerd');
    reasons.unshift('naam gelijk');
    if (formsConflict) {
      reasons.push('rechtsvorm verschilt');
      return { score: 0.6, exact: true, compatible: false, reasons };
    }
    return { score: 1, exact: true, compatible: true, reasons };
  }

  if (kind !== 'organisation') {
    const surA = a.surname.join('');
    const surB = b.surname.join('');
    const tvA = a.tussenvoegsels.join(' ');
    const tvB = b.tussenvoegsels.join(' ');
    if (surA === surB || `${a.tussenvoegsels.join('')}${surA}` === `${b.tussenvoegsels.join('')}${surB}`) {
      const fit = givenFit(a.given, b.given);
      if (fit.fit) {
        reasons.unshift('achternaam gelijk');
        if (tvA !== tvB) reasons.push('tussenvoegsel verschilt of ontbreekt');
        if (a.given.length === 0 || b.given.length === 0) {
          reasons.push('voornaam ontbreekt aan één kant');
          return { score: 0.72, exact: false, compatible: true, reasons };
        }
        reasons.push(fit.viaInitial ? 'voorletter past bij voornaam' : 'voornaam gelijk');
        const extra = a.given.length !== b.given.length;
        if (extra) reasons.push('extra voornaam aan één kant');
        const score = fit.viaInitial ? 0.85 : extra ? 0.9 : 0.95;
        return { score: tvA === tvB ? score : score - 0.03, exact: false, compatible: true, reasons };
      }
    }
  }

  const org = kind === 'organisation';
  const al = align(a.core, b.core, org);
  // A word more on one side: for a company it usually names another entity (Banco Santander Chile).
  let score = al.cover - (org ? Math.min(0.45, 0.3 * al.leftover) : Math.min(0.2, 0.1 * al.leftover));
  const sameTokens = [...new Set(a.core)].sort().join(' ') === [...new Set(b.core)].sort().join(' ');
  if (sameTokens) {
    reasons.unshift('zelfde naamdelen in andere volgorde');
    score = kind === 'organisation' ? 0.9 : 0.75;
  } else if (al.cover >= 0.999) {
    reasons.unshift(al.leftover ? 'naamdelen komen voor in de andere naam' : 'naam gelijk');
  } else if (al.cover >= 0.8) {
    reasons.unshift('naam lijkt sterk (spelling)');
  } else if (al.cover > 0) {
    reasons.unshift('naamdelen deels gelijk');
  } else {
    reasons.unshift('naam verschilt');
  }
  // A person's surname must be (nearly) the same: long shared given names do not make a match.
  if (kind === 'person' && !sameTokens && al.lastSim < 0.65) {
    score = Math.min(score, 0.6);
    reasons.push('achternaam verschilt');
  } else if (kind === 'person' && !sameTokens && !givenNamesFound(a.given, b.given, a.core, b.core)) {
    score = Math.min(score, 0.6);
    reasons.push('voornaam verschilt');
  }
  if (formsConflict) {
    score -= 0.3;
    reasons.push('rechtsvorm verschilt');
  }
  // Whole-string similarity catches what tokens miss (spacing inside a word, a transposed letter).
  const whole = similarity(a.compact, b.compact);
  if (kind !== 'person' && whole >= 0.95 && whole * 0.9 > score) score = whole * 0.9;
  return { score: round(score), exact: false, compatible: false, reasons };
}
