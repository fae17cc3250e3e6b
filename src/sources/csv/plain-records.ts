/**
 * The records of CSV text that holds no quote character, split as csv-parse splits them with
 * read-csv's options (a one-character delimiter, every column count accepted, empty lines kept as
 * records of one empty field, "\n" alone or all three line ends). Without quotes a record is a line
 * and a field whatever lies between two delimiters, so the split is the string's own: csv-parse reads
 * every byte through its state machine, and on the 1M bench's personen.csv took 2.0-2.6 µs a record
 * where decoding a piece and splitting it took 0.35-0.41. read-csv splits the lines without a quote
 * so, and has csv-parse parse the stretches with one (see `readCsvChunks`); the tests hold the two to
 * the same records on generated text.
 */
import { fieldBytes } from './csv-pieces.ts';
import type { CsvEvent } from './read-csv.ts';

/** Both line ends csv-parse knows besides "\n" when the file holds a carriage return. */
const ANY_LINE_END = /\r\n|\r|\n/g;

interface PlainSplit {
  /** Lines read (a line end each, and the last record's line at the end of the file). */
  lines: number;
  /** Set when a record was longer than `maxRecordBytes`: its event is the last in `out`. */
  tooLong: boolean;
}

/**
 * Appends to `out` a row event for every line of `text` (quote-free; whole lines, unless `final`,
 * when text after the last line end is the file's last record), numbered from `firstLine`; the first
 * is reported at `firstReported` (see `LineNumberedParser`: after a record csv-parse refused, the next
 * is numbered from the line of the refusal). A record longer than `maxRecordBytes` ends the split
 * with `tooLong(line)`'s event, as csv-parse's `max_record_size` ends read-csv's reading.
 */
export function splitPlainRecords(
  text: string, delimiter: string, carriageReturns: boolean, firstLine: number, final: boolean,
  maxRecordBytes: number, tooLong: (line: number) => CsvEvent, out: CsvEvent[], firstReported = firstLine,
): PlainSplit {
  let line = firstLine;
  let at = 0;
  const n = text.length;
  // A UTF-16 code unit is at most three bytes of UTF-8: below this no record can be too long.
  const longChars = Math.floor(maxRecordBytes / 3);
  const record = (s: string): boolean => {
    const reported = line === firstLine ? firstReported : line;
    if (s.length > longChars && fieldBytes(s, delimiter) > maxRecordBytes) {
      out.push(tooLong(reported));
      return false;
    }
    out.push({ kind: 'row', line: reported, values: s.split(delimiter) });
    line++;
    return true;
  };
  if (!carriageReturns) {
    while (at < n) {
      let nl = text.indexOf('\n', at);
      if (nl === -1) {
        if (!final) break;
        nl = n;
      }
      if (!record(text.slice(at, nl))) return { lines: line - firstLine, tooLong: true };
      at = nl + 1;
    }
    return { lines: line - firstLine, tooLong: false };
  }
  ANY_LINE_END.lastIndex = 0;
  while (at < n) {
    const m = ANY_LINE_END.exec(text);
    if (m === null && !final) break;
    const end = m === null ? n : m.index;
    if (!record(text.slice(at, end))) return { lines: line - firstLine, tooLong: true };
    at = m === null ? n : end + m[0].length;
  }
  return { lines: line - firstLine, tooLong: false };
}
