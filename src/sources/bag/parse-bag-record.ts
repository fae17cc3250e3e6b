/**
 * Turns the text of one `<sl:stand>` record of an LVBAG 2.0 extract into a {@link BagRecord}.
 * Elements are matched by local name (files do not always use the same namespace prefixes); values
 * stay strings until mapped, so ids keep their leading zeros.
 */
import { bagDate } from '../../util/dates.ts';
import { decimal } from '../../util/decimal.ts';
import type { BagRecord, Geldigheid } from './bag-records.ts';
import { child, parseRecordAt, parseXmlRecord, path, textOf, texts, XmlRecordError, type XmlBytes, type XmlElement } from './xml-record.ts';

export type ParseOutcome =
  | { ok: true; record: BagRecord }
  | { ok: false; reason: 'invalid-xml' | 'unknown-object-type'; message: string }
  | { ok: 'skip'; objectType: string; why: string };

function num(v: string | null): number | null {
  if (v === null) return null;
  const n = decimal(v);
  return Number.isFinite(n) ? n : null;
}

/** Reads Historie:Voorkomen; a message when the dates are unusable. */
function geldigheid(o: XmlElement): Geldigheid | string {
  const v = path(o, 'voorkomen', 'Voorkomen');
  const begin = bagDate(textOf(child(v, 'beginGeldigheid')) ?? undefined);
  if (begin === null) return 'voorkomen has no valid beginGeldigheid';
  const eindText = textOf(child(v, 'eindGeldigheid'));
  const eind = eindText === null ? null : bagDate(eindText);
  if (eindText !== null && eind === null) return `eindGeldigheid "${eindText}" is not a date`;
  const voorkomen = num(textOf(child(v, 'voorkomenidentificatie')));
  if (voorkomen === null) return 'voorkomen has no voorkomenidentificatie';
  return { voorkomen, begin, eind, status: textOf(child(o, 'status')) };
}

/** The voorkomen is marked inactive or niet-BAG in the national copy. */
function inactive(o: XmlElement): string | null {
  const lv = path(o, 'voorkomen', 'Voorkomen', 'BeschikbaarLV');
  if (child(lv, 'tijdstipInactiefLV') || child(lv, 'tijdstipInactief')) return 'inactief';
  if (child(lv, 'tijdstipNietBagLV')) return 'niet-BAG';
  return null;
}

function point(o: XmlElement): { x: number | null; y: number | null } {
  const pos = textOf(path(o, 'geometrie', 'punt', 'Point', 'pos'));
  if (!pos) return { x: null, y: null };
  const fast = pointFast(pos);
  if (fast) return fast;
  const [x, y] = pos.split(/\s+/).map(Number);
  return { x: Number.isFinite(x) ? x! : null, y: Number.isFinite(y) ? y! : null };
}

/**
 * The usual "x y z" (single spaces) without a regular expression: a VBO each, millions of them. Null
 * where it is anything else (then the split above decides): Number() reads a lone number with white
 * space around it and refuses anything with white space inside, so a blank part is the one case to
 * refuse here.
 */
function pointFast(pos: string): { x: number; y: number } | null {
  const a = pos.indexOf(' ');
  if (a <= 0) return null;
  const b = pos.indexOf(' ', a + 1);
  const ys = b === -1 ? pos.slice(a + 1) : pos.slice(a + 1, b);
  if (ys.trim() === '') return null;
  const x = decimal(pos, 0, a);
  const y = b === -1 ? decimal(pos, a + 1, pos.length) : decimal(pos, a + 1, b);
  return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
}

/**
 * The texts of the `ref` elements in every child `name` of `o`, in order (a VBO's nevenadressen and
 * panden): one loop, not a filter and a flatMap with their arrays and closures, a VBO each.
 */
function refsUnder(o: XmlElement, name: string, ref: string): string[] {
  const out: string[] = [];
  const cs = o.children;
  for (let k = 0; k < cs.length; k++) if (cs[k]!.name === name) for (const t of texts(cs[k], ref)) out.push(t);
  return out;
}

/** A VBO's gebruiksdoelen, each once, sorted (most have one). */
function gebruiksdoelen(o: XmlElement): string[] {
  const all = texts(o, 'gebruiksdoel');
  return all.length < 2 ? all : [...new Set(all)].sort();
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

/**
 * Reads a record in place as `cutRecords` finds it (a `RecordReader`): parsed, leaving out what is
 * never read, and mapped at once, so its element tree is garbage before the next record is read.
 */
export function readBagRecordAt(bytes: XmlBytes, start: number): { value: ParseOutcome; end: number } | null {
  const r = parseRecordAt(bytes, start, UNREAD);
  return r && { value: mapStand(r.element), end: r.end };
}

/**
 * Parses and maps one record, as cut by `cutRecords`: its UTF-8 bytes. Malformed XML is an outcome,
 * never a throw.
 */
export function parseBagRecord(xml: Uint8Array): ParseOutcome {
  let stand: XmlElement;
  try {
    stand = parseXmlRecord(xml, UNREAD);
  } catch (err) {
    if (err instanceof XmlRecordError) return { ok: false, reason: 'invalid-xml', message: `malformed XML: ${err.message} (in the record)` };
    throw err;
  }
  return mapStand(stand);
}

/** A parsed `<sl:stand>` record as a {@link BagRecord}, or why not. */
function mapStand(stand: XmlElement): ParseOutcome {
  const kenmerk = child(stand, 'kenmerkInOnderzoek');
  if (kenmerk) return inOnderzoek(kenmerk);
  const bagObject = child(stand, 'bagObject');
  const o = bagObject?.children[0];
  if (!o) return { ok: false, reason: 'invalid-xml', message: 'record holds no bagObject' };
  const objectType = o.name;
  if (KNOWN_SKIPPED.has(objectType)) return { ok: 'skip', objectType, why: 'not used by the screen' };
  if (!KNOWN.has(objectType)) return { ok: false, reason: 'unknown-object-type', message: `unknown BAG object type "${objectType}"` };
  const id = textOf(child(o, 'identificatie'));
  if (id === null) return { ok: false, reason: 'invalid-xml', message: `${objectType} without identificatie` };
  const g = geldigheid(o);
  if (typeof g === 'string') return { ok: false, reason: 'invalid-xml', message: `${objectType} ${id}: ${g}` };
  const why = inactive(o);
  if (why) return { ok: 'skip', objectType, why };
  switch (objectType) {
    case 'Verblijfsobject': {
      const { x, y } = point(o);
      return {
        ok: true,
        record: {
          type: 'VBO', id, voorkomen: g.voorkomen, begin: g.begin, eind: g.eind, status: g.status,
          gebruiksdoelen: gebruiksdoelen(o),
          oppervlakte: num(textOf(child(o, 'oppervlakte'))),
          x, y,
          hoofdadres: texts(child(o, 'heeftAlsHoofdadres'), 'NummeraanduidingRef')[0] ?? null,
          nevenadressen: refsUnder(o, 'heeftAlsNevenadres', 'NummeraanduidingRef'),
          panden: refsUnder(o, 'maaktDeelUitVan', 'PandRef'),
        },
      };
    }
    case 'Nummeraanduiding':
      return {
        ok: true,
        record: {
          type: 'NUM', id, voorkomen: g.voorkomen, begin: g.begin, eind: g.eind, status: g.status,
          postcode: textOf(child(o, 'postcode'))?.replace(/\s/g, '').toUpperCase() ?? null,
          huisnummer: num(textOf(child(o, 'huisnummer'))),
          huisletter: textOf(child(o, 'huisletter'))?.toUpperCase() ?? null,
          toevoeging: textOf(child(o, 'huisnummertoevoeging'))?.toUpperCase() ?? null,
          oprId: textOf(path(o, 'ligtAan', 'OpenbareRuimteRef')),
        },
      };
    case 'OpenbareRuimte':
      return { ok: true, record: { type: 'OPR', id, voorkomen: g.voorkomen, begin: g.begin, eind: g.eind, status: g.status, naam: textOf(child(o, 'naam')), wplId: textOf(path(o, 'ligtIn', 'WoonplaatsRef')) } };
    case 'Woonplaats':
      return { ok: true, record: { type: 'WPL', id, voorkomen: g.voorkomen, begin: g.begin, eind: g.eind, status: g.status, naam: textOf(child(o, 'naam')) } };
    default: {
      const broken = brokenPolygon(o);
      if (broken) return { ok: false, reason: 'invalid-xml', message: `Pand ${id}: broken polygon (${broken})` };
      return { ok: true, record: { type: 'PND', id, voorkomen: g.voorkomen, begin: g.begin, eind: g.eind, status: g.status, bouwjaar: num(textOf(child(o, 'oorspronkelijkBouwjaar'))) } };
    }
  }
}

function inOnderzoek(k: XmlElement): ParseOutcome {
  const o = k.children[0];
  const idEl = o?.children.find((c) => c.name.startsWith('identificatieVan'));
  const id = textOf(idEl);
  const h = path(o, 'historieInOnderzoek', 'HistorieInOnderzoek');
  const begin = bagDate(textOf(child(h, 'beginGeldigheid')) ?? undefined);
  if (!o || !id || !begin) return { ok: false, reason: 'invalid-xml', message: 'KenmerkInOnderzoek without object id or beginGeldigheid' };
  const eindText = textOf(child(h, 'eindGeldigheid'));
  return {
    ok: true,
    record: { type: 'IO', id, kenmerk: textOf(child(o, 'kenmerk')) ?? '', inOnderzoek: textOf(child(o, 'inOnderzoek')) === 'J', begin, eind: eindText === null ? null : bagDate(eindText) },
  };
}
