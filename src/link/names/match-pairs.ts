/**
 * Scores labelled name pairs the way `vib match-names` does: the same comparison as party linking
 * and the applicant check, with the schema of the pair (Person, Company, Organization, LegalEntity)
 * telling which kind of name it is.
 */
import { compareNames, type NameKind } from './compare-names.ts';

/**
 * Scores at or above this are a match. A decisive difference (another surname, another given name,
 * another legal form) caps a score at 0.6, so the threshold sits just above that cap.
 */
export const MATCH_THRESHOLD = 0.62;

export function kindOfSchema(schema: string | undefined): NameKind {
  switch ((schema ?? '').toLowerCase()) {
    case 'person': return 'person';
    case 'company': case 'organization': case 'organisation': case 'legalentity': return 'organisation';
    default: return 'unknown';
  }
}

export interface PairScore { score: number; match: boolean; reasons: string[] }

export function scorePair(name1: string, name2: string, schema?: string): PairScore {
  const c = compareNames(name1, name2, kindOfSchema(schema));
  return { score: c.score, match: c.score >= MATCH_THRESHOLD, reasons: c.reasons };
}
