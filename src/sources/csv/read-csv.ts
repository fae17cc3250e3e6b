/**
 * Streams the rows of one CSV file as the contract describes it: `,` or `;` separator detected from
 * the header line, UTF-8 (with or without BOM) or Windows-1252, quoted fields with embedded separators
 * and newlines. Yields the header once, then rows with the line they start on, or problems that make
 * lines unreadable. Lines without a quote are split as plain lines (`plain-records.ts`), to the same
 * records at a fifth of the cost; csv-parse parses the stretches that hold a quote.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Parser, type Options } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { detectEncoding, type TextEncoding } from './detect-encoding.ts';
import { InputError } from '../../util/input-error.ts';
import { completeLinesEnd, fieldBytes, join, lineEndAfter, lineStart, rest, slice, type Piece } from './csv-pieces.ts';
import { splitPlainRecords } from './plain-records.ts';

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
   * `readCsvChunks`). csv-parse counts lines on from there, in its messages too. `lastEnd`: the line
   * the last record before ended on, as this class numbers them.
   */
  constructor(options: Options, before: number, lastEnd = before) {
    super(options);
    (this.info as { lines: number }).lines += before;
    this.lastEnd = lastEnd;
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

  /**
   * Parses `piece` as if the file ended with it, at once (as csv-parse's own sync API does): its
   * events, and the line that would follow it.
   */
  whole(piece: Piece): { events: CsvEvent[]; nextLine: number; lastEnd: number } {
    const api = (this as unknown as { api: { parse(buf: Buffer, end: boolean, push: (r: unknown) => void, close: () => void): Error | undefined } }).api;
    const err = api.parse(typeof piece === 'string' ? Buffer.from(piece) : piece, true, (record) => this.push(record), () => undefined);
    if (err) throw err;
    const events = this.pending;
    this.pending = [];
    // At the end of its input csv-parse has counted the line after the last line end too.
    return { events, nextLine: this.info.lines, lastEnd: this.lastEnd };
  }

  /** A stretch that could not be read: reported at the line it starts on; reading goes on after it. */
  skipped(message: (line: number) => string): void {
    const line = this.lastEnd + 1;
    this.lastEnd = this.info.lines;
    this.pending.push({ kind: 'broken', line, message: message(line) });
  }
}

const tooLongMessage = (line: number) => `the record at line ${line} is longer than ${MAX_RECORD_CHARS} characters; it and the rest of the file could not be read`;

/** A stretch parsed by csv-parse apart that grows past this without ending a record joins the rest of the file. */
const SEGMENT_LIMIT = 1 << 20;

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
   * Lines without a quote split as plain lines (the default), or every byte through csv-parse: the
   * same events either way (the tests hold them to it), the second slower.
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
        quoteLeftOpen = true;
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
  /** Set when csv-parse met the end with a quoted field still open. */
  let quoteLeftOpen = false;
  const tooLong = (line: number): CsvEvent => {
    fatal = true;
    return { kind: 'broken', line, message: tooLongMessage(line) };
  };

  /**
   * The file's events, a read piece at a time. Lines without a quote are split as plain lines
   * (`plain-records.ts`): a quote is what makes a line more than its fields between delimiters (a
   * field with a delimiter, a line end or a quote in it, or a quote out of place that csv-parse
   * reports). From the start of a line with a quote to the last whole line read, csv-parse parses
   * the stretch as if the file ended there, and the plain lines go on after it: every stretch starts
   * where a record starts, as it would in csv-parse's reading of the whole file, and ends where one
   * ends (where csv-parse finds a quote left open, the stretch grows by the next piece read), so its
   * records and messages are those of the whole file's reading. A stretch that grows past a megabyte
   * without closing is parsed with the rest of the file by one csv-parse stream.
   */
  async function* parsed(): AsyncGenerator<CsvEvent[]> {
    const bytes = verdict.encoding === 'utf8';
    const cr = verdict.carriageReturns;
    const empty: Piece = bytes ? Buffer.alloc(0) : '';
    const source = openForParser(path, verdict.encoding)[Symbol.asyncIterator]() as AsyncIterator<Piece>;
    if (!plain) {
      yield* parsedFrom(empty, source, 0, true);
      return;
    }
    /**
     * Read and not yet parsed; it starts where a record starts, on line `line`. `lastEnd`: where the
     * record before ended as `LineNumberedParser` numbers records (line - 1 but after a refused record).
     */
    let data: Piece = empty;
    let line = 1;
    let lastEnd = 0;
    let done = false;
    let handedOn = false;
    /**
     * Reads another piece, and on while pieces hold no line end and no quote: those are joined once,
     * not one by one. With `plainTail`, `data` is the start of a plain line, and a line that grows past
     * the record limit without ending is refused, as csv-parse refuses it: memory stays bounded.
     */
    const readOn = async (plainTail: boolean): Promise<boolean> => {
      const pieces = [data];
      let open = plainTail ? fieldBytes(data, delimiter) : 0;
      for (;;) {
        const next = await source.next();
        if (next.done) { done = true; break; }
        const piece = next.value;
        const before = pieces.at(-1)!;
        pieces.push(piece);
        const goesOn = piece.indexOf('"') === -1 && piece.indexOf('\n') === -1
          && !(cr && (piece.indexOf('\r') !== -1 || (before.length > 0 && before[before.length - 1] === (bytes ? 13 : '\r'))));
        if (!goesOn) break;
        if (plainTail && (open += fieldBytes(piece, delimiter)) > MAX_RECORD_CHARS) return false;
      }
      data = join(pieces, bytes);
      return true;
    };
    /** Plain lines data[0, end) as events; `final`: the file ends at `end`. */
    const plainLines = (end: number, final: boolean, out: CsvEvent[]) => {
      const text = bytes ? (data as Buffer).toString('utf8', 0, end) : (data as string).slice(0, end);
      const split = splitPlainRecords(text, delimiter, cr, line, final, MAX_RECORD_CHARS, tooLong, out, lastEnd + 1);
      line += split.lines;
      if (split.lines) lastEnd = line - 1;
      return split.tooLong;
    };
    try {
      // csv-parse's `bom`: a UTF-8 byte order mark before the first line is not part of it.
      while (!done && data.length < 3) {
        const next = await source.next();
        if (next.done) done = true;
        else data = join([data, next.value], bytes);
      }
      if (bytes && (data as Buffer)[0] === 0xef && (data as Buffer)[1] === 0xbb && (data as Buffer)[2] === 0xbf) data = (data as Buffer).subarray(3);
      for (;;) {
        const out: CsvEvent[] = [];
        const quote = data.indexOf('"');
        if (quote === -1) {
          const end = done ? data.length : completeLinesEnd(data, cr);
          const tooLongLine = plainLines(end, done, out);
          if (out.length) yield out;
          if (tooLongLine || done) return;
          data = rest(data, end);
          if (!await readOn(true)) {
            yield [tooLong(line)];
            return;
          }
          continue;
        }
        const start = lineStart(data, quote, cr);
        if (plainLines(start, false, out)) {
          yield out;
          return;
        }
        data = rest(data, start);
        // Where a stretch may end: the last whole line read, if a line ends at or after `from`. It takes
        // every whole line read, so a file that quotes every field is parsed a piece at a time, not a
        // line at a time by a parser made for each.
        const stretchEnd = (from: number) => {
          const first = lineEndAfter(data, from, cr, done);
          return first === -1 ? -1 : Math.max(first, completeLinesEnd(data, cr));
        };
        let end = stretchEnd(quote - start);
        for (;;) {
          if (end === -1 && !done && data.length <= SEGMENT_LIMIT) {
            const scanned = data.length;
            await readOn(false);
            end = stretchEnd(Math.max(0, scanned - 1));
            continue;
          }
          if ((end === -1 ? data.length : end) > SEGMENT_LIMIT) {
            if (out.length) yield out;
            handedOn = true;
            yield* parsedFrom(data, source, line - 1, false, lastEnd);
            return;
          }
          const final = end === -1;
          const stretch = final ? data : slice(data, end);
          const parser = new LineNumberedParser({ ...options, bom: false } as Options, line - 1, lastEnd);
          csvParser = parser;
          quoteLeftOpen = false;
          const whole = parser.whole(stretch);
          if (quoteLeftOpen && !final) {
            // The stretch ends inside a quoted field: on to the last line end read, or to one in the
            // next piece. It is parsed again from its start, so it grows a piece at a time, not a line.
            fatal = false;
            const last = completeLinesEnd(data, cr);
            end = last > end ? last : -1;
            continue;
          }
          out.push(...whole.events);
          line = whole.nextLine;
          lastEnd = whole.lastEnd;
          data = final ? empty : rest(data, end);
          break;
        }
        if (out.length) yield out;
        if (fatal || (done && data.length === 0)) return;
      }
    } finally {
      if (!handedOn) await source.return?.();
    }
  }

  /** csv-parse's events for the rest of the file: `first`, then what `source` still holds. */
  async function* parsedFrom(first: Piece, source: AsyncIterator<Piece>, before: number, bom: boolean, lastEnd = before): AsyncGenerator<CsvEvent[]> {
    // Each object the parser hands out is a chunk's array of records: a stream's default of 16 objects
    // waiting to be read would let 16 chunks pile up whenever the reader waits for the database.
    const parser = new LineNumberedParser({ ...options, bom, readableHighWaterMark: 1 } as Options, before, lastEnd);
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
