/**
 * Reads one CSV file of the contract: maps its header onto the contract's columns, checks that the
 * required columns are there, and validates every row with the file's zod schema. Yields records
 * (typed by the schema) or rejects; a file that cannot be used at all is an {@link InputError}.
 */
import type { z } from 'zod';
import { readCsvChunks } from './read-csv.ts';
import type { CsvSource } from './csv-sources.ts';
import type { Reject, RejectReason } from '../reject.ts';
import { InputError } from '../../util/input-error.ts';
import { rowReaderOf } from '../../../schemas/contract.ts';

/** No field of the contract needs more; a longer one is a reject, not a value. */
export const MAX_FIELD_CHARS = 10_000;

export interface CsvRecord<T> {
  line: number;
  record: T;
  /** Columns not in the contract, kept as given (JSON object) or null. */
  extra: string | null;
}

export type CsvItem<T> = { ok: true; value: CsvRecord<T> } | { ok: false; reject: Reject };

export interface CsvHeaderInfo {
  encoding: string;
  delimiter: string;
}

function normaliseHeader(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Streams a CSV source. `file` is the name used in rejects (relative to the input folder).
 * `onHeader` receives the detected encoding and separator (for the manifest).
 */
export async function* readCsvSource<S extends z.ZodType>(
  path: string,
  file: string,
  source: CsvSource<S>,
  onHeader?: (info: CsvHeaderInfo) => void,
): AsyncGenerator<CsvItem<z.output<S>>> {
  for await (const items of readCsvSourceChunks(path, file, source, onHeader)) yield* items;
}

/** {@link readCsvSource}'s items, a chunk of the file at a time (see `readCsvChunks`). */
export async function* readCsvSourceChunks<S extends z.ZodType>(
  path: string,
  file: string,
  source: CsvSource<S>,
  onHeader?: (info: CsvHeaderInfo) => void,
): AsyncGenerator<CsvItem<z.output<S>>[]> {
  // The contract's own field functions read a row; only a row they refuse goes through zod, whose
  // first issue names the column and reason of the reject (see schemas/contract.ts).
  const reader = rowReaderOf(source.schema);
  if (!reader) throw new Error(`${source.key}: its schema was not made by contract() (schemas/contract.ts)`);
  const knownList = reader.columns;
  /** Per column of the file: where its cell goes in the contract's order (-1: not a contract column). */
  let slot: number[] = [];
  let columns: string[] = [];

  const header = (names: string[]) => {
    columns = names.map(normaliseHeader);
    slot = columns.map((c) => knownList.indexOf(c));
    const seen = new Set<string>();
    for (const c of columns) {
      if (c === '') continue;
      if (seen.has(c)) throw new InputError(`${file}: column "${c}" appears twice in the header`);
      seen.add(c);
    }
    const missing = source.requiredColumns.filter((c) => !seen.has(c));
    if (source.namesUnit && !seen.has('vbo_id') && !(seen.has('postcode') && seen.has('huisnummer'))) {
      missing.push('vbo_id (or postcode and huisnummer)');
    }
    if (missing.length) {
      throw new InputError(`${file}: required column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} missing from the header (found: ${columns.join(', ')})`);
    }
  };

  const item = (line: number, values: string[]): CsvItem<z.output<S>> => {
    if (values.length !== columns.length) {
      return {
        ok: false,
        reject: {
          file, position: line, column: null, value: truncate(values.join('|')), reason: 'ragged-row',
          message: `has ${values.length} fields where the header has ${columns.length}`,
        },
      };
    }
    let long = -1;
    for (let i = 0; i < values.length; i++) if (values[i]!.length > MAX_FIELD_CHARS) { long = i; break; }
    if (long !== -1) {
      return {
        ok: false,
        reject: {
          file, position: line, column: columns[long] || null, value: truncate(values[long]!), reason: 'invalid-value',
          message: `${file} line ${line}: ${columns[long] || 'a field'} is ${values[long]!.length} characters long; at most ${MAX_FIELD_CHARS} are accepted`,
        },
      };
    }
    // Every record gets every contract column, in the contract's order.
    const cells: (string | null)[] = new Array(knownList.length).fill(null);
    let extra: Record<string, string> | null = null;
    for (let i = 0; i < columns.length; i++) {
      const v = values[i]!.trim();
      const at = slot[i]!;
      if (at !== -1) cells[at] = v === '' ? null : v;
      else if (columns[i] !== '' && v !== '') (extra ??= {})[columns[i]!] = v;
    }
    const record = reader.read(cells);
    if (record) return { ok: true, value: { line, record: record as z.output<S>, extra: extra ? JSON.stringify(extra) : null } };
    const raw: Record<string, string | null> = {};
    for (let k = 0; k < knownList.length; k++) raw[knownList[k]!] = cells[k]!;
    const parsed = source.schema.safeParse(raw);
    if (parsed.success) return { ok: true, value: { line, record: parsed.data, extra: extra ? JSON.stringify(extra) : null } };
    const issue = parsed.error.issues[0]!;
    const column = String(issue.path[0] ?? '');
    const reason: RejectReason = issue.message === 'is required but empty'
      ? 'missing-value'
      : (issue as { params?: { reason?: RejectReason } }).params?.reason ?? 'invalid-value';
    return {
      ok: false,
      reject: {
        file, position: line, column: column || null, value: truncate(raw[column] ?? null), reason,
        message: `${file} line ${line}: ${column} ${issue.message}`,
      },
    };
  };

  for await (const events of readCsvChunks(path)) {
    const out: CsvItem<z.output<S>>[] = [];
    for (const ev of events) {
      if (ev.kind === 'header') {
        header(ev.names);
        onHeader?.({ encoding: ev.encoding, delimiter: ev.delimiter });
      } else if (ev.kind === 'broken') {
        out.push({ ok: false, reject: { file, position: ev.line, column: null, value: null, reason: 'unreadable', message: ev.message } });
      } else {
        out.push(item(ev.line, ev.values));
      }
    }
    if (out.length) yield out;
  }
}

function truncate(v: string | null): string | null {
  return v !== null && v.length > 200 ? `${v.slice(0, 197)}...` : v;
}
