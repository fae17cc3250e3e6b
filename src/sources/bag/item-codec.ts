/**
 * BAG items on their way from a parser thread to the loading thread, packed: the records' numbers in
 * one Float64Array, their texts' bytes run together (UTF-8) with each text's length in an Int32Array
 * (-1 for null), and a record's fields in a fixed order per type, so no key and no tag travels. The
 * arrays are handed over (transferred), not copied; the receiver makes one string of a batch's texts
 * (where they are ASCII, as nearly all are), slices the texts out of it and builds each record object
 * once. The parser thread makes no record object: it writes each record's fields here as it maps them
 * ({@link ItemWriter}), and most texts as the bytes they are in the XML (see `XmlElement.ts`), no
 * string made of them on that thread.
 *
 * Measured on 200,000 records of the 1M bench's files (µs of CPU a record; one JSON string of field
 * arrays before → packed): VBO encoding 1.19 → 0.70 and decoding 0.79 → 0.17, NUM 0.72 → 0.36 and
 * 0.54 → 0.08. Reading the 1M bench's 2.5 million records took 19.2-19.5 s of CPU instead of
 * 20.7-23.1. Rejects and counts are rare and travel beside as they are (a structured clone).
 */
import type { BagRecord } from './bag-records.ts';
import type { BagItem } from './read-bag.ts';

type Other = Exclude<BagItem, { kind: 'record' }>;

/** A batch of one file's items, packed. */
export interface PackedItems {
  file: string;
  /** Per item a code (a record type's index in TYPES, or OTHER), then the record's numbers. */
  numbers: Float64Array;
  /** Per text of the records, its length in bytes, or -1: null. */
  lengths: Int32Array;
  /** The texts' bytes, UTF-8; `ascii` where all are below 128 (a byte a character). */
  texts: Uint8Array;
  ascii: boolean;
  others: Other[];
}

/**
 * A text as the parser hands it on without making a string of it: `src.b[ts, te)`, ASCII (an
 * `XmlElement` with a span); `src.dv` a view of the same bytes.
 */
export interface ByteSpan { readonly ts: number; readonly te: number; readonly src: { readonly b: Uint8Array; readonly dv: DataView } | null }

/** A text to write: a string, a span of bytes, or null. */
export type Text = string | ByteSpan | null;

const TYPES = ['VBO', 'NUM', 'OPR', 'WPL', 'PND', 'IO'] as const satisfies readonly BagRecord['type'][];
/** A record type's code: its index in TYPES. */
const CODE = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Record<BagRecord['type'], number>;
const OTHER = -1;

/** A surrogate not in a pair (with the u flag a pair is one code point, so only a lone one matches). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Writes a batch's items, packed, into arrays that grow by doubling (pushing onto plain arrays is
 * several times slower). The parser writes each record here as it maps it (`parse-bag-record.ts`),
 * field by field, with no record object in between: building the object and then walking it again
 * to pack it cost a VBO record about 1 µs of the parser thread's 5 (thirty-eighth session). The
 * order of a record's fields is these methods' and {@link readRecord}'s.
 */
export class ItemWriter {
  private numbers: Float64Array;
  private lengths: Int32Array;
  /** The texts' bytes, and the same memory as a Buffer (for writing UTF-8) and as a DataView. */
  private bytes: Uint8Array;
  private buf: Buffer;
  private dv: DataView;
  private n = 0;
  private t = 0;
  private at = 0;
  private ascii = true;
  private others: Other[] = [];
  /** Items written since the last {@link take}. */
  items = 0;

  constructor(private readonly room = 500) {
    this.numbers = new Float64Array(Math.max(16, room * 12));
    this.lengths = new Int32Array(Math.max(16, room * 12));
    this.bytes = new Uint8Array(Math.max(256, room * 128));
    this.buf = Buffer.from(this.bytes.buffer);
    this.dv = new DataView(this.bytes.buffer);
  }

  /** Room for `k` more bytes of text. */
  private roomFor(k: number): void {
    if (this.at + k <= this.bytes.length) return;
    const a = new Uint8Array(Math.max(this.bytes.length * 2, this.at + k));
    a.set(this.bytes.subarray(0, this.at));
    this.bytes = a;
    this.buf = Buffer.from(a.buffer);
    this.dv = new DataView(a.buffer);
  }

  private num(v: number): void {
    if (this.n === this.numbers.length) { const a = new Float64Array(this.n * 2); a.set(this.numbers); this.numbers = a; }
    this.numbers[this.n++] = v;
  }

  /**
   * A number or null: null travels as NaN. The parser gives finite numbers only (`Number.isFinite`
   * decides what it keeps), so NaN is free; anything else would come back changed, so it is refused.
   */
  private numOrNull(v: number | null): void {
    if (v === null) { this.num(NaN); return; }
    if (!Number.isFinite(v)) throw new Error(`a BAG record holds the number ${v}; only finite numbers travel`);
    this.num(v);
  }

  private text(v: Text): void {
    if (this.t === this.lengths.length) { const a = new Int32Array(this.t * 2); a.set(this.lengths); this.lengths = a; }
    if (v === null) { this.lengths[this.t++] = -1; return; }
    if (typeof v === 'string') { this.string(v); return; }
    // A span: ASCII bytes, copied as they are, four at a time (most are a few dozen bytes: a loop
    // costs less than a call; byte by byte it took a tenth of reading a VBO).
    const len = v.te - v.ts;
    this.roomFor(len);
    const { b: src, dv: from } = v.src!;
    const out = this.bytes, to = this.dv;
    let at = this.at, k = v.ts;
    for (; k + 4 <= v.te; k += 4, at += 4) to.setUint32(at, from.getUint32(k, true), true);
    for (; k < v.te; k++) out[at++] = src[k]!;
    this.at = at;
    this.lengths[this.t++] = len;
  }

  /** A string's bytes: ASCII a character a byte; otherwise as UTF-8, and the batch is no longer ASCII. */
  private string(v: string): void {
    this.roomFor(v.length * 3); // UTF-8 takes at most three bytes for a UTF-16 code unit
    const out = this.bytes;
    let at = this.at;
    for (let k = 0; k < v.length; k++) {
      const c = v.charCodeAt(k);
      if (c >= 128) {
        // UTF-8 has no lone surrogate: it would come back as U+FFFD. The parser never makes one (it
        // decodes UTF-8), so one here is refused, as a number that would not come back is.
        if (LONE_SURROGATE.test(v)) throw new Error('a BAG record holds a text with a lone surrogate; only well-formed texts travel');
        const len = this.buf.write(v, this.at, 'utf8');
        this.at += len;
        this.lengths[this.t++] = len;
        this.ascii = false;
        return;
      }
      out[at++] = c;
    }
    this.lengths[this.t++] = at - this.at;
    this.at = at;
  }

  private list(vs: readonly Text[]): void {
    this.num(vs.length);
    for (let i = 0; i < vs.length; i++) this.text(vs[i]!);
  }

  /** Starts a record of a type with voorkomens: the fields they all have. Its type's fields follow. */
  voorkomen(type: Exclude<BagRecord['type'], 'IO'>, position: number, id: Text, voorkomen: number, begin: Text, eind: Text, status: Text): void {
    this.items++;
    this.num(CODE[type]);
    this.num(position);
    this.text(id);
    this.num(voorkomen);
    this.text(begin);
    this.text(eind);
    this.text(status);
  }

  vbo(gebruiksdoelen: readonly Text[], oppervlakte: number | null, x: number | null, y: number | null, hoofdadres: Text, nevenadressen: readonly Text[], panden: readonly Text[]): void {
    this.list(gebruiksdoelen); this.numOrNull(oppervlakte); this.numOrNull(x); this.numOrNull(y);
    this.text(hoofdadres); this.list(nevenadressen); this.list(panden);
  }

  nummeraanduiding(postcode: Text, huisnummer: number | null, huisletter: Text, toevoeging: Text, oprId: Text): void {
    this.text(postcode); this.numOrNull(huisnummer); this.text(huisletter); this.text(toevoeging); this.text(oprId);
  }

  openbareRuimte(naam: Text, wplId: Text): void { this.text(naam); this.text(wplId); }

  woonplaats(naam: Text): void { this.text(naam); }

  pand(bouwjaar: number | null): void { this.numOrNull(bouwjaar); }

  inOnderzoek(position: number, id: string, kenmerk: string, inOnderzoek: boolean, begin: string, eind: string | null): void {
    this.items++;
    this.num(CODE.IO); this.num(position); this.text(id); this.text(kenmerk); this.num(inOnderzoek ? 1 : 0); this.text(begin); this.text(eind);
  }

  /** An item other than a record (a reject, a count of what was skipped): travels as it is. */
  other(item: Other): void {
    this.items++;
    this.num(OTHER);
    this.others.push(item);
  }

  /** What was written, as one batch of `file`'s items; the writer starts afresh (the arrays go with the batch). */
  take(file: string): PackedItems {
    const p: PackedItems = {
      file, numbers: this.numbers.subarray(0, this.n), lengths: this.lengths.subarray(0, this.t),
      texts: this.bytes.subarray(0, this.at), ascii: this.ascii, others: this.others,
    };
    this.numbers = new Float64Array(Math.max(16, this.room * 12));
    this.lengths = new Int32Array(Math.max(16, this.room * 12));
    this.bytes = new Uint8Array(Math.max(256, this.room * 128));
    this.buf = Buffer.from(this.bytes.buffer);
    this.dv = new DataView(this.bytes.buffer);
    this.n = 0;
    this.t = 0;
    this.at = 0;
    this.ascii = true;
    this.others = [];
    this.items = 0;
    return p;
  }
}

/** Writes a record object (as decoded, or made elsewhere) the way the parser writes what it maps. */
function writeRecord(w: ItemWriter, position: number, r: BagRecord): void {
  if (r.type === 'IO') { w.inOnderzoek(position, r.id, r.kenmerk, r.inOnderzoek, r.begin, r.eind); return; }
  w.voorkomen(r.type, position, r.id, r.voorkomen, r.begin, r.eind, r.status);
  switch (r.type) {
    case 'VBO': w.vbo(r.gebruiksdoelen, r.oppervlakte, r.x, r.y, r.hoofdadres, r.nevenadressen, r.panden); return;
    case 'NUM': w.nummeraanduiding(r.postcode, r.huisnummer, r.huisletter, r.toevoeging, r.oprId); return;
    case 'OPR': w.openbareRuimte(r.naam, r.wplId); return;
    case 'WPL': w.woonplaats(r.naam); return;
    case 'PND': w.pand(r.bouwjaar); return;
  }
}

/** A batch of items of the file `file` (every item of one parse job is of one file). */
export function encodeItems(file: string, items: readonly BagItem[]): PackedItems {
  const w = new ItemWriter(items.length);
  for (const it of items) {
    if (it.kind === 'record') writeRecord(w, it.position, it.record);
    else w.other(it);
  }
  return w.take(file);
}

/** The arrays a batch hands over instead of copying (for `postMessage`'s transfer list). */
export function packedItemsTransfer(p: PackedItems): ArrayBuffer[] {
  return [p.numbers.buffer, p.lengths.buffer, p.texts.buffer] as ArrayBuffer[];
}

/** Reads the values back in the order the {@link ItemWriter} wrote them. */
class Reader {
  n = 0;
  t = 0;
  at = 0;
  /** The batch's texts as one string, where they are ASCII (a byte a character); else null. */
  private readonly all: string | null;
  private readonly bytes: Buffer;

  constructor(private readonly p: PackedItems) {
    this.bytes = Buffer.from(p.texts.buffer, p.texts.byteOffset, p.texts.byteLength);
    this.all = p.ascii ? this.bytes.toString('latin1') : null;
  }

  num(): number { return this.p.numbers[this.n++]!; }

  numOrNull(): number | null {
    const v = this.p.numbers[this.n++]!;
    return v === v ? v : null; // NaN: null
  }

  text(): string | null {
    const len = this.p.lengths[this.t++]!;
    if (len < 0) return null;
    const start = this.at;
    this.at += len;
    return this.all !== null ? this.all.slice(start, this.at) : this.bytes.toString('utf8', start, this.at);
  }

  /** A text the writer never writes as null (an id, a begin date, a kenmerk). */
  str(): string { return this.text()!; }

  list(): string[] {
    const out = new Array<string>(this.num());
    for (let i = 0; i < out.length; i++) out[i] = this.str();
    return out;
  }
}

function readRecord(r: Reader, type: BagRecord['type']): BagRecord {
  if (type === 'IO') return { type, id: r.str(), kenmerk: r.str(), inOnderzoek: r.num() === 1, begin: r.str(), eind: r.text() };
  // Fields are read into locals in the order they were written, then put in the object.
  const id = r.str(), voorkomen = r.num(), begin = r.str(), eind = r.text(), status = r.text();
  switch (type) {
    case 'VBO': {
      const gebruiksdoelen = r.list(), oppervlakte = r.numOrNull(), x = r.numOrNull(), y = r.numOrNull(), hoofdadres = r.text();
      const nevenadressen = r.list(), panden = r.list();
      return { type, id, voorkomen, begin, eind, status, gebruiksdoelen, oppervlakte, x, y, hoofdadres, nevenadressen, panden };
    }
    case 'NUM': {
      const postcode = r.text(), huisnummer = r.numOrNull(), huisletter = r.text(), toevoeging = r.text(), oprId = r.text();
      return { type, id, voorkomen, begin, eind, status, postcode, huisnummer, huisletter, toevoeging, oprId };
    }
    case 'OPR': { const naam = r.text(), wplId = r.text(); return { type, id, voorkomen, begin, eind, status, naam, wplId }; }
    case 'WPL': return { type, id, voorkomen, begin, eind, status, naam: r.text() };
    case 'PND': return { type, id, voorkomen, begin, eind, status, bouwjaar: r.numOrNull() };
  }
}

export function decodeItems(p: PackedItems): BagItem[] {
  const r = new Reader(p);
  const out: BagItem[] = [];
  let o = 0;
  while (r.n < p.numbers.length) {
    const code = r.num();
    if (code === OTHER) { out.push(p.others[o++]!); continue; }
    const position = r.num();
    out.push({ kind: 'record', file: p.file, position, record: readRecord(r, TYPES[code]!) });
  }
  return out;
}
