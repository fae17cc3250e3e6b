/**
 * Streams the rows of one CSV file as the contract describes it: `,` or `;` separator detected from
 * the header line, UTF-8 (with or without BOM) or Windows-1252, quoted fields with embedded separators
 * and newlines. Yields the header once, then rows with the line they start on, or problems that make
 * lines unreadable. Parsing is csv-parse; this module only decides how to feed it.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { detectEncoding, type TextEncoding } from './detect-encoding.ts';
import { InputError } from '../../util/input-error.ts';

/** A record larger than this is refused (bounded memory); the rest of the file cannot be read. */
export const MAX_RECORD_CHARS = 32 * 1024 * 1024;

export type CsvEvent =
  | { kind: 'header'; names: string[]; encoding: TextEncoding; delimiter: ',' | ';' }
  | { kind: 'row'; line: number; values: string[] }
  | { kind: 'broken'; line: number; message: string };

/** Picks the separator that occurs most often, outside quotes, in the header line. */
export function detectDelimiter(headerLine: string): ',' | ';' {
  let inQuotes = false;
  let commas = 0;
  let semicolons = 0;
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === ',') commas++;
    else if (!inQuotes && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

function openText(path: string, encoding: TextEncoding): NodeJS.ReadableStream {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (encoding === 'utf8') return raw.setEncoding('utf8');
  return raw.pipe(iconv.decodeStream('win1252'));
}

async function firstLine(path: string, encoding: TextEncoding): Promise<string> {
  let acc = '';
  const stream = openText(path, encoding);
  for await (const chunk of stream) {
    acc += chunk as string;
    const nl = acc.search(/\r?\n/);
    if (nl !== -1 || acc.length > 1 << 20) {
      (stream as unknown as { destroy(): void }).destroy?.();
      return (nl === -1 ? acc : acc.slice(0, nl)).replace(/^\uFEFF/, '');
    }
  }
  return acc.replace(/^\uFEFF/, '');
}

/**
 * Reads a CSV file. Throws {@link InputError} for a file that cannot be a CSV at all (binary, empty);
 * everything else (ragged rows, an unterminated quote) comes out as events so nothing is lost silently.
 */
export async function* readCsv(path: string): AsyncGenerator<CsvEvent> {
  const name = basename(path);
  const verdict = await detectEncoding(path);
  if (verdict.binary) throw new InputError(`${name}: is a binary file, not a CSV text file`);
  if (verdict.bytes === 0) throw new InputError(`${name}: is empty (0 bytes); expected a header line`);
  const header = await firstLine(path, verdict.encoding);
  const delimiter = detectDelimiter(header);

  const problems: CsvEvent[] = [];
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    // Files glued together from several exports mix line ends: accept all three.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (err) => {
      const line = lastEnd + 1;
      if (err?.code === 'CSV_QUOTE_NOT_CLOSED') {
        problems.push({ kind: 'broken', line, message: `a quote opened at line ${line} is never closed; lines ${line} to ${err.lines ?? line} could not be read` });
      } else if (err?.code === 'CSV_MAX_RECORD_SIZE') {
        problems.push({ kind: 'broken', line, message: `the record at line ${line} is longer than ${MAX_RECORD_CHARS} characters; it and the rest of the file could not be read` });
        fatal = true;
      } else {
        problems.push({ kind: 'broken', line, message: `unreadable CSV: ${err?.message ?? 'unknown error'}` });
      }
      return undefined;
    },
  });
  let lastEnd = 0;
  let fatal = false;
  let headerSeen = false;
  const source = openText(path, verdict.encoding);
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);

  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (problems.length) yield problems.shift()!;
    const start = lastEnd + 1;
    lastEnd = item.info.lines;
    // A stray BOM inside the file (files glued together) is noise, not data.
    const values = item.record.map((v) => v.replace(/\uFEFF/g, ''));
    if (!headerSeen) {
      headerSeen = true;
      yield { kind: 'header', names: values, encoding: verdict.encoding, delimiter };
      continue;
    }
    if (values.length === 1 && values[0]!.trim() === '') continue; // blank line
    yield { kind: 'row', line: start, values };
    if (fatal) break;
  }
  while (problems.length) yield problems.shift()!;
  if (!headerSeen) throw new InputError(`${name}: has no header line`);
}
