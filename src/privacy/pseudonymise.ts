/**
 * Stable keyed pseudonyms: the same name or birth date under the same key always gives the same
 * token (so records can still be joined), and without the key the value cannot be recovered or
 * guessed by hashing candidate names.
 */
import { createHmac } from 'node:crypto';
import { normaliseName } from '../link/names/normalise-name.ts';
import { InputError } from '../util/input-error.ts';

export function pseudonymiser(key: string | undefined): (kind: 'naam' | 'geboortedatum', value: string | null) => string | null {
  if (!key || key.length < 16) throw new InputError('pseudonymising needs a key of at least 16 characters in VIB_PSEUDONYM_KEY (keep it with the data owner)');
  return (kind, value) => {
    if (value === null) return null;
    const basis = kind === 'naam' ? normaliseName(value).tokens.join(' ') : value;
    return `pseudo-${createHmac('sha256', key).update(`${kind}:${basis}`).digest('hex').slice(0, 20)}`;
  };
}
