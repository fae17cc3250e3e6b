/**
 * Generates a synthetic input folder of N units with national proportions, streamed to disk (never
 * held in memory) and cached per N: BAG as LVBAG 2.0 XML in files of 10,000 records with about 1.5
 * voorkomens per unit, rights ≈ 1.1 per unit, transfers ≈ 0.25, mortgages ≈ 0.2, WOZ 1, KvK
 * establishments ≈ 0.15, permits and subsidies ≈ 0.01, signals ≈ 0.001, and planted patterns at a
 * low rate (one unit in 2,000 or fewer each) so that every rule has hits to find and evidence to
 * gather, as in the demo fixtures; a few VBOs in a hundred have two gebruiksdoelen or a nevenadres, as
 * some in the registry do. Deterministic for a given N and order.
 *
 * `order: 'key'` (the default) writes the units in id order, so every file's records come sorted by
 * their ids: the favourable case for the loaders, whose b-tree inserts then append. A registry's export
 * need not be sorted by the ids the tables are keyed on; `order: 'shuffled'` writes the same kinds of
 * records for the units in a scrambled order (step s writes unit (a·s) mod N, a about 0.618·N and
 * coprime to N: a permutation without holding N of anything), so inserts land all over the indexes.
 *
 * `addressIds: 'follow'` (the default) gives unit i the hoofdadres NUM i, so a unit's address comes
 * next to its neighbour's in every table keyed by address: another favourable case, as the registry's
 * ids are not related so. `'scrambled'` numbers the addresses by another permutation of the units
 * (the NUM files still in id order where the order is `key`), so that linking units to their addresses
 * looks them up all over the address tables; everything else is written as with `follow`.
 *
 * `layout: 'compact'` (the default) writes each BAG record on one line; `'indented'` lays it out as
 * Kadaster's files are, an element a line, indented (about 2.3 KB a VBO record instead of 1.5): the
 * same records, in more bytes, most of the extra white space between tags.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_FOOTER, fileHeader, indentedRecord, numXml, oprXml, vboXml, wplXml } from '../../scripts/lvbag-xml.ts';

class Out {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  constructor(path: string) { this.fd = openSync(path, 'w'); }
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
  close(): void { this.flush(); closeSync(this.fd); }
}

/** A rotating set of files of at most `per` records each, with header and footer. */
class XmlFiles {
  private out: Out | null = null;
  private count = 0;
  private index = 0;
  constructor(private dir: string, private type: string, private layout: XmlLayout, private per = 10_000) {}
  add(record: string): void {
    if (!this.out || this.count >= this.per) {
      this.close();
      this.index++;
      this.out = new Out(join(this.dir, `9999${this.type}01102026-${String(this.index).padStart(6, '0')}.xml`));
      this.out.write(fileHeader('9999', this.type, '2026-10-01'));
      this.count = 0;
    }
    this.out.write(this.layout === 'indented' ? indentedRecord(record) : record);
    this.count++;
  }
  close(): void {
    if (this.out) { this.out.write(FILE_FOOTER); this.out.close(); this.out = null; }
  }
}

function csvLine(values: (string | number | null)[]): string {
  return `${values.map((v) => (v === null ? '' : String(v))).join(',')}\n`;
}

/** Which pattern is planted at units whose number mod 2,000 is the key (units mod 4 = 0 have a transfer). */
const PLANTS = new Map<number, string>([
  [8, 'foreign-lender'], [12, 'overfinancing'], [16, 'price-woz'], [20, 'opaque-owner'],
  [24, 'quick-resale'], [28, 'frequent'], [32, 'related-party'],
]);

/**
 * Units (by number mod 100) whose VBO departs from the common case, as some in the registry do: four
 * in a hundred have two gebruiksdoelen (a dwelling with a shop, an office or a meeting place), one in
 * a hundred a second address (a nevenadres, with a NUM record of its own). All are units mod 4 = 1,
 * which carry no planted pattern, so every rule's planted hits stay as they were.
 */
const MIXED_USE = new Set([13, 29, 49, 89]);
const WITH_NEVENADRES = 57;

/** Written into `.complete`: an input made by an older generator is made anew (3: mixed use and nevenadressen). */
const GENERATOR_VERSION = '3';

export interface GeneratedInput { dir: string; units: number; bagBytes: number; cached: boolean }

export type InputOrder = 'key' | 'shuffled';
export type AddressIds = 'follow' | 'scrambled';
export type XmlLayout = 'compact' | 'indented';

/**
 * A scramble of 0..n-1 that is a permutation, x → (a·x) mod n with a about `share`·n and coprime to n,
 * and its inverse. A share far from a simple fraction (the golden ratio's) makes consecutive x land far
 * apart all over 0..n-1 (a multiplier near a multiple of n would step through them almost in order);
 * n-1 is coprime to n, so the search ends below n.
 */
function scramble(n: number, share: number): { at: (x: number) => number; inverse: (y: number) => number } {
  if (n < 2) return { at: (x) => x, inverse: (y) => y };
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let a = Math.max(1, Math.floor(n * share));
  while (gcd(a, n) !== 1) a++;
  // a's inverse mod n, by the extended Euclidean algorithm.
  let [r0, r1, t0, t1] = [BigInt(n), BigInt(a), 0n, 1n];
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1, t0, t1] = [r1, r0 - q * r1, t1, t0 - q * t1]; }
  const N = BigInt(n);
  const ai = ((t0 % N) + N) % N;
  return { at: (x) => Number((BigInt(x) * BigInt(a)) % N), inverse: (y) => Number((BigInt(y) * ai) % N) };
}

/** The unit written at each step: i itself, or a scramble of 0..n-1 that is a permutation. */
export function unitOrder(units: number, order: InputOrder): (step: number) => number {
  return order === 'key' ? (step) => step : scramble(units, 0.6180339887).at;
}

/**
 * The number of unit i's addresses (its hoofdadres NUM and, where it has one, its nevenadres), and
 * the unit whose addresses have number j: i itself, or another scramble than the order's (the
 * plastic number's share: with the order's own, a shuffled input would write its addresses in id order).
 */
export function addressNumbering(units: number, ids: AddressIds): { of: (unit: number) => number; unitOf: (number: number) => number } {
  if (ids === 'follow') return { of: (i) => i, unitOf: (j) => j };
  const s = scramble(units, 0.7548776662);
  return { of: s.at, unitOf: s.inverse };
}

export function generateInput(root: string, units: number, order: InputOrder = 'key', addressIds: AddressIds = 'follow', layout: XmlLayout = 'compact'): GeneratedInput {
  const dir = join(root, `units-${units}${order === 'key' ? '' : `-${order}`}${addressIds === 'follow' ? '' : '-scrambled-ids'}${layout === 'compact' ? '' : '-indented'}`);
  if (existsSync(join(dir, '.complete')) && readFileSync(join(dir, '.complete'), 'utf8') === GENERATOR_VERSION) return { dir, units, bagBytes: 0, cached: true };
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'bag'), { recursive: true });
  let seed = units;
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const vbo = new XmlFiles(join(tmp, 'bag'), 'VBO', layout);
  const num = new XmlFiles(join(tmp, 'bag'), 'NUM', layout);
  const opr = new XmlFiles(join(tmp, 'bag'), 'OPR', layout);
  const wpl = new XmlFiles(join(tmp, 'bag'), 'WPL', layout);
  const files = {
    personen: new Out(join(tmp, 'personen.csv')), rechten: new Out(join(tmp, 'rechten.csv')), transacties: new Out(join(tmp, 'transacties.csv')),
    hypotheken: new Out(join(tmp, 'hypotheken.csv')), woz: new Out(join(tmp, 'woz.csv')), kvk: new Out(join(tmp, 'kvk.csv')),
    vergunningen: new Out(join(tmp, 'vergunningen.csv')), subsidies: new Out(join(tmp, 'subsidies.csv')), signalen: new Out(join(tmp, 'signalen.csv')),
  };
  files.personen.write('persoon_id,soort,naam,geboortedatum,kvk_nummer,rechtsvorm,land,postcode,huisnummer\n');
  files.rechten.write('recht_id,vbo_id,soort_recht,persoon_id,aandeel,ingangsdatum,einddatum\n');
  files.transacties.write('transactie_id,vbo_id,datum,koopsom,koper_ids,verkoper_ids,meerdere_objecten\n');
  files.hypotheken.write('hypotheek_id,vbo_id,datum,bedrag,hypotheekgever_id,hypotheekhouder_id,hypotheekhouder_type,einddatum\n');
  files.woz.write('vbo_id,peildatum,waarde\n');
  files.kvk.write('kvk_nummer,vestigingsnummer,naam,rechtsvorm,datum_oprichting,datum_opheffing,sbi_codes,vbo_id,land\n');
  files.vergunningen.write('aanvraag_id,soort,gevraagd_gebruik,vbo_id,aanvrager_naam,aanvrager_kvk,datum_aanvraag,status\n');
  files.subsidies.write('aanvraag_id,soort,bedrag,vbo_id,aanvrager_naam,aanvrager_kvk,datum_aanvraag,status\n');
  files.signalen.write('signaal_id,naam,kvk_nummer,geboortedatum,bron,datum,omschrijving\n');
  const FIRST = ['Jan', 'Piet', 'Anna', 'Maria', 'Kees', 'Sanne', 'Tom', 'Lotte', 'Bram', 'Eva', 'Luuk', 'Noor', 'Ruud', 'Fleur', 'Sjef', 'Ine'];
  const LAST = ['Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'Dekker', 'Brouwer', 'Wouters', 'Claessens'];
  wpl.add(wplXml({ id: '9999', voorkomen: 1, begin: '1990-01-01', naam: 'Benchstad' }));
  const banks = ['BANK1', 'BANK2', 'BANK3'];
  for (const b of banks) files.personen.write(csvLine([b, 'niet_natuurlijk_persoon', `${b} Hypotheken N.V.`, null, String(10000000 + banks.indexOf(b)), 'NV', null, null, null]));
  files.personen.write(csvLine(['BANKLU', 'niet_natuurlijk_persoon', 'Banque Bench Luxembourg S.A.', null, null, 'Buitenlandse rechtspersoon', 'LU', null, null]));
  let kvkNr = 20000000;
  const unitAt = unitOrder(units, order);
  const numbering = addressNumbering(units, addressIds);
  const numIdOf = (i: number) => `9999200${String(numbering.of(i)).padStart(9, '0')}`;
  const nevenadresOf = (i: number) => (i % 100 === WITH_NEVENADRES ? `9999210${String(numbering.of(i)).padStart(9, '0')}` : null);
  // Postcode, street and house number follow the unit, whatever its addresses' ids.
  const placeOf = (i: number) => ({ pc: `${1000 + (Math.floor(i / 50) % 8999)}AB`, street: `9999300${String(Math.floor(i / 50)).padStart(9, '0')}`, huisnummer: (i % 50) + 1 });
  const addNums = (i: number) => {
    const { pc, street, huisnummer } = placeOf(i);
    num.add(numXml({ id: numIdOf(i), voorkomen: 1, begin: '2005-01-01', postcode: pc, huisnummer, opr: street }));
    // The nevenadres: the same house number with a letter no other unit has.
    const nevenadres = nevenadresOf(i);
    if (nevenadres) num.add(numXml({ id: nevenadres, voorkomen: 1, begin: '2005-01-01', postcode: pc, huisnummer, huisletter: 'A', opr: street }));
  };
  // Scrambled ids in an input written in key order: the NUM files are written after the units, in id order.
  const numsLater = addressIds === 'scrambled' && order === 'key';
  for (let step = 0; step < units; step++) {
    const i = unitAt(step);
    const id = `9999010${String(i).padStart(9, '0')}`;
    const numId = numIdOf(i);
    if (i % 50 === 0) opr.add(oprXml({ id: `9999300${String(i / 50).padStart(9, '0')}`, voorkomen: 1, begin: '1990-01-01', naam: `Benchstraat ${i / 50}`, wpl: '9999' }));
    const doel = rand() < 0.85 ? 'woonfunctie' : ['winkelfunctie', 'kantoorfunctie', 'bijeenkomstfunctie'][i % 3]!;
    const doelen = MIXED_USE.has(i % 100) ? ['woonfunctie', doel === 'woonfunctie' ? 'winkelfunctie' : doel] : [doel];
    const nevenadres = nevenadresOf(i);
    const base = {
      id, hoofdadres: numId, nevenadressen: nevenadres ? [nevenadres] : [], oppervlakte: 50 + (i % 150),
      x: 100000 + (i % 1000) * 10, y: 400000 + Math.floor(i / 1000) * 10, pand: `9999100${String(i).padStart(9, '0')}`,
    };
    if (rand() < 0.5) {
      vbo.add(vboXml({ ...base, voorkomen: 1, begin: '2005-01-01', eind: '2018-06-01', gebruiksdoelen: ['woonfunctie'] }));
      vbo.add(vboXml({ ...base, voorkomen: 2, begin: '2018-06-01', gebruiksdoelen: doelen }));
    } else vbo.add(vboXml({ ...base, voorkomen: 1, begin: '2005-01-01', gebruiksdoelen: doelen }));
    const { pc, huisnummer } = placeOf(i);
    if (!numsLater) addNums(i);
    const owner = `P${i}`;
    files.personen.write(csvLine([owner, 'natuurlijk_persoon', `${FIRST[i % 16]} ${LAST[Math.floor(i / 16) % 16]} ${i}`, `19${50 + (i % 45)}-0${1 + (i % 9)}-1${i % 9}`, null, null, null, pc, huisnummer]));
    const waarde = 150_000 + (i % 40) * 10_000;
    files.woz.write(csvLine([id, '2025-01-01', waarde]));
    // Planted patterns, one unit in 2,000 each (by i mod 2000, all among the units with a transfer),
    // so every rule has hits to find and evidence to gather, as in the demo fixtures.
    const plant = i % 4 === 0 ? PLANTS.get(i % 2000) : undefined;
    const holder = plant === 'opaque-owner' ? `F${i}` : owner;
    if (holder !== owner) files.personen.write(csvLine([holder, 'niet_natuurlijk_persoon', `Offshore Holding ${i} Ltd`, null, null, 'Buitenlandse rechtspersoon', 'CY', null, null]));
    files.rechten.write(csvLine([`R${i}`, id, 'eigendom', holder, '1/1', '2012-03-01', null]));
    if (i % 10 === 0) files.rechten.write(csvLine([`R${i}b`, id, 'vruchtgebruik', owner, '1/1', '2012-03-01', null]));
    // Transfers: a quarter of the units, most with a bank mortgage on the deed date.
    if (i % 4 === 0) {
      const planted = i % 1000 === 0;
      // Five units in 20,000 go to one buyer within two years (portfolio build-up).
      const portfolio = i % 20_000 >= 36 && i % 20_000 <= 52 ? `PF${Math.floor(i / 20_000)}` : null;
      const buyer = planted ? `C${i}` : portfolio ?? owner;
      if (i % 1000 === 0) files.personen.write(csvLine([buyer, 'niet_natuurlijk_persoon', `Bench Vastgoed ${i} B.V.`, null, String(kvkNr), 'BV', i % 3000 === 0 ? 'CY' : null, null, null]));
      if (portfolio && i % 20_000 === 36) files.personen.write(csvLine([portfolio, 'niet_natuurlijk_persoon', `Portefeuille ${Math.floor(i / 20_000)} B.V.`, null, null, 'BV', null, null, null]));
      const datum = planted || portfolio || plant ? '2025-06-15' : `20${21 + (Math.floor(i / 4) % 5)}-0${1 + (i % 9)}-15`;
      const seller = `S${i}`;
      // A related-party transfer: the seller lives at the buyer's address.
      const sellerAddress = plant === 'related-party' ? [pc, huisnummer] : [null, null];
      files.personen.write(csvLine([seller, 'natuurlijk_persoon', `Verkoper ${i}`, '1960-01-01', null, null, null, ...sellerAddress]));
      const koopsom = plant === 'price-woz' ? Math.round(waarde * 0.5) : waarde;
      // Earlier transfers of the same unit: a resale within months at a higher price, or three deeds in three years.
      if (plant === 'quick-resale') files.transacties.write(csvLine([`T${i}q`, id, '2025-02-15', Math.round(waarde * 0.75), seller, owner, null]));
      if (plant === 'frequent') for (const d of ['2024-01-15', '2024-09-15']) files.transacties.write(csvLine([`T${i}f${d.slice(0, 7)}`, id, d, waarde, seller, owner, null]));
      files.transacties.write(csvLine([`T${i}`, id, datum, koopsom, buyer, seller, null]));
      // Planted at a low rate: one in 250 deeds without mortgage (cash purchase), one in 500 from a private lender.
      const privateLender = i % 2000 === 4;
      const lender = privateLender ? seller : plant === 'foreign-lender' ? 'BANKLU' : banks[i % 3]!;
      const bedrag = Math.round(koopsom * (plant === 'overfinancing' ? 1.3 : 0.8));
      if (i % 1000 !== 0) files.hypotheken.write(csvLine([`H${i}`, id, datum, bedrag, buyer, lender, privateLender ? null : 'bank', null]));
      if (i % 1000 === 0) {
        files.kvk.write(csvLine([String(kvkNr), null, `Bench Vastgoed ${i} B.V.`, 'BV', '2024-11-01', null, '6810', null, null]));
        if (i % 5000 === 0) files.signalen.write(csvLine([`SG${i}`, `Bench Vastgoed ${i}`, String(kvkNr), null, 'riec', '2024-01-01', 'bench']));
        // The company that bought for cash applies for a permit for another unit (flagged applicant).
        if (i % 2000 === 0) files.vergunningen.write(csvLine([`VF${i}`, 'exploitatievergunning', 'horeca', `9999010${String((i + 1) % units).padStart(9, '0')}`, `Bench Vastgoed ${i} B.V.`, String(kvkNr), '2025-08-01', 'ingediend']));
        kvkNr++;
      }
    } else if (i % 5 === 0) {
      files.hypotheken.write(csvLine([`H${i}`, id, '2016-05-01', Math.round(waarde * 0.7), owner, banks[i % 3]!, 'bank', null]));
    }
    // Ten establishments at one unit in 50,000 (address concentration).
    if (i % 50_000 === 56) for (let k = 0; k < 10; k++) files.kvk.write(csvLine([String(kvkNr++), null, `Postbusfirma ${i}-${k}`, 'BV', '2020-01-01', null, '7022', id, null]));
    if (i % 7 === 0) files.kvk.write(csvLine([String(kvkNr++), null, `Onderneming ${i}`, 'Eenmanszaak', '2015-01-01', null, i % 700 === 0 ? '4711' : '7022', id, null]));
    if (i % 100 === 0) files.vergunningen.write(csvLine([`V${i}`, i % 200 === 0 ? 'exploitatievergunning' : 'omgevingsvergunning', 'horeca', id, `Aanvrager ${i}`, null, '2025-03-01', 'ingediend']));
    if (i % 100 === 50) files.subsidies.write(csvLine([`SU${i}`, 'Gevelsubsidie', 5000, id, `${FIRST[i % 16]} ${LAST[Math.floor(i / 16) % 16]} ${i}`, null, '2025-04-01', 'verleend']));
    if (i % 1000 === 500) files.signalen.write(csvLine([`SGP${i}`, `${FIRST[i % 16]} ${LAST[Math.floor(i / 16) % 16]} ${i}`, null, null, 'bibob-negatief', '2023-01-01', 'bench']));
  }
  if (numsLater) for (let j = 0; j < units; j++) addNums(numbering.unitOf(j));
  for (const f of [vbo, num, opr, wpl]) f.close();
  for (const f of Object.values(files)) f.close();
  writeFileSync(join(tmp, '.complete'), GENERATOR_VERSION);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, units, bagBytes: 0, cached: false };
}
