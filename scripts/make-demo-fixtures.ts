/**
 * Generates fixtures/demo: a synthetic slice of Maastricht (gemeentecode 0935) with a background
 * population that fires no rule, planted cases for every rule, near-misses just outside each window
 * or threshold, and bad rows for every reject reason. Names are made up from common first names and
 * surnames; no real person is described. Deterministic: the same script writes the same bytes.
 *
 *   npm run fixtures
 *
 * Writes `fixtures/demo/input/` and `fixtures/demo/planted.json` (what each planted case expects).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { addDays, addMonths } from '../src/util/dates.ts';
import { FILE_FOOTER, fileHeader, inOnderzoekXml, numXml, oprXml, pndXml, vboXml, wplXml } from './lvbag-xml.ts';

const PEILDATUM = '2026-10-01';
const ROOT = join(import.meta.dirname, '..', 'fixtures', 'demo');
const INPUT = join(ROOT, 'input');

let seed = 20261001;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const between = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
const dateBetween = (from: string, to: string) => addDays(from, between(0, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000)));

const FIRST = ['Anna', 'Bram', 'Carla', 'Daan', 'Eva', 'Femke', 'Gijs', 'Hanna', 'Ivo', 'Joost', 'Karin', 'Lars', 'Marieke', 'Niels', 'Olga', 'Pieter', 'Quinten', 'Roos', 'Sander', 'Tessa', 'Ugo', 'Vera', 'Wouter', 'Xandra', 'Yvonne', 'Zeger', 'Lotte', 'Mees', 'Noor', 'Ruud', 'Sjef', 'Truus', 'Jo', 'Mia', 'Lei', 'Bèr', 'Fien', 'Huub', 'Jet', 'Guus'];
const LAST = ['Aarts', 'Bemelmans', 'Coenen', 'Dassen', 'Erkens', 'Frissen', 'Geurts', 'Hermans', 'Janssen', 'Kusters', 'Lemmens', 'Meijers', 'Nijsten', 'Ortmans', 'Pluijmen', 'Quaedvlieg', 'Ramakers', 'Schepers', 'Theunissen', 'Ummels', 'Vroemen', 'Wetzels', 'Habets', 'Jacobs', 'Kerckhoffs', 'Lenssen', 'Moonen', 'Notermans', 'Packbier', 'Ruijters'];
const TUSSEN = ['', '', '', '', 'van', 'van der', 'de', 'van den'];
const STREETS = ['Boschstraat', 'Wycker Brugstraat', 'Rechtstraat', 'Tongersestraat', 'Brusselsestraat', 'Stationsstraat', 'Hoogbrugstraat', 'Grote Gracht', 'Kesselskade', 'Sint Pieterstraat', 'Statensingel', 'Scharnerweg', 'Akerstraat', 'Meerssenerweg', 'Brusselseweg', 'Via Regia', 'Oranjeplein', 'Heerderweg', 'Cabergerweg', 'Limmelderweg'];

interface Unit { vbo: string; num: string; opr: string; postcode: string; huisnummer: number; huisletter: string | null; toevoeging: string | null; doelen: string[]; x: number; y: number; pand: string }
interface Row { [k: string]: string | number | null | undefined }

const units: Unit[] = [];
const extraVbo: string[] = []; // extra voorkomens, raw XML
const extraNum: string[] = [];
const personen: Row[] = [];
const rechten: Row[] = [];
const transacties: Row[] = [];
const hypotheken: Row[] = [];
const woz: Row[] = [];
const kvk: Row[] = [];
const vergunningen: Row[] = [];
const subsidies: Row[] = [];
const signalen: Row[] = [];
const planted: { vbo_id: string; rule: string; case: string; expect: 'hit' | 'no-hit' }[] = [];
const expectedRejects: { file: string; reason: string; case: string }[] = [];

let nextUnit = 100001;
let nextNum = 100001;
let nextPerson = 1;
let nextId = 1;
const id = (prefix: string) => `${prefix}${String(nextId++).padStart(5, '0')}`;

const oprIds = STREETS.map((_, i) => `0935300000${String(i + 1).padStart(6, '0')}`);
// Each street: a start point inside Maastricht (RD coordinates) and a direction.
const STREET_XY = STREETS.map(() => [174500 + rand() * 5000, 315000 + rand() * 5500, rand() * Math.PI * 2] as const);
const streetHouse = new Map<number, number>();

function newUnit(doelen: string[] = ['woonfunctie'], street = between(0, STREETS.length - 1)): Unit {
  const house = (streetHouse.get(street) ?? 0) + between(1, 3);
  streetHouse.set(street, house);
  const u: Unit = {
    vbo: `0935010000${String(nextUnit++).padStart(6, '0')}`,
    num: `0935200000${String(nextNum++).padStart(6, '0')}`,
    opr: oprIds[street]!,
    postcode: `62${String(11 + street).padStart(2, '0')}${'ABCDEFGHJK'[Math.floor(house / 20) % 10]}${'LMNPRSTVWX'[street % 10]}`,
    huisnummer: house, huisletter: rand() < 0.08 ? 'A' : null, toevoeging: null,
    doelen, x: STREET_XY[street]![0] + house * 3 * Math.cos(STREET_XY[street]![2]), y: STREET_XY[street]![1] + house * 3 * Math.sin(STREET_XY[street]![2]),
    pand: `0935100000${String(nextUnit).padStart(6, '0')}`,
  };
  units.push(u);
  return u;
}

function person(opts: { geboortedatum?: string | null; naam?: string; postcode?: string | null; huisnummer?: number | null } = {}): string {
  const pid = `NP${String(nextPerson++).padStart(5, '0')}`;
  const t = pick(TUSSEN);
  personen.push({
    persoon_id: pid, soort: 'natuurlijk_persoon', naam: opts.naam ?? `${pick(FIRST)} ${t ? `${t} ` : ''}${pick(LAST)}`,
    geboortedatum: opts.geboortedatum === undefined ? dateBetween('1950-01-01', '1998-12-31') : opts.geboortedatum,
    kvk_nummer: null, rechtsvorm: null, land: null, postcode: opts.postcode ?? null, huisnummer: opts.huisnummer ?? null, plaats: opts.postcode ? 'Maastricht' : null,
  });
  return pid;
}

let nextKvk = 14000001;
function company(naam: string, opts: { rechtsvorm?: string; land?: string | null; kvk?: string | null; postcode?: string | null; huisnummer?: number | null } = {}): string {
  const pid = `NNP${String(nextPerson++).padStart(5, '0')}`;
  personen.push({
    persoon_id: pid, soort: 'niet_natuurlijk_persoon', naam, geboortedatum: null,
    kvk_nummer: opts.kvk === undefined ? String(nextKvk++) : opts.kvk, rechtsvorm: opts.rechtsvorm ?? 'BV', land: opts.land ?? null,
    postcode: opts.postcode ?? null, huisnummer: opts.huisnummer ?? null, plaats: opts.postcode ? 'Maastricht' : null,
  });
  return pid;
}

const BANK = company('Maasbank N.V.', { rechtsvorm: 'NV' });
const BANK2 = company('Limburgse Hypotheekbank N.V.', { rechtsvorm: 'NV' });

function own(u: Unit, holder: string, since: string, opts: { einddatum?: string | null; aandeel?: string; soort?: string } = {}): void {
  rechten.push({ recht_id: id('R'), vbo_id: u.vbo, kadastrale_aanduiding: `MTT00 K ${between(1000, 9999)}`, soort_recht: opts.soort ?? 'eigendom', persoon_id: holder, aandeel: opts.aandeel ?? '1/1', ingangsdatum: since, einddatum: opts.einddatum ?? null });
}
function transfer(u: Unit, datum: string, koopsom: number | null, kopers: string[], verkopers: string[], opts: { meerdere?: boolean; id?: string } = {}): string {
  const tid = opts.id ?? id('T');
  transacties.push({ transactie_id: tid, vbo_id: u.vbo, datum, koopsom, koper_ids: kopers.join('|'), verkoper_ids: verkopers.join('|'), meerdere_objecten: opts.meerdere ? 'ja' : null });
  return tid;
}
function mortgage(u: Unit, datum: string, bedrag: number, lender: string, borrower: string | null, type: 'bank' | 'overig' | null = 'bank', einddatum: string | null = null): void {
  hypotheken.push({ hypotheek_id: id('H'), vbo_id: u.vbo, datum, bedrag, hypotheekgever_id: borrower, hypotheekhouder_id: lender, hypotheekhouder_type: type, einddatum });
}
function plant(u: Unit, rule: string, what: string, expect: 'hit' | 'no-hit'): void {
  planted.push({ vbo_id: u.vbo, rule, case: what, expect });
}

/** A unit bought some time ago, normally financed, WOZ in line: fires no rule. */
function ordinaryUnit(doelen?: string[]): { u: Unit; owner: string; woz: number } {
  const u = newUnit(doelen);
  const value = between(18, 60) * 10_000;
  const owner = person({ postcode: u.postcode, huisnummer: u.huisnummer });
  const seller = person();
  const since = rand() < 0.7 ? dateBetween('1995-01-01', '2020-12-31') : dateBetween('2021-11-01', '2026-06-30');
  own(u, seller, dateBetween('1980-01-01', addDays(since, -400)), { einddatum: since });
  own(u, owner, since);
  transfer(u, since, Math.round(value * (0.92 + rand() * 0.14)), [owner], [seller]);
  mortgage(u, since, Math.round(value * 0.8), rand() < 0.5 ? BANK : BANK2, owner);
  woz.push({ vbo_id: u.vbo, peildatum: '2025-01-01', waarde: value });
  return { u, owner, woz: value };
}

// ---------------------------------------------------------------------------------------------
// Planted cases. Each case is one unit; near-misses sit just outside a window or threshold.
// ---------------------------------------------------------------------------------------------
const P = PEILDATUM;
const back60 = addMonths(P, -60); // 2021-10-01: first day inside the 60-month look-back
const back36 = addMonths(P, -36); // 2023-10-01

// financing.cash-purchase
{
  const cases: [string, string, number | null, number | null, 'hit' | 'no-hit'][] = [
    // what, deed date, koopsom, mortgage offset in days (null = none), expectation
    ['cash purchase, no mortgage', '2024-03-15', 350_000, null, 'hit'],
    ['koopsom exactly at the threshold', '2025-02-10', 100_000, null, 'hit'],
    ['koopsom one euro under the threshold', '2025-02-11', 99_999, null, 'no-hit'],
    ['mortgage 90 days after the deed', '2023-05-02', 400_000, 90, 'no-hit'],
    ['mortgage 90 days before the deed', '2023-06-02', 410_000, -90, 'no-hit'],
    ['mortgage 91 days after the deed', '2023-05-03', 300_000, 91, 'hit'],
    ['deed on the first day of the look-back', back60, 250_000, null, 'hit'],
    ['deed one day before the look-back', addDays(back60, -1), 500_000, null, 'no-hit'],
    ['deed after the peildatum', addDays(P, 20), 600_000, null, 'no-hit'],
  ];
  for (const [what, datum, koopsom, offset, expect] of cases) {
    const u = newUnit();
    const buyer = company(`${pick(LAST)} Vastgoed B.V.`);
    const seller = person();
    own(u, seller, '2005-06-01', { einddatum: datum > P ? null : datum });
    if (datum <= P) own(u, buyer, datum);
    transfer(u, datum, koopsom, [buyer], [seller]);
    if (offset !== null) mortgage(u, addDays(datum, offset), Math.round((koopsom ?? 0) * 0.7), BANK, buyer);
    woz.push({ vbo_id: u.vbo, peildatum: '2025-01-01', waarde: koopsom ?? 300_000 });
    plant(u, 'financing.cash-purchase', what, expect);
  }
}

// ownership.quick-resale: consecutive transfers, each financed (no cash-purchase noise).
{
  const cases: [string, string, number, number, number, 'hit' | 'no-hit'][] = [
    // what, first deed, first koopsom, days to resale, resale koopsom, expectation
    ['resold after 183 days at +20 %', '2023-01-10', 200_000, 183, 240_000, 'hit'],
    ['resold after 30 days at +60 %', '2024-09-01', 250_000, 30, 400_000, 'hit'],
    ['resold after 184 days at +50 %', '2023-02-10', 200_000, 184, 300_000, 'no-hit'],
    ['resold after 100 days at +19.9 %', '2024-01-15', 200_000, 100, 239_800, 'no-hit'],
  ];
  for (const [what, first, k1, days, k2, expect] of cases) {
    const u = newUnit();
    const a = person(); const b = company(`${pick(LAST)} Beheer B.V.`); const c = person();
    const second = addDays(first, days);
    own(u, a, '2001-03-01', { einddatum: first });
    own(u, b, first, { einddatum: second });
    own(u, c, second);
    transfer(u, first, k1, [b], [a]);
    mortgage(u, first, Math.round(k1 * 0.8), BANK, b, 'bank', second);
    transfer(u, second, k2, [c], [b]);
    mortgage(u, second, Math.round(k2 * 0.6), BANK2, c);
    woz.push({ vbo_id: u.vbo, peildatum: '2025-01-01', waarde: Math.round((k1 + k2) / 2) });
    plant(u, 'ownership.quick-resale', what, expect);
  }
}

// use.permit-mismatch
function permit(u: Unit | { postcode: string; huisnummer: number; vbo?: undefined }, soort: string, gebruik: string | null, datum: string, status: string, naam?: string, kvkNr?: string | null): string {
  const aid = id('V');
  vergunningen.push({
    aanvraag_id: aid, soort, gevraagd_gebruik: gebruik, vbo_id: 'vbo' in u && u.vbo ? u.vbo : null,
    postcode: 'vbo' in u && u.vbo ? null : u.postcode, huisnummer: 'vbo' in u && u.vbo ? null : u.huisnummer,
    aanvrager_naam: naam ?? `${pick(FIRST)} ${pick(LAST)}`, aanvrager_kvk: kvkNr ?? null, aanvrager_geboortedatum: null,
    datum_aanvraag: datum, status,
  });
  return aid;
}
{
  const cases: [string, string[], string, string | null, string, string, 'hit' | 'no-hit'][] = [
    ['exploitatievergunning at a dwelling', ['woonfunctie'], 'exploitatievergunning', null, '2025-05-01', 'ingediend', 'hit'],
    ['horeca asked under "overig" at an office', ['kantoorfunctie'], 'overig', 'horeca', '2025-06-12', 'verleend', 'hit'],
    ['alcoholwet at a shop', ['winkelfunctie'], 'alcoholwet', 'horeca', '2024-11-20', 'verleend', 'hit'],
    ['permit dated on the first day of the 36-month window', ['woonfunctie'], 'terras', 'horeca', back36, 'verleend', 'hit'],
    ['exploitatievergunning at a bijeenkomstfunctie', ['bijeenkomstfunctie'], 'exploitatievergunning', 'horeca', '2025-05-02', 'verleend', 'no-hit'],
    ['exploitatievergunning at a hotel (logiesfunctie)', ['logiesfunctie'], 'exploitatievergunning', null, '2025-05-03', 'verleend', 'no-hit'],
    ['horeca in a mixed shop and bijeenkomstfunctie', ['bijeenkomstfunctie', 'winkelfunctie'], 'alcoholwet', 'horeca', '2025-05-04', 'ingediend', 'no-hit'],
    ['omgevingsvergunning to change use to horeca', ['woonfunctie'], 'omgevingsvergunning', 'horeca', '2025-05-05', 'ingediend', 'no-hit'],
    ['withdrawn alcoholwet application at a dwelling', ['woonfunctie'], 'alcoholwet', 'horeca', '2025-05-06', 'ingetrokken', 'no-hit'],
    ['terras one day before the 36-month window', ['woonfunctie'], 'terras', 'horeca', addDays(back36, -1), 'verleend', 'no-hit'],
    ['exploitatievergunning after the peildatum', ['woonfunctie'], 'exploitatievergunning', null, addDays(P, 1), 'ingediend', 'no-hit'],
    ['overig permit for an office at a dwelling (not horeca)', ['woonfunctie'], 'overig', 'kantoorfunctie', '2025-05-07', 'ingediend', 'no-hit'],
  ];
  for (const [what, doelen, soort, gebruik, datum, status, expect] of cases) {
    const { u } = ordinaryUnit(doelen);
    permit(u, soort, gebruik, datum, status);
    plant(u, 'use.permit-mismatch', what, expect);
  }
  // A unit with a historic and a future voorkomen: a shop until 2019, a dwelling now, and a
  // bijeenkomstfunctie from 2027. On the peildatum it is a dwelling, so a horeca permit mismatches.
  const { u } = ordinaryUnit(['woonfunctie']);
  extraVbo.push(vboXml({ id: u.vbo, voorkomen: 1, begin: '1998-04-01', eind: '2019-07-01', hoofdadres: u.num, gebruiksdoelen: ['winkelfunctie'], oppervlakte: 140, x: u.x, y: u.y, pand: u.pand }));
  (u as Unit & { voorkomen?: number; begin?: string; eind?: string }).voorkomen = 2;
  (u as Unit & { begin?: string }).begin = '2019-07-01';
  (u as Unit & { eind?: string }).eind = '2027-01-01';
  extraVbo.push(vboXml({ id: u.vbo, voorkomen: 3, begin: '2027-01-01', hoofdadres: u.num, gebruiksdoelen: ['bijeenkomstfunctie'], oppervlakte: 140, x: u.x, y: u.y, pand: u.pand }));
  permit(u, 'exploitatievergunning', 'horeca', '2025-08-15', 'ingediend');
  plant(u, 'use.permit-mismatch', 'dwelling on the peildatum, bijeenkomstfunctie only from 2027 (future voorkomen)', 'hit');
  // A permit that names the unit by its nevenadres (postcode + huisnummer) resolves to the unit.
  const n = ordinaryUnit(['woonfunctie']).u;
  const neven = { num: `0935200000${String(nextNum++).padStart(6, '0')}`, postcode: n.postcode, huisnummer: n.huisnummer + 100 };
  (n as Unit & { neven?: typeof neven }).neven = neven;
  permit({ postcode: neven.postcode, huisnummer: neven.huisnummer }, 'exploitatievergunning', null, '2025-03-03', 'verleend');
  plant(n, 'use.permit-mismatch', 'permit addressed to the nevenadres of a dwelling', 'hit');
}


// ---------------------------------------------------------------------------------------------
// The rest of the catalogue. Each planted unit is otherwise ordinary (financed at a normal price),
// so it fires only the rule it plants.
// ---------------------------------------------------------------------------------------------
/** A unit held since 2010 by `holder`, bought then with a bank mortgage: no rule fires on it by itself. */
function heldUnit(holder: string, doelen: string[] = ['woonfunctie'], opts: { since?: string; einddatum?: string | null; soort?: string } = {}): Unit {
  const u = newUnit(doelen);
  const since = opts.since ?? '2010-05-01';
  const seller = person();
  own(u, seller, '1999-01-01', { einddatum: since });
  own(u, holder, since, { einddatum: opts.einddatum ?? null, soort: opts.soort });
  transfer(u, since, 250_000, [holder], [seller]);
  mortgage(u, since, 200_000, BANK, holder, 'bank', '2020-01-01');
  woz.push({ vbo_id: u.vbo, peildatum: '2025-01-01', waarde: 300_000 });
  return u;
}
/** A financed purchase at the WOZ value: fires nothing by itself. */
function normalBuy(u: Unit, datum: string, koopsom: number, buyer: string, seller: string, opts: { meerdere?: boolean } = {}): string {
  const tid = transfer(u, datum, koopsom, [buyer], [seller], opts);
  mortgage(u, datum, Math.round(koopsom * 0.75), BANK, buyer);
  return tid;
}

// financing.private-lender
{
  const rule = 'financing.private-lender';
  const lender = person({ geboortedatum: '1958-04-12' });
  const other = company('Maas Kredietfonds B.V.');
  const u1 = heldUnit(person()); mortgage(u1, '2019-03-01', 60_000, lender, null, null);
  plant(u1, rule, 'active mortgage from a natural person', 'hit');
  const u2 = heldUnit(person()); mortgage(u2, '2018-07-01', 80_000, other, null, 'overig');
  plant(u2, rule, 'active mortgage of type overig from a company', 'hit');
  const u3 = heldUnit(person()); mortgage(u3, '2015-01-01', 50_000, lender, null, null, '2024-01-01');
  plant(u3, rule, 'private mortgage cancelled before the peildatum', 'no-hit');
  const u4 = heldUnit(person()); mortgage(u4, '2015-01-01', 50_000, lender, null, null, P);
  plant(u4, rule, 'private mortgage cancelled on the peildatum itself', 'no-hit');
  const u5 = heldUnit(person()); mortgage(u5, addDays(P, 3), 50_000, lender, null, null);
  plant(u5, rule, 'private mortgage registered after the peildatum', 'no-hit');
}

// financing.foreign-lender
{
  const rule = 'financing.foreign-lender';
  const lux = company('Société Fictive de Crédit S.A.', { rechtsvorm: 'SA', land: 'LU', kvk: null });
  const u1 = heldUnit(person()); mortgage(u1, '2020-02-01', 150_000, lux, null, 'bank');
  plant(u1, rule, 'active mortgage from a lender in LU', 'hit');
  const u2 = heldUnit(person()); mortgage(u2, '2012-02-01', 150_000, lux, null, 'bank', '2022-02-01');
  plant(u2, rule, 'foreign mortgage cancelled before the peildatum', 'no-hit');
  const nl = company('Zuid Hypotheken N.V.', { rechtsvorm: 'NV', land: 'NL' });
  const u3 = heldUnit(person()); mortgage(u3, '2020-02-01', 150_000, nl, null, 'bank');
  plant(u3, rule, 'mortgage from a lender with land NL', 'no-hit');
}

// financing.overfinancing
{
  const rule = 'financing.overfinancing';
  const mk = (what: string, koopsom: number, bedrag: number, offset: number, expect: 'hit' | 'no-hit', meerdere = false) => {
    const u = newUnit();
    const buyer = person(); const seller = person();
    own(u, seller, '2001-01-01', { einddatum: '2024-05-01' }); own(u, buyer, '2024-05-01');
    transfer(u, '2024-05-01', koopsom, [buyer], [seller], { meerdere });
    if (offset !== 0) mortgage(u, '2024-05-01', Math.round(koopsom * 0.7), BANK, buyer);
    mortgage(u, addDays('2024-05-01', offset), bedrag, BANK2, buyer);
    woz.push({ vbo_id: u.vbo, peildatum: '2025-01-01', waarde: koopsom });
    plant(u, rule, what, expect);
  };
  mk('mortgage of 115 % of the koopsom on the deed date', 200_000, 230_000, 0, 'hit');
  mk('mortgage of 111 % registered 90 days after the deed', 300_000, 333_000, 90, 'hit');
  mk('mortgage of exactly 110 % of the koopsom', 200_000, 220_000, 0, 'no-hit');
  mk('mortgage of 150 % registered 91 days after the deed', 200_000, 300_000, 91, 'no-hit');
  mk('mortgage of 150 % on a deed covering several units', 200_000, 300_000, 0, 'no-hit', true);
}

// financing.price-woz-deviation
{
  const rule = 'financing.price-woz-deviation';
  const mk = (what: string, koopsom: number, wozRows: [string, number][], expect: 'hit' | 'no-hit', meerdere = false, datum = '2024-06-15') => {
    const u = newUnit();
    const buyer = person(); const seller = person();
    own(u, seller, '2001-01-01', { einddatum: datum }); own(u, buyer, datum);
    normalBuy(u, datum, koopsom, buyer, seller, { meerdere });
    for (const [pd, w] of wozRows) woz.push({ vbo_id: u.vbo, peildatum: pd, waarde: w });
    plant(u, rule, what, expect);
  };
  mk('koopsom 69 % of the WOZ value', 207_000, [['2024-01-01', 300_000]], 'hit');
  mk('koopsom 151 % of the WOZ value', 453_000, [['2024-01-01', 300_000]], 'hit');
  mk('koopsom exactly 70 % of the WOZ value', 210_000, [['2024-01-01', 300_000]], 'no-hit');
  mk('koopsom exactly 150 % of the WOZ value', 450_000, [['2024-01-01', 300_000]], 'no-hit');
  mk('far from an old WOZ value but close to the nearest one', 290_000, [['2015-01-01', 100_000], ['2024-01-01', 300_000]], 'no-hit');
  mk('close to an old WOZ value but far from the nearest one', 100_000, [['2015-01-01', 100_000], ['2024-01-01', 300_000]], 'hit');
  mk('deed covering several units at 3 times the WOZ value', 900_000, [['2024-01-01', 300_000]], 'no-hit', true);
}

// financing.opaque-owner
{
  const rule = 'financing.opaque-owner';
  plant(heldUnit(company('Mediterranean Holdings Ltd', { rechtsvorm: 'Limited', land: 'CY', kvk: null })), rule, 'owner is a legal entity seated in CY', 'hit');
  plant(heldUnit(company('Overseas Property Vehicle', { rechtsvorm: 'Buitenlandse rechtspersoon', kvk: null })), rule, 'owner is a buitenlandse rechtspersoon', 'hit');
  plant(heldUnit(company('Stichting Administratiekantoor Maasgroep', { rechtsvorm: 'Stichting' })), rule, 'owner is a stichting administratiekantoor', 'hit');
  plant(heldUnit(company('Stichting Woonbedrijf Maasland', { rechtsvorm: 'Stichting' })), rule, 'owner is an ordinary Dutch stichting (housing corporation)', 'no-hit');
  plant(heldUnit(company('Former Offshore Owner Ltd', { rechtsvorm: 'Limited', land: 'VG', kvk: null }), ['woonfunctie'], { since: '2008-01-01', einddatum: '2020-01-01' }), rule, 'foreign owner whose right ended before the peildatum', 'no-hit');
  plant(heldUnit(person({ geboortedatum: '1970-01-01' }), ['woonfunctie']), rule, 'owner is a natural person', 'no-hit');
  const abroad = person(); personen.find((x) => x.persoon_id === abroad)!.land = 'BE';
  plant(heldUnit(abroad), rule, 'owner is a natural person living in BE', 'no-hit');
}

// financing.young-company-buyer
{
  const rule = 'financing.young-company-buyer';
  const mk = (what: string, opgericht: string, datum: string, expect: 'hit' | 'no-hit', withAddress = false) => {
    const u = newUnit();
    const bv = company(`${pick(LAST)} Investments B.V.`);
    const seller = person();
    own(u, seller, '2001-01-01', { einddatum: datum }); own(u, bv, datum);
    normalBuy(u, datum, 300_000, bv, seller);
    woz.push({ vbo_id: u.vbo, peildatum: '2024-01-01', waarde: 300_000 });
    const kvkNr = personen.find((x) => x.persoon_id === bv)!.kvk_nummer;
    kvk.push({ kvk_nummer: kvkNr, vestigingsnummer: null, naam: personen.find((x) => x.persoon_id === bv)!.naam, rechtsvorm: 'BV', datum_oprichting: opgericht, datum_opheffing: null, sbi_codes: '6420', vbo_id: withAddress ? units.find((x) => x.doelen.includes('kantoorfunctie'))?.vbo ?? null : null, land: null });
    plant(u, rule, what, expect);
  };
  mk('buyer founded 9 months before the deed', '2024-03-01', '2024-12-01', 'hit');
  mk('buyer founded 12 months minus one day before the deed', '2023-06-16', '2024-06-15', 'hit', true);
  mk('buyer founded exactly 12 months before the deed', '2023-06-15', '2024-06-15', 'no-hit');
  mk('young buyer, but the deed lies before the look-back', '2020-11-01', '2021-05-01', 'no-hit');
}

// ownership.frequent-transfers
{
  const rule = 'ownership.frequent-transfers';
  const mk = (what: string, dates: string[], expect: 'hit' | 'no-hit') => {
    const u = newUnit();
    let seller = person();
    own(u, seller, '2000-01-01', { einddatum: dates[0] });
    dates.forEach((d, i) => {
      const buyer = person();
      own(u, buyer, d, { einddatum: dates[i + 1] ?? null });
      normalBuy(u, d, 280_000 + i * 10_000, buyer, seller);
      seller = buyer;
    });
    woz.push({ vbo_id: u.vbo, peildatum: '2024-01-01', waarde: 290_000 });
    plant(u, rule, what, expect);
  };
  mk('three transfers in 36 months', ['2023-11-01', '2024-08-01', '2025-09-01'], 'hit');
  mk('three transfers, the first on the first day of the window', [back36, '2024-08-01', '2025-09-01'], 'hit');
  mk('three transfers, the first one day before the window', [addDays(back36, -1), '2024-08-01', '2025-09-01'], 'no-hit');
  mk('two transfers in 36 months', ['2024-08-01', '2025-09-01'], 'no-hit');
}

// ownership.related-party-transfer
{
  const rule = 'ownership.related-party-transfer';
  const mk = (what: string, buyer: string, seller: string, expect: 'hit' | 'no-hit') => {
    const u = newUnit();
    own(u, seller, '2005-01-01', { einddatum: '2024-09-10' }); own(u, buyer, '2024-09-10');
    normalBuy(u, '2024-09-10', 310_000, buyer, seller);
    woz.push({ vbo_id: u.vbo, peildatum: '2024-01-01', waarde: 300_000 });
    plant(u, rule, what, expect);
  };
  const shared = String(nextKvk++);
  mk('buyer and seller share a KvK number', company('Maas Vastgoed Holding B.V.', { kvk: shared }), company('Maasvastgoed Exploitatie B.V.', { kvk: shared }), 'hit');
  mk('buyer and seller share a postal address', person({ postcode: '6221BX', huisnummer: 40 }), person({ postcode: '6221BX', huisnummer: 40 }), 'hit');
  mk('seller "R. Claessens" and buyer "Roger Claessens", same birth date, are linked', person({ naam: 'Roger Claessens', geboortedatum: '1970-05-05' }), person({ naam: 'R. Claessens', geboortedatum: '1970-05-05' }), 'hit');
  mk('same postcode, another house number', person({ postcode: '6221BY', huisnummer: 41 }), person({ postcode: '6221BY', huisnummer: 43 }), 'no-hit');
  mk('namesakes with other birth dates', person({ naam: 'Jan Smeets', geboortedatum: '1985-02-02' }), person({ naam: 'Jan Smeets', geboortedatum: '1960-01-01' }), 'no-hit');
  mk('different KvK numbers, similar names', company('Maasstad Beleggingen B.V.'), company('Maasstad Beleggingen Holding B.V.'), 'no-hit');
}

// ownership.portfolio-buildup
{
  const rule = 'ownership.portfolio-buildup';
  const buyFor = (buyer: string, dates: string[], expect: 'hit' | 'no-hit', what: string) => {
    for (const d of dates) {
      const u = newUnit(); const seller = person();
      own(u, seller, '2003-01-01', { einddatum: d }); own(u, buyer, d);
      normalBuy(u, d, 240_000, buyer, seller);
      woz.push({ vbo_id: u.vbo, peildatum: '2025-01-01', waarde: 250_000 });
      plant(u, rule, what, expect);
    }
  };
  buyFor(company('Limburg Woningbeleggingen B.V.'), ['2024-11-01', '2025-01-15', '2025-03-01', '2025-06-01', '2026-02-01'], 'hit', 'one company bought five units in 24 months');
  // One person under two persoon_ids (same name, same birth date): linked, so five units.
  const a = person({ naam: 'Ton Vliegen', geboortedatum: '1966-09-09' });
  const b = person({ naam: 'A.J. Vliegen', geboortedatum: '1966-09-09' });
  const c = person({ naam: 'Antonius Jozef Vliegen', geboortedatum: '1966-09-09' });
  buyFor(c, ['2025-01-10', '2025-02-10'], 'hit', 'one person under two persoon_ids bought five units in 24 months');
  buyFor(b, ['2025-04-10', '2025-05-10', '2025-07-10'], 'hit', 'one person under two persoon_ids bought five units in 24 months');
  void a; // a namesake-like distractor: 'Ton' is not an initial of 'Antonius', so he is not linked
  buyFor(company('Heuvelland Vastgoed B.V.'), [addDays(addMonths(P, -24), -1), '2025-01-15', '2025-03-01', '2025-06-01', '2026-02-01'], 'no-hit', 'five units, the first bought one day before the 24-month window');
}

// use.business-at-residential and use.address-concentration
{
  const est = (u: Unit, naam: string, sbi: string, opts: { opheffing?: string | null; kvkNr?: string } = {}) =>
    kvk.push({ kvk_nummer: opts.kvkNr ?? String(nextKvk++), vestigingsnummer: null, naam, rechtsvorm: 'Eenmanszaak', datum_oprichting: '2019-04-01', datum_opheffing: opts.opheffing ?? null, sbi_codes: sbi, vbo_id: u.vbo, land: null });
  const rule = 'use.business-at-residential';
  const r1 = heldUnit(person()); est(r1, 'Minimarkt Oost', '4711'); plant(r1, rule, 'supermarket (4711) at a dwelling', 'hit');
  const r2 = heldUnit(person()); est(r2, 'Nagelstudio Glans', '96021|4775'); plant(r2, rule, 'beauty salon (96021) at a dwelling', 'hit');
  const r3 = heldUnit(person(), ['winkelfunctie', 'woonfunctie']); est(r3, 'Buurtsuper Noord', '4711'); plant(r3, rule, 'supermarket at a shop with a dwelling', 'no-hit');
  const r4 = heldUnit(person()); est(r4, 'Belwinkel Centrum', '4742', { opheffing: '2025-01-01' }); plant(r4, rule, 'phone shop at a dwelling, closed before the peildatum', 'no-hit');
  const r5 = heldUnit(person()); est(r5, 'Webdesign Kwast', '6201|4711'); plant(r5, rule, 'IT business (6201) with 4711 only as a side activity', 'no-hit');
  const rule2 = 'use.address-concentration';
  const c1 = heldUnit(company('Kantoorverhuur Zuid B.V.'), ['kantoorfunctie']);
  for (let i = 0; i < 10; i++) est(c1, `Dienstverlening ${LAST[i]} B.V.`, '7022');
  plant(c1, rule2, 'ten active KvK numbers at one office', 'hit');
  const c2 = heldUnit(company('Bedrijfsruimte West B.V.'), ['kantoorfunctie']);
  for (let i = 0; i < 9; i++) est(c2, `Advies ${LAST[i + 10]} B.V.`, '7022');
  est(c2, 'Opgeheven Handel B.V.', '4690', { opheffing: '2024-06-01' });
  plant(c2, rule2, 'nine active and one closed KvK number at one office', 'no-hit');
  const c3 = heldUnit(company('Verzamelgebouw Oost B.V.'), ['kantoorfunctie']);
  const same = String(nextKvk++);
  for (let i = 0; i < 10; i++) est(c3, `Handelsonderneming Eén vestiging ${i}`, '4690', { kvkNr: i < 2 ? same : undefined });
  plant(c3, rule2, 'ten establishments but nine distinct KvK numbers', 'no-hit');
}

// network.signal-match and network.flagged-applicant
{
  const rule = 'network.signal-match';
  const sig = (naam: string, opts: { kvk?: string | null; geboortedatum?: string | null; datum?: string }) => signalen.push({
    signaal_id: `SG${String(signalen.length + 1).padStart(4, '0')}`, naam, kvk_nummer: opts.kvk ?? null, geboortedatum: opts.geboortedatum ?? null,
    bron: pick(['bibob-negatief', 'riec', 'weigering']), datum: opts.datum ?? '2023-05-01', omschrijving: 'Fictief signaal voor de demo',
  });
  const owner = company('Noorderbrug Participaties B.V.');
  plant(heldUnit(owner), rule, 'current owner matches a signal by KvK number', 'hit');
  sig('NBP Beheer', { kvk: personen.find((x) => x.persoon_id === owner)!.kvk_nummer as string });
  const buyer = person({ naam: 'Ton Hendrikx', geboortedatum: '1975-03-03' });
  const u2 = newUnit(); const s2 = person();
  own(u2, s2, '2001-01-01', { einddatum: '2025-02-01' }); own(u2, buyer, '2025-02-01'); normalBuy(u2, '2025-02-01', 300_000, buyer, s2);
  woz.push({ vbo_id: u2.vbo, peildatum: '2025-01-01', waarde: 300_000 });
  sig('Hendrikx, T.', { geboortedatum: '1975-03-03' });
  plant(u2, rule, 'buyer "Ton Hendrikx" matches signal "Hendrikx, T." with the same birth date', 'hit');
  const u3 = heldUnit(person(), ['bijeenkomstfunctie']);
  permit(u3, 'exploitatievergunning', 'horeca', '2025-04-01', 'ingediend', 'Snelle Horeca Exploitatie B.V.', '55500001');
  sig('SH Exploitatie', { kvk: '55500001' });
  plant(u3, rule, 'permit applicant matches a signal by KvK number', 'hit');
  const namesake = person({ naam: 'Jan Maassen', geboortedatum: '1980-01-01' });
  plant(heldUnit(namesake), rule, 'owner is a namesake of a signalled person with another birth date', 'no-hit');
  sig('Jan Maassen', { geboortedatum: '1966-06-06' });
  const oldLender = person({ naam: 'Piet Wolters', geboortedatum: '1950-02-02' });
  const u5 = heldUnit(person()); mortgage(u5, '2010-01-01', 40_000, oldLender, null, 'overig', '2019-01-01');
  sig('Piet Wolters', { geboortedatum: '1950-02-02' });
  plant(u5, rule, 'signalled lender whose mortgage ended before the peildatum', 'no-hit');
  const lateOwner = company('Laat Signaal B.V.');
  plant(heldUnit(lateOwner), rule, 'signal dated after the peildatum', 'no-hit');
  sig('Laat Signaal B.V.', { kvk: personen.find((x) => x.persoon_id === lateOwner)!.kvk_nummer as string, datum: addDays(P, 10) });

  const rule2 = 'network.flagged-applicant';
  // The buyer of the first cash-purchase case applies for a permit elsewhere (matched by KvK number).
  const cash = planted.find((x) => x.rule === 'financing.cash-purchase' && x.expect === 'hit')!;
  const cashBuyerId = transacties.find((t) => t.vbo_id === cash.vbo_id)!.koper_ids as string;
  const cashBuyer = personen.find((x) => x.persoon_id === cashBuyerId)!;
  const f1 = heldUnit(person(), ['bijeenkomstfunctie']);
  permit(f1, 'exploitatievergunning', 'horeca', '2025-09-01', 'ingediend', `${cashBuyer.naam as string}`, cashBuyer.kvk_nummer as string);
  plant(f1, rule2, 'applicant bought another unit that has a cash-purchase hit (matched by KvK number)', 'hit');
  // The intermediate buyer of a quick resale asks for a subsidy under its exact name, without KvK number.
  const resale = planted.find((x) => x.rule === 'ownership.quick-resale' && x.expect === 'hit')!;
  const resaleBuyerId = (transacties.find((t) => t.vbo_id === resale.vbo_id)!.koper_ids as string);
  const f2 = heldUnit(person(), ['winkelfunctie']);
  subsidies.push({ aanvraag_id: 'S00002', soort: 'Ondernemersfonds gevelverbetering', bedrag: 20_000, vbo_id: f2.vbo, aanvrager_naam: personen.find((x) => x.persoon_id === resaleBuyerId)!.naam as string, aanvrager_kvk: null, aanvrager_geboortedatum: null, datum_aanvraag: '2025-06-01', status: 'ingediend' });
  plant(f2, rule2, 'subsidy applicant was the middle buyer of a quick resale (matched by exact name)', 'hit');
  const cleanOwner = company('Schone Horeca Holding B.V.');
  heldUnit(cleanOwner);
  const f3 = heldUnit(person(), ['bijeenkomstfunctie']);
  permit(f3, 'exploitatievergunning', 'horeca', '2025-09-02', 'ingediend', 'Schone Horeca Holding B.V.', personen.find((x) => x.persoon_id === cleanOwner)!.kvk_nummer as string);
  plant(f3, rule2, 'applicant owns another unit without any hit', 'no-hit');
}

// A full scenario: a freshly founded company buys above the WOZ value with a loan from an "overig"
// lender for more than the price, and its KvK number is on a RIEC signal. Several rules, band hoog.
{
  const u = newUnit(['woonfunctie']);
  const seller = person();
  const bv = company('Lindeboom Capital B.V.');
  const lender = company('Private Funding Partners B.V.');
  own(u, seller, '2004-01-01', { einddatum: '2025-03-03' }); own(u, bv, '2025-03-03');
  transfer(u, '2025-03-03', 520_000, [bv], [seller]);
  mortgage(u, '2025-03-03', 650_000, lender, bv, 'overig');
  woz.push({ vbo_id: u.vbo, peildatum: '2025-01-01', waarde: 310_000 });
  const kvkNr = personen.find((x) => x.persoon_id === bv)!.kvk_nummer as string;
  kvk.push({ kvk_nummer: kvkNr, vestigingsnummer: null, naam: 'Lindeboom Capital B.V.', rechtsvorm: 'BV', datum_oprichting: '2024-11-20', datum_opheffing: null, sbi_codes: '6420', vbo_id: null, land: null });
  signalen.push({ signaal_id: 'SG8001', naam: 'Lindeboom Capital', kvk_nummer: kvkNr, geboortedatum: null, bron: 'riec', datum: '2025-08-01', omschrijving: 'Fictief: casus witwassen via vastgoed' });
  for (const rule of ['financing.young-company-buyer', 'financing.private-lender', 'financing.overfinancing', 'financing.price-woz-deviation', 'network.signal-match']) {
    plant(u, rule, 'full scenario: young company, private over-financing above WOZ, signalled', 'hit');
  }
}

// Background population to reach a realistic slice.
while (units.length < 400) ordinaryUnit(rand() < 0.85 ? ['woonfunctie'] : [pick(['winkelfunctie', 'kantoorfunctie', 'bijeenkomstfunctie', 'industriefunctie'])]);

// A unit withdrawn in the BAG (status ingetrokken): not current on the peildatum.
const withdrawn = newUnit();
(withdrawn as Unit & { status?: string }).status = 'Verblijfsobject ingetrokken';
// A unit with its gebruiksdoel in onderzoek (a data-quality note on its register entry).
const onderzoekVbo = units.find((u) => planted.some((p) => p.vbo_id === u.vbo && p.rule === 'financing.cash-purchase' && p.expect === 'hit'))!.vbo;

// ---------------------------------------------------------------------------------------------
// Bad rows: one at least for every reject reason.
// ---------------------------------------------------------------------------------------------
const someUnit = units[units.length - 20]!;
const someone = personen.find((p) => p.soort === 'natuurlijk_persoon')!.persoon_id as string;
personen.push({ ...personen.find((p) => p.persoon_id === someone)!, naam: 'Dubbel Record' });
expectedRejects.push({ file: 'personen.csv', reason: 'duplicate-id', case: 'persoon_id occurs twice' });
personen.push({ persoon_id: 'NP99001', soort: 'natuurlijk_persoon', naam: 'Datum Fout', geboortedatum: '31-02-1980', kvk_nummer: null, rechtsvorm: null, land: null, postcode: null, huisnummer: null, plaats: null });
expectedRejects.push({ file: 'personen.csv', reason: 'invalid-value', case: 'geboortedatum 31-02-1980 is no date' });
personen.push({ persoon_id: 'NP99002', soort: 'natuurlijk_persoon', naam: null, geboortedatum: null, kvk_nummer: null, rechtsvorm: null, land: null, postcode: null, huisnummer: null, plaats: null });
expectedRejects.push({ file: 'personen.csv', reason: 'missing-value', case: 'naam empty' });
rechten.push({ recht_id: 'R-BAD-1', vbo_id: someUnit.vbo, kadastrale_aanduiding: null, soort_recht: 'eigendom', persoon_id: 'NP-ONBEKEND', aandeel: '1/1', ingangsdatum: '2010-01-01', einddatum: null });
expectedRejects.push({ file: 'rechten.csv', reason: 'unknown-persoon', case: 'persoon_id not in personen.csv' });
rechten.push({ recht_id: 'R-BAD-2', vbo_id: null, postcode: '6211ZZ', huisnummer: 999, kadastrale_aanduiding: null, soort_recht: 'eigendom', persoon_id: someone, aandeel: '1/1', ingangsdatum: '2010-01-01', einddatum: null });
expectedRejects.push({ file: 'rechten.csv', reason: 'address-not-in-bag', case: 'postcode + huisnummer not in the BAG' });
rechten.push({ recht_id: 'R-BAD-3', vbo_id: someUnit.vbo, kadastrale_aanduiding: null, soort_recht: 'huur', persoon_id: someone, aandeel: '1/1', ingangsdatum: '2010-01-01', einddatum: null });
expectedRejects.push({ file: 'rechten.csv', reason: 'invalid-value', case: 'soort_recht huur is not a right in rem' });
rechten.push({ recht_id: 'R-BAD-4', vbo_id: withdrawn.vbo, kadastrale_aanduiding: null, soort_recht: 'eigendom', persoon_id: someone, aandeel: '1/1', ingangsdatum: '2010-01-01', einddatum: null });
transacties.push({ transactie_id: 'T-BAD-1', vbo_id: someUnit.vbo, datum: '2024-01-01', koopsom: -250000, koper_ids: someone, verkoper_ids: null, meerdere_objecten: null });
expectedRejects.push({ file: 'transacties.csv', reason: 'negative-amount', case: 'koopsom -250000' });
transacties.push({ transactie_id: 'T-BAD-2', vbo_id: someUnit.vbo, datum: '2024-01-02', koopsom: 250000, koper_ids: 'NP-ONBEKEND', verkoper_ids: someone, meerdere_objecten: null });
expectedRejects.push({ file: 'transacties.csv', reason: 'unknown-persoon', case: 'koper not in personen.csv' });
transacties.push({ transactie_id: 'T-BAD-3', vbo_id: '0935010000999999', datum: '2024-01-03', koopsom: 250000, koper_ids: someone, verkoper_ids: null, meerdere_objecten: null });
expectedRejects.push({ file: 'transacties.csv', reason: 'address-not-in-bag', case: 'vbo_id not in the BAG' });
hypotheken.push({ hypotheek_id: 'H-BAD-1', vbo_id: someUnit.vbo, datum: '2024-13-01', bedrag: 100000, hypotheekgever_id: someone, hypotheekhouder_id: BANK, hypotheekhouder_type: 'bank', einddatum: null });
expectedRejects.push({ file: 'hypotheken.csv', reason: 'invalid-value', case: 'datum 2024-13-01' });
hypotheken.push({ hypotheek_id: hypotheken[0]!.hypotheek_id, vbo_id: someUnit.vbo, datum: '2024-01-01', bedrag: 100000, hypotheekgever_id: someone, hypotheekhouder_id: BANK, hypotheekhouder_type: 'bank', einddatum: null });
expectedRejects.push({ file: 'hypotheken.csv', reason: 'duplicate-id', case: 'hypotheek_id occurs twice' });
vergunningen.push({ aanvraag_id: 'V-BAD-1', soort: 'exploitatievergunning', gevraagd_gebruik: 'horeca', vbo_id: null, postcode: '6229XX', huisnummer: 1, aanvrager_naam: 'Onbekend Adres', aanvrager_kvk: null, aanvrager_geboortedatum: null, datum_aanvraag: '2025-01-01', status: 'ingediend' });
expectedRejects.push({ file: 'vergunningen.csv', reason: 'address-not-in-bag', case: 'address not in the BAG' });
woz.push({ vbo_id: someUnit.vbo, peildatum: '2025-01-01', waarde: -5 });
expectedRejects.push({ file: 'woz.csv', reason: 'negative-amount', case: 'waarde -5' });

// KvK: a few ordinary establishments, in Windows-1252 with `;` (a municipal export).
const plantedUnits = new Set(planted.map((x) => x.vbo_id));
const backgroundUnits = units.filter((u) => !plantedUnits.has(u.vbo) && !kvk.some((k) => k.vbo_id === u.vbo));
for (let i = 0; i < 12; i++) {
  const u = backgroundUnits[i * 7]!;
  kvk.push({ kvk_nummer: String(nextKvk++), vestigingsnummer: String(100000000000 + i), naam: pick(['Café', 'Bakkerij', 'Kapsalon', 'Adviesbureau']) + ` ${pick(LAST)}${i % 3 === 0 ? ' & Zonen' : ''}${i === 0 ? ' Crème Brûlée' : ''}`, rechtsvorm: pick(['Eenmanszaak', 'VOF', 'BV']), datum_oprichting: dateBetween('1990-01-01', '2018-12-31'), datum_opheffing: null, sbi_codes: pick(['4724', '7022', '6201', '8559']), vbo_id: u.vbo, land: null });
}
// Subsidies and signals: a handful, with a quoted field holding separators and a newline.
subsidies.push({ aanvraag_id: 'S00001', soort: 'Gevelsubsidie binnenstad', bedrag: 12500, vbo_id: units[40]!.vbo, aanvrager_naam: 'Stichting Monumentenzorg Maastricht', aanvrager_kvk: '41000001', aanvrager_geboortedatum: null, datum_aanvraag: '2025-04-01', status: 'verleend' });
signalen.push({ signaal_id: 'SG9001', naam: 'Fictief Signaal B.V.', kvk_nummer: '99000001', geboortedatum: null, bron: 'riec', datum: '2024-02-01', omschrijving: 'Signaal RIEC Limburg; betreft "vastgoed", meerdere panden\nzie dossier 2024-17' });

// ---------------------------------------------------------------------------------------------
// Writing.
// ---------------------------------------------------------------------------------------------
function csv(rows: Row[], columns: string[], sep = ','): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[columns.join(sep), ...rows.map((r) => columns.map((c) => cell(r[c])).join(sep))].join('\r\n')}\r\n`;
}

rmSync(INPUT, { recursive: true, force: true });
mkdirSync(join(INPUT, 'bag'), { recursive: true });
const stamp = '01102026';
const vboRecords = units.map((u) => {
  const x = u as Unit & { voorkomen?: number; begin?: string; eind?: string; status?: string };
  return vboXml({ id: u.vbo, voorkomen: x.voorkomen ?? 1, begin: x.begin ?? '2009-01-01', eind: x.eind ?? null, status: x.status, hoofdadres: u.num, nevenadressen: (u as Unit & { neven?: { num: string } }).neven ? [(u as Unit & { neven: { num: string } }).neven.num] : [], gebruiksdoelen: u.doelen, oppervlakte: between(40, 220), x: u.x, y: u.y, pand: u.pand });
});
const all = [...vboRecords, ...extraVbo];
const half = Math.ceil(all.length / 2);
writeFileSync(join(INPUT, 'bag', `0935VBO${stamp}-000001.xml`), fileHeader('0935', 'VBO', P) + all.slice(0, half).join('') + FILE_FOOTER);
writeFileSync(join(INPUT, 'bag', `0935VBO${stamp}-000002.xml`), fileHeader('0935', 'VBO', P) + all.slice(half).join('') + FILE_FOOTER);
const nums = units.flatMap((u) => {
  const out = [numXml({ id: u.num, voorkomen: 1, begin: '2009-01-01', postcode: u.postcode, huisnummer: u.huisnummer, huisletter: u.huisletter, toevoeging: u.toevoeging, opr: u.opr })];
  const neven = (u as Unit & { neven?: { num: string; postcode: string; huisnummer: number } }).neven;
  if (neven) out.push(numXml({ id: neven.num, voorkomen: 1, begin: '2009-01-01', postcode: neven.postcode, huisnummer: neven.huisnummer, opr: u.opr }));
  return out;
});
writeFileSync(join(INPUT, 'bag', `0935NUM${stamp}-000001.xml`), fileHeader('0935', 'NUM', P) + nums.join('') + extraNum.join('') + FILE_FOOTER);
writeFileSync(join(INPUT, 'bag', `0935OPR${stamp}-000001.xml`), fileHeader('0935', 'OPR', P) + STREETS.map((s, i) => oprXml({ id: oprIds[i]!, voorkomen: 1, begin: '1995-01-01', naam: s, wpl: '2531' })).join('') + FILE_FOOTER);
writeFileSync(join(INPUT, 'bag', `0935WPL${stamp}-000001.xml`), fileHeader('0935', 'WPL', P) + wplXml({ id: '2531', voorkomen: 1, begin: '1995-01-01', naam: 'Maastricht' }) + FILE_FOOTER);
writeFileSync(join(INPUT, 'bag', `0935PND${stamp}-000001.xml`), fileHeader('0935', 'PND', P) + units.map((u) => pndXml({ id: u.pand, voorkomen: 1, begin: '1990-01-01', bouwjaar: between(1880, 2015), x: u.x, y: u.y })).join('') + FILE_FOOTER);
mkdirSync(join(INPUT, 'bag', 'inonderzoek'), { recursive: true });
writeFileSync(join(INPUT, 'bag', 'inonderzoek', `0935IOVBO${stamp}-000001.xml`), fileHeader('0935', 'VBO', P) + inOnderzoekXml({ vbo: onderzoekVbo, kenmerk: 'gebruiksdoel', begin: '2026-03-01' }) + FILE_FOOTER);

const addrCols = ['vbo_id', 'postcode', 'huisnummer'];
// personen.csv: UTF-8 with BOM, as Excel saves it.
writeFileSync(join(INPUT, 'personen.csv'), `\uFEFF${csv(personen, ['persoon_id', 'soort', 'naam', 'geboortedatum', 'kvk_nummer', 'rechtsvorm', 'land', 'postcode', 'huisnummer', 'huisletter', 'toevoeging', 'plaats'])}`);
writeFileSync(join(INPUT, 'rechten.csv'), csv(rechten, ['recht_id', ...addrCols, 'kadastrale_aanduiding', 'soort_recht', 'persoon_id', 'aandeel', 'ingangsdatum', 'einddatum']));
// transacties.csv: header in another order and case, plus one ragged row.
const transactieCsv = csv(transacties, ['transactie_id', 'datum', 'vbo_id', 'koopsom', 'koper_ids', 'verkoper_ids', 'meerdere_objecten'])
  .replace(/^[^\r]*/, ' Transactie_ID ,Datum,VBO_ID,Koopsom,Koper_IDs,Verkoper_IDs,Meerdere_Objecten');
writeFileSync(join(INPUT, 'transacties.csv'), `${transactieCsv}T-BAD-4,2024-01-04,${someUnit.vbo},250000\r\n`);
expectedRejects.push({ file: 'transacties.csv', reason: 'ragged-row', case: 'row with 4 of 7 fields' });
writeFileSync(join(INPUT, 'hypotheken.csv'), csv(hypotheken, ['hypotheek_id', ...addrCols, 'datum', 'bedrag', 'hypotheekgever_id', 'hypotheekhouder_id', 'hypotheekhouder_type', 'einddatum']));
writeFileSync(join(INPUT, 'woz.csv'), csv(woz, ['vbo_id', 'peildatum', 'waarde']));
writeFileSync(join(INPUT, 'kvk.csv'), iconv.encode(csv(kvk, ['kvk_nummer', 'vestigingsnummer', 'naam', 'rechtsvorm', 'datum_oprichting', 'datum_opheffing', 'sbi_codes', 'vbo_id', 'land'], ';'), 'win1252'));
writeFileSync(join(INPUT, 'vergunningen.csv'), csv(vergunningen, ['aanvraag_id', 'soort', 'gevraagd_gebruik', ...addrCols, 'aanvrager_naam', 'aanvrager_kvk', 'aanvrager_geboortedatum', 'datum_aanvraag', 'status']));
writeFileSync(join(INPUT, 'subsidies.csv'), csv(subsidies, ['aanvraag_id', 'soort', 'bedrag', 'vbo_id', 'aanvrager_naam', 'aanvrager_kvk', 'aanvrager_geboortedatum', 'datum_aanvraag', 'status']));
writeFileSync(join(INPUT, 'signalen.csv'), csv(signalen, ['signaal_id', 'naam', 'kvk_nummer', 'geboortedatum', 'bron', 'datum', 'omschrijving']));
writeFileSync(join(ROOT, 'planted.json'), `${JSON.stringify({ peildatum: P, cases: planted, rejects: expectedRejects }, null, 2)}\n`);
process.stdout.write(`fixtures/demo: ${units.length} units, ${personen.length} parties, ${planted.length} planted cases, ${expectedRejects.length} planted rejects\n`);
