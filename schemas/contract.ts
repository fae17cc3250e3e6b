/**
 * How an input contract is built: each field is a plain function from a CSV cell to its value (or a
 * problem), and the zod schema is made from those functions. The schema stays the one definition —
 * types are inferred from it, and every reject's message and reason come from it — while the CSV
 * reader calls the same functions directly for a row (`rowReaderOf`), and asks the schema only about
 * a row they refuse.
 *
 * Why: zod's pipes and transforms cost about 3 µs a row (of 5-6 µs to read, validate and map one),
 * which at national scale is 30 s of a reader thread for 10 M rows of rights alone. The functions
 * the schema wraps give the same values without that machinery.
 */
import { z } from 'zod';

/** A CSV cell: its trimmed text, or null when it is empty. */
export type Cell = string | null;

/** What a cell reader returns for a cell it refuses (made only then: the usual cell allocates nothing). */
export class CellProblem {
  constructor(readonly message: string, readonly reason?: string) {}
}

type CellReader<T> = (v: Cell) => T | CellProblem;

const cell = z.string().nullable();
const cellReaders = new WeakMap<z.ZodType, CellReader<unknown>>();

/** A field from its cell reader: a zod schema that runs it, and the reader itself for {@link rowReaderOf}. */
export function field<T>(read: CellReader<T>) {
  const schema = cell.transform((v, ctx) => {
    const r = read(v);
    if (r instanceof CellProblem) {
      ctx.addIssue({ code: 'custom', message: r.message, ...(r.reason ? { params: { reason: r.reason } } : {}) });
      return z.NEVER;
    }
    return r as T;
  });
  cellReaders.set(schema, read);
  return schema;
}

/** Free text, kept as given. */
export const text = cell;
cellReaders.set(text, (v) => v);

const REQUIRED = new CellProblem('is required but empty');
/** A cell a field's own zod schema refused (its message is the schema's to give). */
const NOT_READ = new CellProblem('');

/** Makes a field required: an empty cell (or an empty list) is a reject. */
export function required<O>(inner: z.ZodType<O, Cell>) {
  const schema = inner
    .refine((v) => v !== null && !(Array.isArray(v) && v.length === 0), { message: REQUIRED.message })
    .transform((v) => v as NonNullable<O>);
  const read = cellReaders.get(inner);
  if (read) {
    cellReaders.set(schema, (v) => {
      const r = read(v);
      return r === null || (Array.isArray(r) && r.length === 0) ? REQUIRED : r;
    });
  }
  return schema;
}

/** A problem with a whole row (a combination of cells), reported at one column. */
export interface RowProblem {
  column: string;
  message: string;
}

/**
 * Reads a row given as its cells in the contract's column order (`columns`): its record, or null when
 * the contract refuses it (then the schema says why). Cells in an array, not an object by column
 * name: with an object built per row, reading and validating a rechten.csv row took 3.44 µs against
 * 3.12 (personen.csv 3.69 against 3.39), at millions of rows a file.
 */
export interface RowReader {
  readonly columns: readonly string[];
  read(cells: readonly Cell[]): Record<string, unknown> | null;
}

const rowReaders = new WeakMap<z.ZodType, RowReader>();

/**
 * An input contract: an object of fields, and optionally a check of the whole row. Returns the zod
 * schema; {@link rowReaderOf} gives its row reader, fast where the fields were made by {@link field},
 * {@link required} or are {@link text}.
 */
export function contract<const S extends Record<string, z.ZodType<unknown, Cell>>>(
  shape: S,
  check?: (row: z.output<z.ZodObject<S>>) => RowProblem | null,
) {
  const base = z.object(shape);
  const schema = check
    ? base.superRefine((row, ctx) => {
      const p = check(row);
      if (p) ctx.addIssue({ code: 'custom', path: [p.column], message: p.message });
    })
    : base;
  const columns = Object.keys(shape);
  // A field made otherwise (a zod schema of its own) is read by that schema: correct, only slower.
  const reads = columns.map((k): CellReader<unknown> => cellReaders.get(shape[k]!) ?? ((v) => {
    const r = shape[k]!.safeParse(v);
    return r.success ? r.data : NOT_READ;
  }));
  const n = columns.length;
  rowReaders.set(schema, {
    columns,
    read(cells) {
      if (cells.length !== n) return null;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const v = reads[i]!(cells[i]!);
        if (v instanceof CellProblem) return null;
        out[columns[i]!] = v;
      }
      return check && check(out as z.output<z.ZodObject<S>>) ? null : out;
    },
  });
  return schema;
}

/** The row reader of a schema made by {@link contract} (undefined for any other schema). */
export function rowReaderOf(schema: z.ZodType): RowReader | undefined {
  return rowReaders.get(schema);
}
