/**
 * The keys under which the applicant check finds a party by name (`party_token`): built when a run
 * links its parties and when a check reads a query, from the same normalised name.
 */
import type { NormalisedName } from './normalise-name.ts';

/**
 * The index keys of a name for candidate retrieval: its tokens (initials excluded), its compact form,
 * and the first four letters of each longer word (so spelling variants meet; numbers have none).
 */
export function nameTokens(n: NormalisedName): string[] {
  const out = new Set<string>();
  if (n.compact) out.add(`c:${n.compact}`);
  for (const t of n.core) {
    if (t.length < 2) continue;
    out.add(`t:${t}`);
    if (t.length >= 5 && !/^\d+$/.test(t)) out.add(`p:${t.slice(0, 4)}`);
  }
  return [...out];
}
