/**
 * Parses an amount in euros as the contract allows: whole euros or decimals with `.` or `,`, and a
 * thousands-grouped `1.250.000` only where that reading is the only one. Returns `null` when the text
 * is not an amount; it never guesses.
 * @example parseAmount('1.250.000') // 1250000
 * @example parseAmount('1250,50') // 1250.5
 */
export function parseAmount(text: string): number | null {
  let s = text.trim().replace(/^€\s*/, '');
  if (s === '') return null;
  let sign = 1;
  if (s.startsWith('-')) { sign = -1; s = s.slice(1); }
  if (/^\d+$/.test(s)) return sign * Number(s);
  // Grouped thousands with one kind of separator and 3-digit groups: 1.250.000 or 1,250,000.
  // A single group of three after one separator (1.250) is ambiguous (1.25 or 1250): refuse it.
  if (/^\d{1,3}([.,])\d{3}(\1\d{3})+$/.test(s)) return sign * Number(s.replace(/[.,]/g, ''));
  // Grouped thousands followed by a decimal part with the other mark: 1.250.000,50 or 1,250,000.50.
  const grouped = /^(\d{1,3}([.,])\d{3}(?:\2\d{3})*)([.,])(\d{1,2})$/.exec(s);
  if (grouped && grouped[2] !== grouped[3]) {
    return sign * Number(`${grouped[1]!.replace(/[.,]/g, '')}.${grouped[4]}`);
  }
  // A plain decimal: 1250.50 or 1250,5 (but not 1.250, handled above as ambiguous).
  const dec = /^(\d+)[.,](\d{1,2})$/.exec(s);
  if (dec) return sign * Number(`${dec[1]}.${dec[2]}`);
  return null;
}
