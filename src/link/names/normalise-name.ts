/**
 * Name normalisation shared by party linking, the applicant check and `vib match-names`: one
 * implementation, so a link made during screening and a match shown to a permit officer agree.
 *
 * Folds case, diacritics and punctuation; sets legal-form words aside (`B.V.`, `Holding` …);
 * reorders `Surname, Given`; splits initials (`R.J.` → `r j`); recognises tussenvoegsels (`van der`).
 */

/** Words that name a legal form: set aside when names are compared, but remembered. */
export const LEGAL_FORM_WORDS = new Set([
  'bv', 'nv', 'vof', 'cv', 'holding', 'holdings', 'beheer', 'stichting', 'eenmanszaak', 'cooperatie', 'ua', 'ba',
  'bvba', 'gmbh', 'ltd', 'limited', 'llc', 'inc', 'incorporated', 'plc', 'sa', 'sarl', 'srl', 'ag', 'kg', 'corp',
  'corporation', 'co', 'company', 'na', 'jsc', 'ojsc', 'pjsc', 'cjsc', 'ooo', 'oao', 'zao', 'pao', 'spa', 'sro', 'ab', 'oy', 'pte', 'pty', 'lp', 'llp',
  'spzoo',
]);

/** Legal forms that say the same in other words: mapped before comparison. */
const LEGAL_FORM_PHRASES: [RegExp, string][] = [
  [/\baktiengesellschaft\b/g, 'ag'],
  [/\bgesellschaft mit beschrankter haftung\b/g, 'gmbh'],
  [/\bbesloten vennootschap( met beperkte aansprakelijkheid)?\b/g, 'bv'],
  [/\bnaamloze vennootschap\b/g, 'nv'],
  [/\bvennootschap onder firma\b/g, 'vof'],
  [/\bopen joint stock company\b/g, 'ojsc'],
  [/\bpublic joint stock company\b/g, 'pjsc'],
  [/\bclosed joint stock company\b/g, 'cjsc'],
  [/\bjoint stock company\b/g, 'jsc'],
  [/\blimited liability company\b/g, 'llc'],
  [/\bpublic limited company\b/g, 'plc'],
  [/\bsp z o o\b/g, 'spzoo'],
  [/\bo o o\b/g, 'ooo'],
];
/** Every phrase above contains one of these: a name without any needs none of the thirteen replacements. */
const PHRASE_WORDS = /gesellschaft|vennootschap|company|sp z o o|o o o/;

/** "and" in the languages names come in: `Procter & Gamble` is `Procter and Gamble`. */
const CONJUNCTIONS = new Set(['and', 'und', 'et', 'y', 'e']);

/** Spelled-out legal forms (`l l c` from "L.L.C.", `g m b h`): merged back into one word. */
function mergeSpelledForms(tokens: string[]): string[] {
  // Only runs of two or more one-letter tokens can merge: most names have none.
  if (!tokens.some((t, i) => t.length === 1 && tokens[i + 1]?.length === 1)) return tokens;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let merged = false;
    for (let j = Math.min(tokens.length, i + 6); j > i + 1; j--) {
      const run = tokens.slice(i, j);
      if (run.every((t) => t.length === 1) && (LEGAL_FORM_WORDS.has(run.join('')) || run.join('') === 'na' || run.join('') === 'spzoo')) {
        out.push(run.join('') === 'na' ? 'na' : run.join(''));
        i = j - 1;
        merged = true;
        break;
      }
    }
    if (!merged) out.push(tokens[i]!);
  }
  return out;
}

/** Honorifics and titles: not part of who someone is. */
export const TITLES = new Set(['dr', 'drs', 'mr', 'mrs', 'ms', 'mevr', 'mevrouw', 'dhr', 'heer', 'de heer', 'ir', 'ing', 'prof', 'president', 'prasident', 'shaikh', 'sheikh', 'sir', 'lord', 'dame']);

/** Dutch (and a few neighbouring) surname prefixes. */
export const TUSSENVOEGSELS = new Set(['van', 'de', 'der', 'den', 'het', 't', 'ter', 'ten', 'te', 'in', 'op', 'aan', 'la', 'le', 'du', 'da', 'di', 'del', 'vd', 'v']);

export interface NormalisedName {
  /** The input, trimmed. */
  raw: string;
  /** All tokens, in reading order (given names first). */
  tokens: string[];
  /** Tokens without legal-form words. */
  core: string[];
  /** Legal-form words found. */
  legalForms: string[];
  /** `core` joined without spaces: equal for `Maas Vastgoed` and `Maasvastgoed`. */
  compact: string;
  /** Given names (or initials) of a person-like name. */
  given: string[];
  /** Surname tokens without tussenvoegsels. */
  surname: string[];
  /** Tussenvoegsels found. */
  tussenvoegsels: string[];
  /** True when the input was `Surname, Given`. */
  reordered: boolean;
}

const DOTTED_FORMS = /\b(b\s*\.\s*v|n\s*\.\s*v|v\s*\.\s*o\s*\.\s*f|c\s*\.\s*v|u\s*\.\s*a|b\s*\.\s*a)\s*\.?(?![a-z])/g;

function fold(s: string): string {
  // Plain ASCII has nothing to decompose or strip (most names): only the case folds.
  if (!/[^\x00-\x7f]/.test(s)) return s.toLowerCase();
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[ø]/g, 'o')
    .replace(/[æ]/g, 'ae')
    .replace(/ĳ/g, 'ij');
}

/** Only what tokenise leaves as it is: lower-case ASCII letters, digits and spaces. */
const PLAIN = /^[a-z0-9 ]*$/;

function tokenise(s: string): string[] {
  // Most folded names are plain words: none of the replacements below can change them, and only the
  // spaces split them (five regular-expression passes saved on each of millions of names).
  if (PLAIN.test(s)) return s.split(' ').filter(Boolean);
  return s
    .replace(DOTTED_FORMS, (m) => ` ${m.replace(/[\s.]/g, '')} `)
    .replace(/\b([a-z])\./g, '$1 ')
    .replace(/['’`´]/g, '')
    .replace(/&/g, ' en ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/**
 * Normalises a name for comparison.
 * @example normaliseName('Claessens, R.J.').given // ['r', 'j']
 * @example normaliseName('Maas Vastgoed B.V.').compact // 'maasvastgoed'
 */
export function normaliseName(raw: string): NormalisedName {
  const trimmed = raw.trim();
  let text = fold(trimmed);
  let reordered = false;
  const parts = text.split(',');
  if (parts.length === 2) {
    const after = tokenise(parts[1]!);
    // "Claessens, Roger" and "Berg, Jan van den" are surname-first; "Foo, B.V." is not.
    if (after.length > 0 && !after.every((t) => LEGAL_FORM_WORDS.has(t))) {
      text = `${parts[1]} ${parts[0]}`;
      reordered = true;
    }
  }
  let words = tokenise(text);
  const joined = words.join(' ');
  if (PHRASE_WORDS.test(joined)) {
    let phrased = ` ${joined} `;
    for (const [re, short] of LEGAL_FORM_PHRASES) phrased = phrased.replace(re, short);
    words = phrased.trim().split(' ').filter(Boolean);
  }
  const all = mergeSpelledForms(words);
  for (let i = 0; i < all.length; i++) if (CONJUNCTIONS.has(all[i]!)) all[i] = 'en';
  // Titles go only where they precede the name ("Dr. Rami Makhlouf"), never from inside it.
  let firstName = 0;
  while (firstName < all.length - 1 && TITLES.has(all[firstName]!)) firstName++;
  const tokens = firstName === 0 ? all : all.slice(firstName);
  const legalForms: string[] = [];
  let core: string[] = [];
  for (const t of tokens) (LEGAL_FORM_WORDS.has(t) ? legalForms : core).push(t);
  if (core.length === 0) core = tokens; // a name that is only legal-form words ("Holding BV") keeps them
  // Given names run up to the first tussenvoegsel, or up to the last token.
  let firstPrefix = -1;
  for (let i = 1; i < core.length; i++) if (TUSSENVOEGSELS.has(core[i]!)) { firstPrefix = i; break; }
  if (firstPrefix === -1 || firstPrefix === core.length - 1) firstPrefix = core.length - 1;
  const given = core.slice(0, Math.max(0, firstPrefix));
  const tussenvoegsels: string[] = [];
  const surname: string[] = [];
  // Every word of the rest but its last is a tussenvoegsel or part of the surname; the last is surname.
  for (let i = Math.max(0, firstPrefix); i < core.length; i++) {
    (i < core.length - 1 && TUSSENVOEGSELS.has(core[i]!) ? tussenvoegsels : surname).push(core[i]!);
  }
  return { raw: trimmed, tokens, core, legalForms, compact: core.join(''), given, surname, tussenvoegsels, reordered };
}

/** True when a name carries a legal-form word: it names an organisation, not a person. */
export function looksLikeOrganisation(n: NormalisedName): boolean {
  return n.legalForms.length > 0;
}
