/**
 * Turns the text of one `<sl:stand>` record of an LVBAG 2.0 extract into a {@link BagRecord}.
 * Namespace prefixes are dropped (files do not always use the same ones); values stay strings until
 * mapped, so ids keep their leading zeros.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { bagDate } from '../../util/dates.ts';
import type { BagRecord, Geldigheid } from './bag-records.ts';

const ARRAYS = new Set(['gebruiksdoel', 'NummeraanduidingRef', 'PandRef']);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ARRAYS.has(name),
});

export type ParseOutcome =
  | { ok: true; record: BagRecord }
  | { ok: false; reason: 'invalid-xml' | 'unknown-object-type'; message: string }
  | { ok: 'skip'; objectType: string; why: string };

type Node = Record<string, unknown>;

function str(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number') return String(v);
  return null;
}

function num(v: unknown): number | null {
  const s = str(v);
  if (s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function obj(v: unknown): Node {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {};
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.map(str).filter((s): s is string => s !== null);
}

/** Reads Historie:Voorkomen; `null` with a message when the dates are unusable. */
function geldigheid(o: Node): Geldigheid | string {
  const v = obj(obj(o.voorkomen).Voorkomen);
  const begin = bagDate(str(v.beginGeldigheid) ?? undefined);
  if (begin === null) return 'voorkomen has no valid beginGeldigheid';
  const eindText = str(v.eindGeldigheid);
  const eind = eindText === null ? null : bagDate(eindText);
  if (eindText !== null && eind === null) return `eindGeldigheid "${eindText}" is not a date`;
  const voorkomen = num(v.voorkomenidentificatie);
  if (voorkomen === null) return 'voorkomen has no voorkomenidentificatie';
  return { voorkomen, begin, eind, status: str(o.status) };
}

/** True when the voorkomen is marked inactive or niet-BAG in the national copy. */
function inactive(o: Node): string | null {
  const lv = obj(obj(obj(o.voorkomen).Voorkomen).BeschikbaarLV);
  if (lv.tijdstipInactiefLV !== undefined || lv.tijdstipInactief !== undefined) return 'inactief';
  if (lv.tijdstipNietBagLV !== undefined) return 'niet-BAG';
  return null;
}

function point(o: Node): { x: number | null; y: number | null } {
  const geo = obj(o.geometrie);
  const pos = str(obj(obj(geo.punt).Point).pos) ?? str(obj(obj(obj(geo.vlak).Polygon).exterior).pos);
  if (!pos) return { x: null, y: null };
  const [x, y] = pos.split(/\s+/).map(Number);
  return { x: Number.isFinite(x) ? x! : null, y: Number.isFinite(y) ? y! : null };
}

const KNOWN_SKIPPED = new Set(['Ligplaats', 'Standplaats']);

/**
 * Parses one record. The text must not contain a DOCTYPE or entity declaration; the caller refuses
 * those for the whole file before any record is parsed.
 */
export function parseBagRecord(xml: string): ParseOutcome {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return { ok: false, reason: 'invalid-xml', message: `malformed XML: ${valid.err.msg} (line ${valid.err.line} of the record)` };
  }
  const root = obj(parser.parse(xml));
  const stand = obj(root.stand);
  if (stand.kenmerkInOnderzoek !== undefined) return inOnderzoek(obj(stand.kenmerkInOnderzoek));
  const bagObject = obj(stand.bagObject);
  const [objectType] = Object.keys(bagObject);
  if (!objectType) return { ok: false, reason: 'invalid-xml', message: 'record holds no bagObject' };
  const o = obj(bagObject[objectType]);
  if (KNOWN_SKIPPED.has(objectType)) return { ok: 'skip', objectType, why: 'not used by the screen' };
  if (!['Verblijfsobject', 'Nummeraanduiding', 'OpenbareRuimte', 'Woonplaats', 'Pand'].includes(objectType)) {
    return { ok: false, reason: 'unknown-object-type', message: `unknown BAG object type "${objectType}"` };
  }
  const id = str(o.identificatie);
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
          type: 'VBO', id, ...g,
          gebruiksdoelen: [...new Set(list(o.gebruiksdoel))].sort(),
          oppervlakte: num(o.oppervlakte),
          x, y,
          hoofdadres: list(obj(o.heeftAlsHoofdadres).NummeraanduidingRef)[0] ?? null,
          nevenadressen: list(obj(o.heeftAlsNevenadres).NummeraanduidingRef),
          panden: list(obj(o.maaktDeelUitVan).PandRef),
        },
      };
    }
    case 'Nummeraanduiding':
      return {
        ok: true,
        record: {
          type: 'NUM', id, ...g,
          postcode: str(o.postcode)?.replace(/\s/g, '').toUpperCase() ?? null,
          huisnummer: num(o.huisnummer),
          huisletter: str(o.huisletter)?.toUpperCase() ?? null,
          toevoeging: str(o.huisnummertoevoeging)?.toUpperCase() ?? null,
          oprId: str(obj(o.ligtAan).OpenbareRuimteRef),
        },
      };
    case 'OpenbareRuimte':
      return { ok: true, record: { type: 'OPR', id, ...g, naam: str(o.naam), wplId: str(obj(o.ligtIn).WoonplaatsRef) } };
    case 'Woonplaats':
      return { ok: true, record: { type: 'WPL', id, ...g, naam: str(o.naam) } };
    default:
      return { ok: true, record: { type: 'PND', id, ...g, bouwjaar: num(o.oorspronkelijkBouwjaar) } };
  }
}

function inOnderzoek(k: Node): ParseOutcome {
  const [kind] = Object.keys(k);
  const o = obj(kind ? k[kind] : undefined);
  const idKey = Object.keys(o).find((key) => key.startsWith('identificatieVan'));
  const id = idKey ? str(o[idKey]) : null;
  const h = obj(obj(o.historieInOnderzoek).HistorieInOnderzoek);
  const begin = bagDate(str(h.beginGeldigheid) ?? undefined);
  if (!id || !begin) return { ok: false, reason: 'invalid-xml', message: 'KenmerkInOnderzoek without object id or beginGeldigheid' };
  const eindText = str(h.eindGeldigheid);
  return {
    ok: true,
    record: {
      type: 'IO', id, kenmerk: str(o.kenmerk) ?? '', inOnderzoek: str(o.inOnderzoek) === 'J',
      begin, eind: eindText === null ? null : bagDate(eindText),
    },
  };
}
