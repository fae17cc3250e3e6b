/**
 * BAG items on their way from a parser thread to the loading thread, packed: the records' numbers in
 * one Float64Array, their texts run together in one string with each text's length in an Int32Array
 * (-1 for null), and a record's fields in a fixed order per type, so no key and no tag travels. The
 * arrays are handed over (transferred), the string copied once; the receiver slices the texts out
 * and builds each record object once. The parser thread makes no record object: it writes each
 * record's fields here as it maps them ({@link ItemWriter}).
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
  /** Per text of the records, its length in UTF-16 code units (what `slice` counts), or -1: null. */
  lengths: Int32Array;
  texts: string;
  others: Other[];
}

const TYPES = ['VBO', 'NUM', 'OPR', 'WPL', 'PND', 'IO'] as const satisfies readonly BagRecord['type'][];
/** A record type's code: its index in TYPES. */
const CODE = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Record<BagRecord['type'], number>;
const OTHER = -1;

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
  private n = 0;
  private t = 0;
  private texts: string[] = [];
  private others: Other[] = [];
  /** Items written since the last {@link take}. */
  items = 0;

  constructor(private readonly room = 500) {
    this.numbers = new Float64Array(Math.max(16, room * 12));
    this.lengths = new Int32Array(Math.max(16, room * 12));
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

  private text(v: string | null): void {
    if (this.t === this.lengths.length) { const a = new Int32Array(this.t * 2); a.set(this.lengths); this.lengths = a; }
    if (v === null) { this.lengths[this.t++] = -1; return; }
    this.lengths[this.t++] = v.length;
    this.texts.push(v);
  }

  private list(vs: readonly string[]): void {
    this.num(vs.length);
    for (let i = 0; i < vs.length; i++) this.text(vs[i]!);
  }

  /** Starts a record of a type with voorkomens: the fields they all have. Its type's fields follow. */
  voorkomen(type: Exclude<BagRecord['type'], 'IO'>, position: number, id: string, voorkomen: number, begin: string, eind: string | null, status: string | null): void {
    this.items++;
    this.num(CODE[type]);
    this.num(position);
    this.text(id);
    this.num(voorkomen);
    this.text(begin);
    this.text(eind);
    this.text(status);
  }

  vbo(gebruiksdoelen: readonly string[], oppervlakte: number | null, x: number | null, y: number | null, hoofdadres: string | null, nevenadressen: readonly string[], panden: readonly string[]): void {
    this.list(gebruiksdoelen); this.numOrNull(oppervlakte); this.numOrNull(x); this.numOrNull(y);
    this.text(hoofdadres); this.list(nevenadressen); this.list(panden);
  }

  nummeraanduiding(postcode: string | null, huisnummer: number | null, huisletter: string | null, toevoeging: string | null, oprId: string | null): void {
    this.text(postcode); this.numOrNull(huisnummer); this.text(huisletter); this.text(toevoeging); this.text(oprId);
  }

  openbareRuimte(naam: string | null, wplId: string | null): void { this.text(naam); this.text(wplId); }

  woonplaats(naam: string | null): void { this.text(naam); }

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
    const p: PackedItems = { file, numbers: this.numbers.subarray(0, this.n), lengths: this.lengths.subarray(0, this.t), texts: this.texts.join(''), others: this.others };
    this.numbers = new Float64Array(Math.max(16, this.room * 12));
    this.lengths = new Int32Array(Math.max(16, this.room * 12));
    this.n = 0;
    this.t = 0;
    this.texts = [];
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
  return [p.numbers.buffer, p.lengths.buffer] as ArrayBuffer[];
}

/** Reads the values back in the order the {@link ItemWriter} wrote them. */
class Reader {
  n = 0;
  t = 0;
  at = 0;
  constructor(private readonly p: PackedItems) {}

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
    return this.p.texts.slice(start, this.at);
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
