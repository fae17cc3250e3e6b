/**
 * Rows of plain values packed for the way from a reader thread to the loading thread: one string of
 * all texts run together, their lengths, the numbers and a kind per value, instead of V8's structured
 * clone of an array per row. The clone writes and reads every value with a tag and builds every row
 * and every string again on arrival; unpacking takes one slice per text and one array per row.
 * Measured on 200 batches of the 1M bench's CSV files (µs a row, clone → packed): rechten.csv packing
 * 0.70-1.25 → 0.22 and unpacking 1.42-1.46 → 0.12, personen.csv 0.75-1.13 → 0.22 and 1.49-1.86 →
 * 0.12, woz.csv 0.49 → 0.17 and 0.81 → 0.10; the loading thread is what load-csv waits for.
 *
 * Anything but null, a number or a string (none of the loaders' rows hold one today) travels in a
 * side list as a structured clone, so every value arrives as it left.
 *
 * @example
 * const packed = packRows([[1, 'a', null]]);
 * port.postMessage(packed, packedTransfer(packed));
 * unpackRows(packed); // [[1, 'a', null]]
 */

const NULL = 0;
const NUMBER = 1;
const TEXT = 2;
const OTHER = 3;

export interface PackedRows {
  /** Values in each row. */
  widths: Uint32Array;
  /** Per value, in row order: NULL, NUMBER, TEXT or OTHER. */
  kinds: Uint8Array;
  numbers: Float64Array;
  /** Length of each text, in UTF-16 code units (what `slice` counts). */
  lengths: Uint32Array;
  /** All texts, one after the other. */
  texts: string;
  others: unknown[];
}

/**
 * Packs rows (arrays of values); {@link unpackRows} gives them back equal, value for value. Kinds,
 * numbers and lengths go into typed arrays sized for every value (then cut to what was used):
 * pushing the kinds onto an array instead made packing rechten.csv's rows ten times slower (2 against
 * 0.2 µs a row).
 */
export function packRows(rows: readonly (readonly unknown[])[]): PackedRows {
  let values = 0;
  for (const row of rows) values += row.length;
  const widths = new Uint32Array(rows.length);
  const kinds = new Uint8Array(values);
  const numbers = new Float64Array(values);
  const lengths = new Uint32Array(values);
  const texts: string[] = [];
  const others: unknown[] = [];
  let k = 0;
  let n = 0;
  let t = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    widths[r] = row.length;
    for (let c = 0; c < row.length; c++, k++) {
      const v = row[c];
      if (v === null) kinds[k] = NULL;
      else if (typeof v === 'number') { kinds[k] = NUMBER; numbers[n++] = v; }
      else if (typeof v === 'string') { kinds[k] = TEXT; lengths[t++] = v.length; texts.push(v); }
      else { kinds[k] = OTHER; others.push(v); }
    }
  }
  return { widths, kinds, numbers: numbers.subarray(0, n), lengths: lengths.subarray(0, t), texts: texts.join(''), others };
}

/** The rows {@link packRows} packed. */
export function unpackRows(p: PackedRows): unknown[][] {
  const { widths, kinds, numbers, lengths, texts, others } = p;
  const rows = new Array<unknown[]>(widths.length);
  let k = 0;
  let n = 0;
  let t = 0;
  let o = 0;
  let at = 0;
  for (let r = 0; r < widths.length; r++) {
    const width = widths[r]!;
    const row = new Array<unknown>(width);
    for (let c = 0; c < width; c++, k++) {
      switch (kinds[k]) {
        case NULL: row[c] = null; break;
        case NUMBER: row[c] = numbers[n++]; break;
        case TEXT: { const end = at + lengths[t++]!; row[c] = texts.slice(at, end); at = end; break; }
        default: row[c] = others[o++];
      }
    }
    rows[r] = row;
  }
  return rows;
}

/** The buffers a pack can hand over instead of copying (for `postMessage`'s transfer list). */
export function packedTransfer(p: PackedRows): ArrayBuffer[] {
  return [p.widths.buffer, p.kinds.buffer, p.numbers.buffer, p.lengths.buffer] as ArrayBuffer[];
}
