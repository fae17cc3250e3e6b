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
 * Packs values a row at a time, without an array per row: `value` each value, then `endRow`; `finish`
 * gives the pack. Kinds, numbers and lengths go into typed arrays that double when full: pushing
 * them onto arrays instead made packing rechten.csv's rows ten times slower (2 against 0.2 µs a row).
 */
class RowPacker {
  private widths = new Uint32Array(1024);
  private kinds = new Uint8Array(16384);
  private numbers = new Float64Array(4096);
  private lengths = new Uint32Array(8192);
  private readonly texts: string[] = [];
  private readonly others: unknown[] = [];
  private rows = 0;
  private k = 0;
  private n = 0;
  private t = 0;
  private width = 0;

  value(v: unknown): void {
    if (this.k === this.kinds.length) this.kinds = grown(this.kinds);
    this.width++;
    if (v === null) this.kinds[this.k++] = NULL;
    else if (typeof v === 'number') {
      this.kinds[this.k++] = NUMBER;
      if (this.n === this.numbers.length) this.numbers = grown(this.numbers);
      this.numbers[this.n++] = v;
    } else if (typeof v === 'string') {
      this.kinds[this.k++] = TEXT;
      if (this.t === this.lengths.length) this.lengths = grown(this.lengths);
      this.lengths[this.t++] = v.length;
      this.texts.push(v);
    } else {
      this.kinds[this.k++] = OTHER;
      this.others.push(v);
    }
  }

  endRow(): void {
    if (this.rows === this.widths.length) this.widths = grown(this.widths);
    this.widths[this.rows++] = this.width;
    this.width = 0;
  }

  /** The pack (its arrays are views of the packer's: pack once, then drop the packer). */
  finish(): PackedRows {
    return {
      widths: this.widths.subarray(0, this.rows), kinds: this.kinds.subarray(0, this.k), numbers: this.numbers.subarray(0, this.n),
      lengths: this.lengths.subarray(0, this.t), texts: this.texts.join(''), others: this.others,
    };
  }
}

function grown<T extends Uint8Array | Uint32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** Reads a pack a value at a time, in row order (see {@link RowPacker}); `width(r)` tells a row's. */
class RowReader {
  private k = 0;
  private n = 0;
  private t = 0;
  private o = 0;
  private at = 0;
  constructor(private readonly p: PackedRows) {}

  get rows(): number { return this.p.widths.length; }
  width(r: number): number { return this.p.widths[r]!; }

  value(): unknown {
    const p = this.p;
    switch (p.kinds[this.k++]) {
      case NULL: return null;
      case NUMBER: return p.numbers[this.n++];
      case TEXT: { const start = this.at; this.at += p.lengths[this.t++]!; return p.texts.slice(start, this.at); }
      default: return p.others[this.o++];
    }
  }
}

/** Packs rows (arrays of values); {@link unpackRows} gives them back equal, value for value. */
export function packRows(rows: readonly (readonly unknown[])[]): PackedRows {
  const packer = new RowPacker();
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) packer.value(row[c]);
    packer.endRow();
  }
  return packer.finish();
}

/** The rows {@link packRows} packed. */
export function unpackRows(p: PackedRows): unknown[][] {
  const reader = new RowReader(p);
  const rows = new Array<unknown[]>(reader.rows);
  for (let r = 0; r < rows.length; r++) {
    const width = reader.width(r);
    const row = new Array<unknown>(width);
    for (let c = 0; c < width; c++) row[c] = reader.value();
    rows[r] = row;
  }
  return rows;
}

/** The buffers a pack can hand over instead of copying (for `postMessage`'s transfer list). */
export function packedTransfer(p: PackedRows): ArrayBuffer[] {
  return [p.widths.buffer, p.kinds.buffer, p.numbers.buffer, p.lengths.buffer] as ArrayBuffer[];
}
