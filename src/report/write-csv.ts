/**
 * CSV output for people with Dutch Excel: `;` separator, UTF-8 with BOM (so Excel reads accents),
 * CRLF line ends, every text cell neutralised against formula injection.
 */
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from './csv-safe.ts';

type Row = readonly (string | number | null)[];

/** Rows a piece of {@link csvPieces}: small enough to stay in V8's young generation. */
const ROWS_PER_PIECE = 2000;

/**
 * The text of {@link toCsv}, in pieces of a few thousand rows (the header and BOM in the first), so a
 * large file is written as it is made: a national register's CSV as one string, beside its rows and
 * their neutralised copies, held some 100 MB at once at the end of a 10M screen, where its peak RSS is.
 * Every record ends with CRLF, so the pieces joined are the whole.
 */
export function* csvPieces(columns: readonly string[], rows: Iterable<Row>): Generator<string> {
  let batch: Row[] = [];
  let first = true;
  const piece = () => {
    const text = stringify(batch.map((r) => r.map(neutraliseFormula)), {
      header: first, columns: [...columns], delimiter: ';', bom: first, record_delimiter: 'windows',
      cast: { number: (n) => String(n) },
    });
    batch = [];
    first = false;
    return text;
  };
  for (const r of rows) {
    batch.push(r);
    if (batch.length === ROWS_PER_PIECE) yield piece();
  }
  if (batch.length || first) yield piece();
}

export function toCsv(columns: readonly string[], rows: Iterable<Row>): string {
  return [...csvPieces(columns, rows)].join('');
}
