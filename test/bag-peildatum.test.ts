import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { FILE_FOOTER, fileHeader, numXml, vboXml } from '../scripts/lvbag-xml.ts';
import { dbTarget, withDb } from './helpers/db-target.ts';
import { screen, writeInput } from './helpers/mini-input.ts';

// The BAG as stored and linked on each engine (the reader's own tests, in bag-reader.test.ts, need no
// database and run once).
describe('the BAG on the peildatum', () => {
  it('rejects the rows that name a vbo_id not in the BAG or a party not in personen.csv, and keeps the others', async () => {
    const units = [{ vbo: '0935010000000001' }, { vbo: '0935010000000002' }];
    const unknownVbo = '0935010000000009';
    const personen = [
      { persoon_id: 'P1', soort: 'natuurlijk_persoon', naam: 'Test Persoon', kvk_nummer: null },
      { persoon_id: 'BANK', soort: 'niet_natuurlijk_persoon', naam: 'Bank N.V.', kvk_nummer: '12345678' },
    ];
    const recht = (id: string, vbo: string, persoon: string) => ({ recht_id: id, vbo_id: vbo, soort_recht: 'eigendom', persoon_id: persoon, aandeel: '1/1', ingangsdatum: '2010-01-01' });
    // R2 and R3 name one unknown unit (each row rejected), R4 an unknown owner; R5 both (one reject: the unit's, found first).
    const rechten = [recht('R1', units[0]!.vbo, 'P1'), recht('R2', unknownVbo, 'P1'), recht('R3', unknownVbo, 'P1'), recht('R4', units[1]!.vbo, 'PX'), recht('R5', unknownVbo, 'PX')];
    const hypotheek = (id: string, houder: string, gever: string | null) => ({ hypotheek_id: id, vbo_id: units[0]!.vbo, datum: '2015-01-01', bedrag: 100_000, hypotheekgever_id: gever, hypotheekhouder_id: houder, hypotheekhouder_type: 'bank', einddatum: null });
    // Two mortgages from one unknown lender, one to an unknown borrower.
    const hypotheken = [hypotheek('H1', 'BANK', 'P1'), hypotheek('H2', 'BANKX', 'P1'), hypotheek('H3', 'BANKX', null), hypotheek('H4', 'BANK', 'PY')];
    // T2 names an unknown buyer, T3 an unknown unit and an unknown seller (one reject: the unit's).
    const transactie = (id: string, vbo: string, koper: string, verkoper: string) => ({ transactie_id: id, vbo_id: vbo, datum: '2015-01-01', koopsom: 250_000, koper_ids: koper, verkoper_ids: verkoper, meerdere_objecten: null });
    const transacties = [transactie('T1', units[0]!.vbo, 'P1', 'BANK'), transactie('T2', units[1]!.vbo, 'PZ', 'P1'), transactie('T3', unknownVbo, 'P1', 'PZ')];
    const { manifest, runDir } = await screen(writeInput(units, { 'personen.csv': personen, 'rechten.csv': rechten, 'hypotheken.csv': hypotheken, 'transacties.csv': transacties }), '2026-01-01');
    const rejects = readFileSync(join(runDir, 'rejects.csv'), 'utf8').split('\n').filter((l) => /address-not-in-bag|unknown-persoon/.test(l)).map((l) => l.split(';').slice(0, 5).join(';'));
    expect(rejects).toEqual([
      'hypotheken.csv;3;hypotheekhouder_id;BANKX;unknown-persoon',
      'hypotheken.csv;4;hypotheekhouder_id;BANKX;unknown-persoon',
      'hypotheken.csv;5;hypotheekgever_id;PY;unknown-persoon',
      `rechten.csv;3;vbo_id;${unknownVbo};address-not-in-bag`,
      `rechten.csv;4;vbo_id;${unknownVbo};address-not-in-bag`,
      'rechten.csv;5;persoon_id;PX;unknown-persoon',
      `rechten.csv;6;vbo_id;${unknownVbo};address-not-in-bag`,
      'transacties.csv;3;koper_ids;PZ;unknown-persoon',
      `transacties.csv;4;vbo_id;${unknownVbo};address-not-in-bag`,
    ]);
    const loaded = Object.fromEntries((manifest.inputs as { path: string; loaded: number }[]).map((f) => [f.path, f.loaded]));
    expect([loaded['rechten.csv'], loaded['hypotheken.csv'], loaded['transacties.csv']]).toEqual([1, 1, 1]);
  });

  it('resolves addresses only to units whose voorkomen is valid and current on the peildatum', async () => {
    const units = [
      { vbo: '0935010000000001', postcode: '6211AA', huisnummer: 1, voorkomens: [{ voorkomen: 1, begin: '2000-01-01', gebruiksdoelen: ['woonfunctie'], status: 'Verblijfsobject ingetrokken' }] },
      { vbo: '0935010000000002', postcode: '6211AA', huisnummer: 2, voorkomens: [{ voorkomen: 1, begin: '2000-01-01', eind: '2026-01-01', gebruiksdoelen: ['woonfunctie'] }] },
      { vbo: '0935010000000003', postcode: '6211AA', huisnummer: 3, voorkomens: [{ voorkomen: 1, begin: '2026-01-01', gebruiksdoelen: ['woonfunctie'] }] },
      { vbo: '0935010000000004', postcode: '6211AA', huisnummer: 4, voorkomens: [{ voorkomen: 1, begin: '2026-01-02', gebruiksdoelen: ['woonfunctie'] }] },
    ];
    const rechten = [1, 2, 3, 4].map((n) => ({ recht_id: `R${n}`, postcode: '6211 aa', huisnummer: n, soort_recht: 'eigendom', persoon_id: 'P1', ingangsdatum: '2010-01-01' }));
    const { manifest, runDir } = await screen(writeInput(units, { 'rechten.csv': rechten }), '2026-01-01');
    const rejects = readFileSync(join(runDir, 'rejects.csv'), 'utf8');
    // Withdrawn (1), ended the day before (2, eind exclusive) and not yet begun (4) do not resolve.
    expect(rejects.match(/address-not-in-bag/g)).toHaveLength(3);
    expect(rejects).toContain('rechten.csv;2;postcode;6211AA 1;address-not-in-bag');
    expect(rejects).toContain('rechten.csv;3;postcode;6211AA 2;address-not-in-bag');
    expect(rejects).toContain('rechten.csv;5;postcode;6211AA 4;address-not-in-bag');
    const rechtenStats = (manifest.inputs as { path: string; loaded: number }[]).find((f) => f.path === 'rechten.csv')!;
    expect(rechtenStats.loaded).toBe(1);
  });

  it('resolves an address by its postcode, number, letter and addition, in every file that names it, to the lowest vbo_id of the units that share it', async () => {
    const units = [
      { vbo: '0935010000000011', postcode: '6211AB', huisnummer: 10 },
      { vbo: '0935010000000012', postcode: '6211AB', huisnummer: 10, huisletter: 'A' },
      { vbo: '0935010000000013', postcode: '6211AB', huisnummer: 10, toevoeging: '2' },
      { vbo: '0935010000000015', postcode: '6211AC', huisnummer: 1 },
      { vbo: '0935010000000014', postcode: '6211AC', huisnummer: 1 },
    ];
    const recht = (id: string, huisnummer: number, extra: Record<string, string> = {}) => ({ recht_id: id, postcode: '6211 AB', huisnummer, huisletter: null, toevoeging: null, soort_recht: 'eigendom', persoon_id: 'P1', aandeel: '1/1', ingangsdatum: '2010-01-01', ...extra });
    const rechten = [recht('R1', 10, { huisletter: 'A' }), recht('R2', 10), recht('R3', 10, { toevoeging: '2' }), recht('R4', 11), recht('R5', 10, { huisletter: 'B' })];
    // The same address as R2 (asked by an earlier file), and one shared by two units.
    const transacties = [{ transactie_id: 'T1', postcode: '6211AB', huisnummer: 10, datum: '2015-01-01', koopsom: 250_000, koper_ids: 'P1', verkoper_ids: 'P1', meerdere_objecten: null }];
    const woz = [{ postcode: '6211AC', huisnummer: 1, peildatum: '2025-01-01', waarde: 300_000 }];
    const { runDir, work } = await screen(writeInput(units, { 'rechten.csv': rechten, 'transacties.csv': transacties, 'woz.csv': woz }), '2026-01-01');
    const rejects = readFileSync(join(runDir, 'rejects.csv'), 'utf8');
    expect(rejects.match(/address-not-in-bag/g)).toHaveLength(2);
    expect(rejects).toContain('rechten.csv;5;postcode;6211AB 11;address-not-in-bag');
    expect(rejects).toContain('rechten.csv;6;postcode;6211AB 10B;address-not-in-bag');
    const stored = await withDb(dbTarget(work), async (db) => ({
      rechten: (await db.selectFrom('recht').select(['recht_id', 'vbo_id']).orderBy('recht_id').execute()).map((r) => `${r.recht_id} ${r.vbo_id}`),
      transacties: (await db.selectFrom('transactie').select('vbo_id').execute()).map((r) => r.vbo_id),
      woz: (await db.selectFrom('woz').select('vbo_id').execute()).map((r) => r.vbo_id),
    }));
    expect(stored).toEqual({
      rechten: ['R1 0935010000000012', 'R2 0935010000000011', 'R3 0935010000000013'],
      transacties: ['0935010000000011'],
      woz: ['0935010000000014'],
    });
  });

  it('keeps a duplicate voorkomen out with its gebruiksdoelen, and stores a gebruiksdoel listed twice once', async () => {
    // Gebruiksdoelen as rows are stored only where a voorkomen has more than one (see load-bag.ts):
    // so both voorkomens have two, and the duplicate's must not join the kept one's.
    const units = [{ vbo: '0935010000000001', voorkomens: [
      { voorkomen: 1, begin: '2000-01-01', gebruiksdoelen: ['woonfunctie', 'kantoorfunctie', 'woonfunctie'] },
      { voorkomen: 1, begin: '2000-01-01', gebruiksdoelen: ['winkelfunctie', 'sportfunctie'] },
    ] }];
    const { runDir, work } = await screen(writeInput(units, {}), '2026-01-01');
    expect(readFileSync(join(runDir, 'rejects.csv'), 'utf8')).toMatch(/bag\/0935VBO01012026-000001\.xml;2;identificatie;0935010000000001;duplicate-id/);
    const stored = await withDb(dbTarget(work), async (db) => ({
      doelen: (await db.selectFrom('bag_vbo_gebruiksdoel').select(['voorkomen', 'gebruiksdoel']).execute()).map((r) => `${r.voorkomen} ${r.gebruiksdoel}`).sort(),
      unitDoelen: (await db.selectFrom('unit_gebruiksdoel').select('gebruiksdoel').execute()).map((r) => r.gebruiksdoel).sort(),
      adressen: (await db.selectFrom('bag_vbo_adres').select(['voorkomen', 'num_id', 'hoofdadres']).execute()).map((r) => `${r.voorkomen} ${r.num_id} ${r.hoofdadres}`),
      // Each voorkomen names its file by number; the run's files are listed once each.
      files: (await db.selectFrom('bag_file').select(['file_no', 'file']).orderBy('file_no').execute()).map((r) => `${r.file_no} ${r.file}`),
      from: (await db.selectFrom('bag_vbo').innerJoin('bag_file', (j) => j.onRef('bag_file.run_key', '=', 'bag_vbo.run_key').onRef('bag_file.file_no', '=', 'bag_vbo.file_no'))
        .select(['file', 'position']).execute()).map((r) => `${r.file}:${r.position}`),
    }));
    expect(stored.files.map((f) => f.replace(/^\d+ /, '')).sort()).toEqual(['NUM', 'OPR', 'VBO', 'WPL'].map((t) => `bag/0935${t}01012026-000001.xml`));
    expect(stored.files.map((f) => Number(f.split(' ')[0]))).toEqual([0, 1, 2, 3]);
    expect({ doelen: stored.doelen, unitDoelen: stored.unitDoelen, adressen: stored.adressen, from: stored.from })
      .toEqual({ doelen: ['1 kantoorfunctie', '1 woonfunctie'], unitDoelen: ['kantoorfunctie', 'woonfunctie'], adressen: [], from: ['bag/0935VBO01012026-000001.xml:1'] });
  });

  // sqlite_stat1 is SQLite's; PostgreSQL analyses what it is given.
  it.runIf(process.env.VIB_TEST_ENGINE !== 'postgres')('analyses again the tables whose rows the links changed, so the planner sees units found by address', async () => {
    const units = [1, 2, 3].map((n) => ({ vbo: `093501000000000${n}`, postcode: '6211AA', huisnummer: n }));
    // rechten.csv names its units by address (found while linking), woz.csv by vbo_id (as loaded).
    const rechten = [1, 2, 3].map((n) => ({ recht_id: `R${n}`, postcode: '6211AA', huisnummer: n, soort_recht: 'eigendom', persoon_id: 'P1', ingangsdatum: '2010-01-01' }));
    const woz = [1, 2, 3].map((n) => ({ vbo_id: `093501000000000${n}`, peildatum: '2025-01-01', waarde: 250000 }));
    const { work } = await screen(writeInput(units, { 'rechten.csv': rechten, 'woz.csv': woz }), '2026-01-01');
    const stat = (idx: string) => withDb(dbTarget(work), async (db) =>
      (await sql<{ stat: string }>`SELECT stat FROM sqlite_stat1 WHERE idx = ${idx}`.execute(db)).rows[0]?.stat);
    // Loaded, the three rights had no vbo_id (one value for all three); linked, each has its own.
    expect(await stat('recht_run_key_vbo_id_idx')).toBe('3 3 1');
    expect(await stat('woz_run_key_vbo_id_idx')).toBe('3 3 1');
  });

  it('takes a single gebruiksdoel and the hoofdadres from the unit\'s row, and the others from their rows', async () => {
    const dir = writeInput([], {});
    const num = (n: number) => `093520000000000${n}`;
    const vbo = (n: number, gebruiksdoelen: string[], hoofdadres: string, nevenadressen: string[] = []) =>
      vboXml({ id: `093501000000000${n}`, voorkomen: 1, begin: '2000-01-01', hoofdadres, nevenadressen, gebruiksdoelen, oppervlakte: 80, x: 1, y: 2, pand: '0935100000000001' });
    writeFileSync(join(dir, 'bag', '0935VBO01012026-000001.xml'), fileHeader('0935', 'VBO', '2026-01-01') + [
      vbo(1, ['woonfunctie'], num(1), [num(2), num(1)]), // a nevenadres that is the hoofdadres counts once
      vbo(2, ['woonfunctie', 'winkelfunctie'], num(3)),
      vbo(3, ['a|b'], num(4), [num(5)]), // "|" separates the row's list: this one is stored as a row
      vbo(4, [], num(6)),
    ].join('') + FILE_FOOTER);
    writeFileSync(join(dir, 'bag', '0935NUM01012026-000001.xml'), fileHeader('0935', 'NUM', '2026-01-01') + [1, 2, 3, 4, 5, 6].map((n) =>
      numXml({ id: num(n), voorkomen: 1, begin: '2000-01-01', eind: n === 5 ? '2020-01-01' : null, postcode: '6211AA', huisnummer: n, opr: '0935300000000001' })).join('') + FILE_FOOTER);
    const { work } = await screen(dir, '2026-01-01');
    const stored = await withDb(dbTarget(work), async (db) => ({
      adresRows: (await db.selectFrom('bag_vbo_adres').select(['vbo_id', 'num_id', 'hoofdadres']).execute()).map((r) => `${r.vbo_id.slice(-1)} ${r.num_id.slice(-1)} ${r.hoofdadres}`).sort(),
      doelRows: (await db.selectFrom('bag_vbo_gebruiksdoel').select(['vbo_id', 'gebruiksdoel']).execute()).map((r) => `${r.vbo_id.slice(-1)} ${r.gebruiksdoel}`).sort(),
      units: (await db.selectFrom('unit').select(['vbo_id', 'hoofdadres']).execute()).map((r) => `${r.vbo_id.slice(-1)} ${r.hoofdadres}`).sort(),
      doelen: (await db.selectFrom('unit_gebruiksdoel').select(['vbo_id', 'gebruiksdoel']).execute()).map((r) => `${r.vbo_id.slice(-1)} ${r.gebruiksdoel}`).sort(),
      addresses: (await db.selectFrom('address').select(['vbo_id', 'num_id', 'hoofdadres', 'huisnummer']).execute()).map((r) => `${r.vbo_id.slice(-1)} ${r.num_id.slice(-1)} ${r.hoofdadres} ${r.huisnummer}`).sort(),
    }));
    expect(stored).toEqual({
      adresRows: ['1 2 0', '3 5 0'],
      doelRows: ['2 winkelfunctie', '2 woonfunctie', '3 a|b'],
      units: ['1 0935200000000001', '2 0935200000000003', '3 0935200000000004', '4 0935200000000006'],
      doelen: ['1 woonfunctie', '2 winkelfunctie', '2 woonfunctie', '3 a|b'],
      // 5 ended before the peildatum.
      addresses: ['1 1 1 1', '1 2 0 2', '2 3 1 3', '3 4 1 4', '4 6 1 6'],
    });
  });
});
