/**
 * CSV output for people with Dutch Excel: `;` separator, UTF-8 with BOM (so Excel reads accents),
 * CRLF line ends, every text cell neutralised against formula injection.
 */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from './csv-safe.ts';

export function toCsv(columns: readonly string[], rows: readonly (string | number | null)[][]): string {
  return stringify(rows.map((r) => r.map(neutraliseFormula)), {
    header: true, columns: [...columns], delimiter: ';', bom: true, record_delimiter: 'windows',
    cast: { number: (n) => String(n) },
  });
}
