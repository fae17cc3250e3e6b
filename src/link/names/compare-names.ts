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

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - distance(a, b) / max;
}

/** Given names fit when each pair is equal or one is the initial of the other; extra names are allowed. */
function givenFit(a: string[], b: string[]): { fit: boolean; viaInitial: boolean; equal: boolean } {
  if (a.length === 0 || b.length === 0) return { fit: true, viaInitial: false, equal: a.length === b.length };
  const n = Math.min(a.length, b.length);
  let viaInitial = false;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if ((x.length === 1 && y.startsWith(x)) || (y.length === 1 && x.startsWith(y))) { viaInitial = true; continue; }
    return { fit: false, viaInitial, equal: false };
  }
  return { fit: true, viaInitial, equal: !viaInitial && a.length === b.length };
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

  if (a.compact === b.compact) {
    if (a.core.join(' ') !== b.core.join(' ')) reasons.push('spatiering genegeerd');
    reasons.unshift('naam gelijk');
    return { score: 1, exact: true, compatible: true, reasons };
  }
  // Same tokens in another order (not reordered by a comma): a strong but not exact match.
  const sortedA = [...a.core].sort().join(' ');
  const sortedB = [...b.core].sort().join(' ');
  if (sortedA === sortedB) {
    reasons.unshift('zelfde naamdelen in andere volgorde');
    return { score: 0.93, exact: false, compatible: kind !== 'organisation', reasons };
  }

  if (kind !== 'organisation') {
    const surA = a.surname.join('');
    const surB = b.surname.join('');
    const tvA = a.tussenvoegsels.join(' ');
    const tvB = b.tussenvoegsels.join(' ');
    const surnameSim = similarity(surA, surB);
    if (surA === surB || `${a.tussenvoegsels.join('')}${surA}` === `${b.tussenvoegsels.join('')}${surB}`) {
      reasons.unshift('achternaam gelijk');
      if (tvA !== tvB) reasons.push('tussenvoegsel verschilt of ontbreekt');
      const fit = givenFit(a.given, b.given);
      if (fit.fit) {
        if (a.given.length === 0 || b.given.length === 0) {
          reasons.push('voornaam ontbreekt aan één kant');
          return { score: 0.72, exact: false, compatible: true, reasons };
        }
        if (fit.viaInitial) reasons.push('voorletter past bij voornaam');
        else reasons.push('voornaam gelijk');
        const extra = a.given.length !== b.given.length;
        if (extra) reasons.push('extra voornaam aan één kant');
        const score = fit.viaInitial ? 0.85 : extra ? 0.9 : 0.95;
        return { score: tvA === tvB ? score : score - 0.03, exact: false, compatible: true, reasons };
      }
      // Same surname, other given names: a namesake unless the given names are near-identical.
      const gSim = similarity(a.given.join(' '), b.given.join(' '));
      if (gSim >= 0.8) {
        reasons.push('voornaam lijkt sterk (spelling)');
        return { score: 0.75 + 0.1 * gSim, exact: false, compatible: false, reasons };
      }
      reasons.push('voornaam verschilt');
      return { score: 0.35 + 0.2 * gSim, exact: false, compatible: false, reasons };
    }
    if (surnameSim >= 0.8 && givenFit(a.given, b.given).fit && a.given.length && b.given.length) {
      reasons.unshift('achternaam lijkt sterk (spelling)');
      const g = givenFit(a.given, b.given);
      reasons.push(g.viaInitial ? 'voorletter past bij voornaam' : 'voornaam gelijk');
      return { score: 0.7 + 0.2 * surnameSim - (g.viaInitial ? 0.05 : 0), exact: false, compatible: false, reasons };
    }
  }
  const sim = similarity(a.compact, b.compact);
  const tokenOverlap = a.core.filter((t) => b.core.includes(t)).length / Math.max(a.core.length, b.core.length);
  const score = Math.max(sim * 0.9, tokenOverlap * 0.8);
  reasons.unshift(sim >= 0.85 ? 'naam lijkt sterk (spelling)' : tokenOverlap > 0 ? 'naamdelen deels gelijk' : 'naam verschilt');
  return { score: Math.round(score * 1000) / 1000, exact: false, compatible: false, reasons };
}
