/**
 * Turns the text of one `<sl:stand>` record of an LVBAG 2.0 extract into a {@link BagRecord}, written
 * packed for the loading thread as it is mapped (`item-codec.ts`).
 * Elements are matched by local name (files do not always use the same namespace prefixes); values
 * stay text until mapped (strings, or spans of the XML's bytes handed on as they are), so ids keep
 * their leading zeros.
 */
import { bagDate, isIsoDateAt } from '../../util/dates.ts';
import { decimal } from '../../util/decimal.ts';
import type { BagRecord } from './bag-records.ts';
import { decodeItems, ItemWriter, type Text } from './item-codec.ts';
import { child, parseRecordAt, parseXmlRecord, path, textOf, texts, trimSpan, XmlRecordError, type XmlBytes, type XmlElement } from './xml-record.ts';

export type ParseOutcome =
  | { ok: true; record: BagRecord }
  | { ok: false; reason: 'invalid-xml' | 'unknown-object-type'; message: string }
  | { ok: 'skip'; objectType: string; why: string };

/** White space as `trim` and `\s` see it, among bytes below 128. */
function isBlankByte(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * The element's text as a number (as `Number` reads it), null where there is none or it is not a
 * finite number; read from the bytes where the text is a span.
 */
function numIn(el: XmlElement | undefined): number | null {
  let n: number;
  if (el && el.ts !== -1) {
    if (!trimSpan(el)) return null;
    n = decimal(el.src!.b, el.ts, el.te);
  } else {
    const t = textOf(el);
    if (t === null) return null;
    n = Number(t);
  }
  return Number.isFinite(n) ? n : null;
}

/**
 * The element's trimmed text as the writer takes it: the element itself where its text is a span
 * (bytes, no string made of them: ids, references, statuses), else the string; null where none.
 */
function textIn(el: XmlElement | undefined): Text {
  if (!el) return null;
  if (el.ts !== -1) return trimSpan(el) ? el : null;
  return textOf(el);
}

/** {@link bagDate} of the element's text, as the writer takes it: a span of its first ten bytes where they are the date. */
function dateIn(el: XmlElement | undefined): Text {
  if (el && el.ts !== -1 && trimSpan(el) && el.te - el.ts >= 10 && isIsoDateAt(el.src!.b, el.ts)) {
    el.te = el.ts + 10;
    return el;
  }
  return bagDate(textOf(el) ?? undefined);
}

/**
 * The element's text in capitals, and without white space where `squeeze` (a postcode), as the
 * writer takes it: the span itself where it is so already.
 */
function capitalsIn(el: XmlElement | undefined, squeeze: boolean): Text {
  if (el && el.ts !== -1) {
    if (!trimSpan(el)) return null;
    const b = el.src!.b;
    let k = el.ts;
    for (; k < el.te; k++) { const c = b[k]!; if ((c >= 97 && c <= 122) || (squeeze && isBlankByte(c))) break; }
    if (k === el.te) return el;
  }
  const t = textOf(el);
  return t === null ? null : squeeze ? t.replace(/\s/g, '').toUpperCase() : t.toUpperCase();
}

/** What every voorkomen has (`Geldigheid` of `bag-records.ts`), as the writer takes it. */
interface GeldigheidIn { voorkomen: number; begin: Text; eind: Text; status: Text }

/** Reads Historie:Voorkomen; a message when the dates are unusable. */
function geldigheid(o: XmlElement): GeldigheidIn | string {
  const v = path(o, 'voorkomen', 'Voorkomen');
  const begin = dateIn(child(v, 'beginGeldigheid'));
  if (begin === null) return 'voorkomen has no valid beginGeldigheid';
  const eindEl = child(v, 'eindGeldigheid');
  const eind = dateIn(eindEl);
  if (eind === null && textOf(eindEl) !== null) return `eindGeldigheid "${textOf(eindEl)}" is not a date`;
  const voorkomen = numIn(child(v, 'voorkomenidentificatie'));
  if (voorkomen === null) return 'voorkomen has no voorkomenidentificatie';
  return { voorkomen, begin, eind, status: textIn(child(o, 'status')) };
}

/** The voorkomen is marked inactive or niet-BAG in the national copy. */
function inactive(o: XmlElement): string | null {
  const lv = path(o, 'voorkomen', 'Voorkomen', 'BeschikbaarLV');
  if (child(lv, 'tijdstipInactiefLV') || child(lv, 'tijdstipInactief')) return 'inactief';
  if (child(lv, 'tijdstipNietBagLV')) return 'niet-BAG';
  return null;
}

function point(o: XmlElement): { x: number | null; y: number | null } {
  const el = path(o, 'geometrie', 'punt', 'Point', 'pos');
  if (el && el.ts !== -1 && trimSpan(el)) {
    const fast = pointFast(el.src!.b, el.ts, el.te);
    if (fast) return fast;
  }
  const pos = textOf(el);
  if (!pos) return { x: null, y: null };
  const [x, y] = pos.split(/\s+/).map(Number);
  return { x: Number.isFinite(x) ? x! : null, y: Number.isFinite(y) ? y! : null };
}

/**
 * The usual "x y z" (single spaces), read from the trimmed bytes b[from, to) without a string or a
 * regular expression: a VBO each, millions of them. Null where it is anything else (then the split
 * above decides): Number() reads a lone number with white space around it and refuses anything with
 * white space inside, so a blank part is the one case to refuse here.
 */
function pointFast(b: Uint8Array, from: number, to: number): { x: number; y: number } | null {
  let a = from;
  while (a < to && b[a] !== 32) a++;
  if (a === from || a === to) return null;
  let e = a + 1;
  while (e < to && b[e] !== 32) e++;
  let k = a + 1;
  while (k < e && isBlankByte(b[k]!)) k++;
  if (k === e) return null; // y is blank
  const x = decimal(b, from, a);
  const y = decimal(b, a + 1, e);
  return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
}

/** No texts: what most VBOs have as nevenadressen (no array made for each). */
const NONE: readonly Text[] = Object.freeze([]);

/**
 * The texts of the `ref` elements in every child `name` of `o`, in order (a VBO's nevenadressen and
 * panden): one loop, not a filter and a flatMap with their arrays and closures, a VBO each, and an
 * array only where there is a text.
 */
function refsUnder(o: XmlElement, name: string, ref: string): readonly Text[] {
  let out: Text[] | null = null;
  const cs = o.children;
  for (let k = 0; k < cs.length; k++) {
    if (cs[k]!.name !== name) continue;
    const rs = cs[k]!.children;
    for (let j = 0; j < rs.length; j++) if (rs[j]!.name === ref) { const t = textIn(rs[j]); if (t !== null) (out ??= []).push(t); }
  }
  return out ?? NONE;
}

/** The first text of the children `name` of `el` (what `texts(el, name)[0]` is, without the array). */
function firstText(el: XmlElement | undefined, name: string): Text {
  if (!el) return null;
  const cs = el.children;
  for (let k = 0; k < cs.length; k++) if (cs[k]!.name === name) { const t = textIn(cs[k]); if (t !== null) return t; }
  return null;
}

/**
 * Checks a Pand's outline the way a GIS would refuse it: coordinates that are numbers, a count that
 * fits the dimension, at least four points, and a closed ring. Returns what is wrong, or null.
 */
function brokenPolygon(o: XmlElement): string | null {
  const polygon = path(o, 'geometrie', 'Polygon');
  if (!polygon) return null;
  const rings = [child(polygon, 'exterior'), ...polygon.children.filter((c) => c.name === 'interior')];
  for (const ring of rings) {
    const list = textOf(path(ring, 'LinearRing', 'posList'));
    if (list === null) return 'ring without posList';
    const nums = list.split(/\s+/).map(Number);
    if (nums.some((n) => !Number.isFinite(n))) return 'coordinates that are not numbers';
    // The attributes (srsDimension) are not kept; LVBAG writes 3D rings with z = 0.
    const dim = nums.length % 3 === 0 && nums.every((n, i) => i % 3 !== 2 || n === 0) ? 3 : 2;
    if (nums.length % dim !== 0) return `${nums.length} numbers do not make ${dim}-dimensional points`;
    const points = nums.length / dim;
    if (points < 4) return `${points} points; a ring needs at least 4`;
    for (let d = 0; d < dim; d++) if (nums[d] !== nums[nums.length - dim + d]) return 'the ring is not closed';
  }
  return null;
}

const KNOWN_SKIPPED = new Set(['Ligplaats', 'Standplaats']);

/**
 * Elements of every voorkomen that nothing here reads: registration times and the source document.
 * Left out of the parsed tree (still checked): a fifth of a record's elements.
 */
const UNREAD = new Set(['tijdstipRegistratie', 'tijdstipRegistratieLV', 'documentdatum', 'documentnummer', 'geconstateerd', 'typeAdresseerbaarObject']);
const KNOWN = new Set(['Verblijfsobject', 'Nummeraanduiding', 'OpenbareRuimte', 'Woonplaats', 'Pand']);

/** What a record that is not loaded comes to: a reject, or a record skipped (and counted). */
export type Refusal = Exclude<ParseOutcome, { ok: true }>;

/**
 * Where the parser puts what it reads: records into `writer` as it maps them (no record object in
 * between), anything else to `refused`, with the record's position.
 */
export interface StandOut { writer: ItemWriter; refused(position: number, why: Refusal): void }

/**
 * Reads a record in place as `cutRecords` finds it (see `parseRecordAt`): parsed, leaving out what
 * is never read, and mapped into `out` at once, so its element tree is garbage before the next record
 * is read. Returns where the record ends, or -1 where it is to be cut at its end tag and parsed alone
 * ({@link parseBagRecordInto}); then nothing was written.
 */
export function readBagRecordInto(bytes: XmlBytes, start: number, position: number, out: StandOut): number {
  const r = parseRecordAt(bytes, start, UNREAD);
  if (r === null) return -1;
  mapInto(r.element, position, out);
  return r.end;
}

/**
 * Parses and maps one record, as cut by `cutRecords` (its UTF-8 bytes), into `out`. Malformed XML is
 * a refusal, never a throw.
 */
export function parseBagRecordInto(xml: Uint8Array, position: number, out: StandOut): void {
  let stand: XmlElement;
  try {
    stand = parseXmlRecord(xml, UNREAD);
  } catch (err) {
    if (err instanceof XmlRecordError) { out.refused(position, { ok: false, reason: 'invalid-xml', message: `malformed XML: ${err.message} (in the record)` }); return; }
    throw err;
  }
  mapInto(stand, position, out);
}

/** A parsed record written to `out`, or refused there. */
function mapInto(stand: XmlElement, position: number, out: StandOut): void {
  const why = mapStand(stand, out.writer, position);
  if (why !== null) out.refused(position, why);
}

/**
 * What one record came to as an object, read by way of the same writer (for tests and tools, not
 * the reader); null where nothing was written or refused (a record to be cut first).
 */
function oneOutcome(read: (out: StandOut) => void): ParseOutcome | null {
  let outcome: ParseOutcome | null = null;
  const writer = new ItemWriter(1);
  read({ writer, refused: (_, why) => { outcome = why; } });
  if (outcome !== null) return outcome;
  const [item] = decodeItems(writer.take(''));
  return item?.kind === 'record' ? { ok: true, record: item.record } : null;
}

/** {@link parseBagRecordInto}, for one record: what it comes to. */
export function parseBagRecord(xml: Uint8Array): ParseOutcome {
  return oneOutcome((out) => parseBagRecordInto(xml, 0, out))!;
}

/** {@link readBagRecordInto}, for one record: what it comes to and where it ends, or null (cut it). */
export function readBagRecordAt(bytes: XmlBytes, start: number): { value: ParseOutcome; end: number } | null {
  let end = -1;
  const value = oneOutcome((out) => { end = readBagRecordInto(bytes, start, 0, out); });
  return end === -1 || value === null ? null : { value, end };
}

/** A VBO's gebruiksdoelen, each once, sorted (most have one: then no set and no sort, and no string made). */
function gebruiksdoelen(o: XmlElement): readonly Text[] {
  const cs = o.children;
  let one: Text = null;
  for (let k = 0; k < cs.length; k++) {
    if (cs[k]!.name !== 'gebruiksdoel') continue;
    const t = textIn(cs[k]);
    if (t === null) continue;
    if (one !== null) return [...new Set(texts(o, 'gebruiksdoel'))].sort();
    one = t;
  }
  return one === null ? NONE : [one];
}

/**
 * Writes a parsed `<sl:stand>` record to `w` (see {@link ItemWriter}), or says why not (then nothing
 * is written: every reason to refuse is known before the first field is written).
 */
function mapStand(stand: XmlElement, w: ItemWriter, position: number): Refusal | null {
  const kenmerk = child(stand, 'kenmerkInOnderzoek');
  if (kenmerk) return inOnderzoek(kenmerk, w, position);
  const bagObject = child(stand, 'bagObject');
  const o = bagObject?.children[0];
  if (!o) return { ok: false, reason: 'invalid-xml', message: 'record holds no bagObject' };
  const objectType = o.name;
  if (KNOWN_SKIPPED.has(objectType)) return { ok: 'skip', objectType, why: 'not used by the screen' };
  if (!KNOWN.has(objectType)) return { ok: false, reason: 'unknown-object-type', message: `unknown BAG object type "${objectType}"` };
  const idEl = child(o, 'identificatie');
  const id = textIn(idEl);
  if (id === null) return { ok: false, reason: 'invalid-xml', message: `${objectType} without identificatie` };
  const g = geldigheid(o);
  if (typeof g === 'string') return { ok: false, reason: 'invalid-xml', message: `${objectType} ${textOf(idEl)}: ${g}` };
  const why = inactive(o);
  if (why) return { ok: 'skip', objectType, why };
  switch (objectType) {
    case 'Verblijfsobject': {
      const { x, y } = point(o);
      w.voorkomen('VBO', position, id, g.voorkomen, g.begin, g.eind, g.status);
      w.vbo(
        gebruiksdoelen(o), numIn(child(o, 'oppervlakte')), x, y,
        firstText(child(o, 'heeftAlsHoofdadres'), 'NummeraanduidingRef'),
        refsUnder(o, 'heeftAlsNevenadres', 'NummeraanduidingRef'), refsUnder(o, 'maaktDeelUitVan', 'PandRef'),
      );
      return null;
    }
    case 'Nummeraanduiding':
      w.voorkomen('NUM', position, id, g.voorkomen, g.begin, g.eind, g.status);
      w.nummeraanduiding(
        capitalsIn(child(o, 'postcode'), true),
        numIn(child(o, 'huisnummer')),
        capitalsIn(child(o, 'huisletter'), false),
        capitalsIn(child(o, 'huisnummertoevoeging'), false),
        textIn(path(o, 'ligtAan', 'OpenbareRuimteRef')),
      );
      return null;
    case 'OpenbareRuimte':
      w.voorkomen('OPR', position, id, g.voorkomen, g.begin, g.eind, g.status);
      w.openbareRuimte(textIn(child(o, 'naam')), textIn(path(o, 'ligtIn', 'WoonplaatsRef')));
      return null;
    case 'Woonplaats':
      w.voorkomen('WPL', position, id, g.voorkomen, g.begin, g.eind, g.status);
      w.woonplaats(textIn(child(o, 'naam')));
      return null;
    default: {
      const broken = brokenPolygon(o);
      if (broken) return { ok: false, reason: 'invalid-xml', message: `Pand ${textOf(idEl)}: broken polygon (${broken})` };
      w.voorkomen('PND', position, id, g.voorkomen, g.begin, g.eind, g.status);
      w.pand(numIn(child(o, 'oorspronkelijkBouwjaar')));
      return null;
    }
  }
}

function inOnderzoek(k: XmlElement, w: ItemWriter, position: number): Refusal | null {
  const o = k.children[0];
  const idEl = o?.children.find((c) => c.name.startsWith('identificatieVan'));
  const id = textOf(idEl);
  const h = path(o, 'historieInOnderzoek', 'HistorieInOnderzoek');
  const begin = bagDate(textOf(child(h, 'beginGeldigheid')) ?? undefined);
  if (!o || !id || !begin) return { ok: false, reason: 'invalid-xml', message: 'KenmerkInOnderzoek without object id or beginGeldigheid' };
  const eindText = textOf(child(h, 'eindGeldigheid'));
  w.inOnderzoek(position, id, textOf(child(o, 'kenmerk')) ?? '', textOf(child(o, 'inOnderzoek')) === 'J', begin, eindText === null ? null : bagDate(eindText));
  return null;
}
