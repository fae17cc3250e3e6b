/**
 * What party linking's first pass needs of each name: its compact form (the block of equal names),
 * its surname (with a birth date, the block of persons whose names may only fit), whether it reads as
 * an organisation's, and its index tokens (as the JSON text the database unpacks). Columns of plain
 * values, so that a page of them crosses between threads cheaply.
 */
import { nameTokens } from './name-tokens.ts';
import { looksLikeOrganisation, normaliseName, type NormalisedName } from './normalise-name.ts';

export interface NameFacts {
  compact: string[];
  /** The surname's words run together ('' when the name has none). */
  surname: string[];
  /** 1 where the name carries a legal form. */
  organisation: Uint8Array;
  /** The name's tokens as a JSON array. */
  tokens: string[];
}

/** The surname key of a normalised name, as {@link NameFacts} has it. */
export const surnameKey = (n: NormalisedName): string => n.surname.join('');

export function nameFacts(names: readonly string[]): NameFacts {
  const facts: NameFacts = { compact: new Array(names.length), surname: new Array(names.length), organisation: new Uint8Array(names.length), tokens: new Array(names.length) };
  for (let k = 0; k < names.length; k++) {
    const norm = normaliseName(names[k]!);
    facts.compact[k] = norm.compact;
    facts.surname[k] = surnameKey(norm);
    facts.organisation[k] = looksLikeOrganisation(norm) ? 1 : 0;
    facts.tokens[k] = JSON.stringify(nameTokens(norm));
  }
  return facts;
}
