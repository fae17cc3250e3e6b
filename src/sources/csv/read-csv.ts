/**
 * Streams the rows of one CSV file as the contract describes it: `,` or `;` separator detected from
 * the header line, UTF-8 (with or without BOM) or Windows-1252, quoted fields with embedded separators
 * and newlines. Yields the header once, then rows with the line they start on, or problems that make
 * lines unreadable. Parsing is csv-parse from the first line that holds a quote on; the lines before
 * it are split as plain lines (`plain-records.ts`), to the same records at a fifth of the cost.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Parser, type Options } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { detectEncoding, type TextEncoding } from './detect-encoding.ts';
import { InputError } from '../../util/input-error.ts';
import { completeLinesEnd, lineStart, splitPlainRecords, type Piece } from './plain-records.ts';

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

function openText(path: string, encoding: TextEncoding, chunk = 1 << 20): NodeJS.ReadableStream {
  const raw = createReadStream(path, { highWaterMark: chunk });
  if (encoding === 'utf8') return raw.setEncoding('utf8');
  return raw.pipe(iconv.decodeStream('win1252'));
}

/**
 * What the parser reads: UTF-8 as bytes (csv-parse works on bytes and decodes only the fields: handing
 * it text would decode the file, re-encode it and decode it again), Windows-1252 decoded to text.
 *
 * In chunks of 64 KB: csv-parse turns a whole chunk into records at once, and they wait until read.
 * From 1 MB chunks that was some 13,000 records alive at a time, which outlived the young
 * generation's collections and were copied again and again: reading personen.csv and rechten.csv of
 * the 1M bench side by side took 18-30 s (varying run to run) with 1 MB chunks and 15-16 s with 64 KB.
 */
const PARSER_CHUNK = 64 * 1024;

function openForParser(path: string, encoding: TextEncoding): NodeJS.ReadableStream {
  return encoding === 'utf8' ? createReadStream(path, { highWaterMark: PARSER_CHUNK }) : openText(path, encoding, PARSER_CHUNK);
}

/**
 * csv-parse's parser, whose output is this module's events in file order: each record with the line
 * it starts on, and each unreadable stretch where it occurred. (csv-parse's own `info` option copies
 * its whole state into an object per record, 40 % of the parse time as measured; the running line
 * count, current whenever a record is pushed, is all that is needed.)
 *
 * The events of one input chunk leave as one array: a stream that hands out objects one at a time
 * costs a promise per record to whoever iterates it, and so does every generator after it. Reading,
 * validating and mapping the 1M bench's rechten.csv (1.1M rows) took 7.0-11.6 µs a row with a record
 * per step and 5.0-5.3 µs with a chunk per step; personen.csv 8.4-10.9 against 4.9-5.3 µs.
 */
class LineNumberedParser extends Parser {
  /** The last line of the last record read or skipped. */
  private lastEnd: number;

  /**
   * `before`: lines of the file before the first this parser reads (read without it, see
   * `readCsvChunks`). csv-parse counts lines on from there, in its messages too.
   */
  constructor(options: Options, before: number) {
    super(options);
    (this.info as { lines: number }).lines += before;
    this.lastEnd = before;
  }
  /** Events of the chunk being parsed. */
  private pending: CsvEvent[] = [];

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    super._transform(chunk, encoding, (err?: Error | null) => { this.hand(); callback(err); });
  }

  override _flush(callback: (err?: Error | null) => void): void {
    super._flush((err?: Error | null) => { this.hand(); callback(err); });
  }

  /** Passes the chunk's events on as one array. */
  private hand(): void {
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    super.push(events);
  }

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) {
      this.hand();
      return super.push(null, encoding);
    }
    const line = this.lastEnd + 1;
    this.lastEnd = this.info.lines;
    this.pending.push({ kind: 'row', line, values: record as string[] });
    return true;
  }

  /** A stretch that could not be read: reported at the line it starts on; reading goes on after it. */
  skipped(message: (line: number) => string): void {
    const line = this.lastEnd + 1;
    this.lastEnd = this.info.lines;
    this.pending.push({ kind: 'broken', line, message: message(line) });
  }
}

const tooLongMessage = (line: number) => `the record at line ${line} is longer than ${MAX_RECORD_CHARS} characters; it and the rest of the file could not be read`;

/** `piece` from position `at` on. */
const rest = (piece: Piece, at: number): Piece => (typeof piece === 'string' ? piece.slice(at) : piece.subarray(at));

/** Pieces of one kind as one. */
const join = (pieces: Piece[], bytes: boolean): Piece => (pieces.length === 0 ? (bytes ? Buffer.alloc(0) : '') : pieces.length === 1 ? pieces[0]! : bytes ? Buffer.concat(pieces as Buffer[]) : (pieces as string[]).join(''));

/** How often `what` occurs in `piece`. */
function countOf(piece: Piece, what: string): number {
  let n = 0;
  for (let at = piece.indexOf(what); at !== -1; at = piece.indexOf(what, at + 1)) n++;
  return n;
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
 * Reads a CSV file, an event at a time. Throws {@link InputError} for a file that cannot be a CSV at
 * all (binary, empty); everything else (ragged rows, an unterminated quote) comes out as events so
 * nothing is lost silently.
 */
export async function* readCsv(path: string, options: ReadCsvOptions = {}): AsyncGenerator<CsvEvent> {
  for await (const events of readCsvChunks(path, options)) yield* events;
}

export interface ReadCsvOptions {
  /**
   * Lines before the first quote split as plain lines (the default), or every byte through csv-parse:
   * the same events either way (the tests hold them to it), the second slower.
   */
  plain?: boolean;
}

/** {@link readCsv}'s events, a chunk of the file at a time (the header in an array of its own). */
export async function* readCsvChunks(path: string, { plain = true }: ReadCsvOptions = {}): AsyncGenerator<CsvEvent[]> {
  const name = basename(path);
  const verdict = await detectEncoding(path);
  if (verdict.binary) throw new InputError(`${name}: is a binary file, not a CSV text file`);
  if (verdict.bytes === 0) throw new InputError(`${name}: is empty (0 bytes); expected a header line`);
  const header = await firstLine(path, verdict.encoding);
  const delimiter = detectDelimiter(header);

  let fatal = false;
  const options: Options = {
    delimiter,
    bom: true,
    // Files glued together from several exports mix line ends: accept all three. Where the file has
    // no carriage return at all, "\n" is the only one that can occur, and looking for it alone is the
    // same parse with less work at every byte (reading, validating and mapping the 1M bench's
    // rechten.csv: 3.35-3.38 → 3.20-3.22 µs of CPU a row).
    record_delimiter: verdict.carriageReturns ? ['\r\n', '\n', '\r'] : ['\n'],
    relax_column_count: true,
    skip_empty_lines: false,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (err) => {
      const parser = csvParser!;
      if (err?.code === 'CSV_QUOTE_NOT_CLOSED') {
        parser.skipped((line) => `a quote opened at line ${line} is never closed; lines ${line} to ${err.lines ?? line} could not be read`);
      } else if (err?.code === 'CSV_MAX_RECORD_SIZE') {
        parser.skipped(tooLongMessage);
        fatal = true;
      } else {
        parser.skipped(() => `unreadable CSV: ${err?.message ?? 'unknown error'}`);
      }
      return undefined;
    },
  };
  let csvParser: LineNumberedParser | null = null;
  const tooLong = (line: number): CsvEvent => {
    fatal = true;
    return { kind: 'broken', line, message: tooLongMessage(line) };
  };

  /**
   * The file's events, a read piece at a time: split as plain lines (`plain-records.ts`) up to the
   * first line that holds a quote, and parsed by csv-parse from that line on. A quote is what makes a
   * line more than its fields between delimiters (a field with a delimiter, a line end or a quote in
   * it, or a quote out of place that csv-parse reports); before the first, every line end ends a
   * record, so csv-parse starts there as it would have been after the lines before.
   */
  async function* parsed(): AsyncGenerator<CsvEvent[]> {
    const bytes = verdict.encoding === 'utf8';
    const cr = verdict.carriageReturns;
    const source = openForParser(path, verdict.encoding)[Symbol.asyncIterator]() as AsyncIterator<Piece>;
    if (!plain) {
      yield* parsedFrom(bytes ? Buffer.alloc(0) : '', source, 0, true);
      return;
    }
    let handedOn = false;
    try {
      // What follows the last complete line, in the pieces it was read in: a line many pieces long is
      // joined once, when its end comes, not again with every piece. `carried`: its field bytes.
      let carry: Piece[] = [];
      let carried = 0;
      const fieldBytesOf = (piece: Piece) => (bytes ? piece.length : Buffer.byteLength(piece as string, 'utf8')) - countOf(piece, delimiter);
      let line = 1;
      let atStart = true;
      for (;;) {
        const next = await source.next();
        if (!next.done) {
          const piece = next.value;
          const last = carry.at(-1);
          // Nothing in it ends a line (nor the carriage return before it) or holds a quote: the line goes on.
          if (!atStart && piece.indexOf('"') === -1 && piece.indexOf('\n') === -1 && !(cr && (piece.indexOf('\r') !== -1 || (last !== undefined && last[last.length - 1] === (bytes ? 13 : '\r'))))) {
            carry.push(piece);
            carried += fieldBytesOf(piece);
            // A line that never ends is refused once it is too long, as csv-parse refuses it: memory stays bounded.
            if (carried > MAX_RECORD_CHARS) {
              yield [tooLong(line)];
              return;
            }
            continue;
          }
          carry.push(piece);
        }
        let data = join(carry, bytes);
        carry = [];
        carried = 0;
        if (atStart) {
          // csv-parse's `bom`: a UTF-8 byte order mark before the first line is not part of it.
          if (bytes && data.length < 3 && !next.done) { carry = [data]; continue; }
          if (bytes && (data as Buffer)[0] === 0xef && (data as Buffer)[1] === 0xbb && (data as Buffer)[2] === 0xbf) data = (data as Buffer).subarray(3);
          atStart = false;
        }
        const quote = data.indexOf('"');
        const end = quote !== -1 ? lineStart(data, quote, cr) : next.done ? data.length : completeLinesEnd(data, cr);
        const out: CsvEvent[] = [];
        const text = bytes ? (data as Buffer).toString('utf8', 0, end) : (data as string).slice(0, end);
        const split = splitPlainRecords(text, delimiter, cr, line, next.done === true && quote === -1, MAX_RECORD_CHARS, tooLong, out);
        line += split.lines;
        if (out.length) yield out;
        if (split.tooLong || (next.done && quote === -1)) return;
        if (quote !== -1) {
          handedOn = true;
          yield* parsedFrom(rest(data, end), source, line - 1, false);
          return;
        }
        if (end < data.length) {
          carry = [rest(data, end)];
          carried = fieldBytesOf(carry[0]!);
        }
      }
    } finally {
      if (!handedOn) await source.return?.();
    }
  }

  /** csv-parse's events for the rest of the file: `first`, then what `source` still holds. */
  async function* parsedFrom(first: Piece, source: AsyncIterator<Piece>, before: number, bom: boolean): AsyncGenerator<CsvEvent[]> {
    // Each object the parser hands out is a chunk's array of records: a stream's default of 16 objects
    // waiting to be read would let 16 chunks pile up whenever the reader waits for the database.
    const parser = new LineNumberedParser({ ...options, bom, readableHighWaterMark: 1 } as Options, before);
    csvParser = parser;
    async function* pieces(): AsyncGenerator<Piece> {
      try {
        if (first.length) yield first;
        for (;;) {
          const next = await source.next();
          if (next.done) return;
          yield next.value;
        }
      } finally {
        await source.return?.();
      }
    }
    pipeline(Readable.from(pieces(), { objectMode: false }), parser, () => undefined);
    yield* parser as AsyncIterable<CsvEvent[]>;
  }

  let headerSeen = false;
  for await (const events of parsed()) {
    let out: CsvEvent[] = [];
    for (const ev of events) {
      if (ev.kind !== 'row') {
        out.push(ev);
        // A record too long to read ends the file: what follows it cannot be told apart.
        if (fatal) break;
        continue;
      }
      // A stray BOM inside the file (files glued together) is noise, not data.
      const values = ev.values;
      for (let i = 0; i < values.length; i++) if (values[i]!.includes('\uFEFF')) values[i] = values[i]!.replace(/\uFEFF/g, '');
      if (!headerSeen) {
        headerSeen = true;
        if (out.length) { yield out; out = []; }
        yield [{ kind: 'header', names: values, encoding: verdict.encoding, delimiter }];
        continue;
      }
      if (values.length === 1 && values[0]!.trim() === '') continue; // blank line
      out.push(ev);
    }
    if (out.length) yield out;
    if (fatal) break;
  }
  if (!headerSeen) throw new InputError(`${name}: has no header line`);
}
