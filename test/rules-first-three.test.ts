import { describe, expect, it } from 'vitest';
import { pairs, screen, writeInput, type Rows } from './helpers/mini-input.ts';

const U1 = '0935010000000001';
const U2 = '0935010000000002';
const U3 = '0935010000000003';
const PEIL = '2026-10-01';
const personen: Rows = [
  { persoon_id: 'A', soort: 'natuurlijk_persoon', naam: 'Koper A' },
  { persoon_id: 'B', soort: 'niet_natuurlijk_persoon', naam: 'Koper B BV', kvk_nummer: '12345678' },
  { persoon_id: 'BANK', soort: 'niet_natuurlijk_persoon', naam: 'Bank NV', kvk_nummer: '87654321' },
];
const units = [{ vbo: U1 }, { vbo: U2 }, { vbo: U3 }];

function deed(id: string, vbo: string, datum: string, koopsom: number | null, koper = 'A', verkoper = 'B') {
  return { transactie_id: id, vbo_id: vbo, datum, koopsom, koper_ids: koper, verkoper_ids: verkoper, meerdere_objecten: null };
}
function mortgage(id: string, vbo: string, datum: string) {
  return { hypotheek_id: id, vbo_id: vbo, datum, bedrag: 100_000, hypotheekgever_id: 'A', hypotheekhouder_id: 'BANK', hypotheekhouder_type: 'bank', einddatum: null };
}

describe('financing.cash-purchase', () => {
  const rule = 'financing.cash-purchase';
  it('fires at the koopsom threshold and not one euro under it', async () => {
    const input = writeInput(units, {
      'personen.csv': personen,
      'transacties.csv': [deed('T1', U1, '2025-01-01', 100_000), deed('T2', U2, '2025-01-01', 99_999)],
      'hypotheken.csv': [mortgage('H9', U3, '2010-01-01')],
    });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([`${U1} ${rule}`]);
  });

  it('a mortgage 90 days before or after the deed prevents it; 91 days does not', async () => {
    const input = writeInput(units, {
      'personen.csv': personen,
      'transacties.csv': [deed('T1', U1, '2025-01-01', 300_000), deed('T2', U2, '2025-01-01', 300_000), deed('T3', U3, '2025-01-01', 300_000)],
      'hypotheken.csv': [mortgage('H1', U1, '2025-04-01'), mortgage('H2', U2, '2024-10-03'), mortgage('H3', U3, '2025-04-02')],
    });
    const { register } = await screen(input, PEIL);
    // 2025-01-01 + 90 days = 2025-04-01; - 90 days = 2024-10-03.
    expect(pairs(register, rule)).toEqual([`${U3} ${rule}`]);
  });

  it('counts 60 months back from the peildatum, inclusive, and ignores later events', async () => {
    const input = writeInput(units, {
      'personen.csv': personen,
      'transacties.csv': [deed('T1', U1, '2021-10-01', 300_000), deed('T2', U2, '2021-09-30', 300_000), deed('T3', U3, '2026-10-02', 300_000)],
      'hypotheken.csv': [mortgage('H9', U3, '2010-01-01')],
    });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([`${U1} ${rule}`]);
  });

  it('a mortgage registered after the peildatum does not count', async () => {
    const input = writeInput(units, {
      'personen.csv': personen,
      'transacties.csv': [deed('T1', U1, '2026-09-20', 300_000)],
      'hypotheken.csv': [mortgage('H1', U1, '2026-10-05')],
    });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([`${U1} ${rule}`]);
  });

  it('is unavailable, and says why, without hypotheken.csv', async () => {
    const input = writeInput(units, { 'personen.csv': personen, 'transacties.csv': [deed('T1', U1, '2025-01-01', 300_000)] });
    const { register, manifest } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([]);
    expect(register.unavailable_rules).toContainEqual({ id: rule, reason: 'source hypotheken.csv not in the input' });
    expect(manifest.unavailable_rules).toEqual(register.unavailable_rules);
  });

  it('explains itself with the deed as evidence', async () => {
    const input = writeInput(units, { 'personen.csv': personen, 'transacties.csv': [deed('T1', U1, '2025-01-01', 1_250_000)], 'hypotheken.csv': [mortgage('H9', U3, '2010-01-01')] });
    const { register } = await screen(input, PEIL);
    const hit = register.entries[0]!.hits[0]!;
    expect(hit.explanation.nl).toContain('€ 1.250.000');
    expect(hit.evidence).toEqual([{ source: 'transacties.csv', id: 'T1', fields: { datum: '2025-01-01', koopsom: 1_250_000 } }]);
    expect(hit.parameters).toEqual({ minKoopsom: 100_000, lookBackMonths: 60, mortgageWindowDays: 90 });
  });
});

describe('ownership.quick-resale', () => {
  const rule = 'ownership.quick-resale';
  const financed = (rows: ReturnType<typeof deed>[]) => rows.map((t, i) => mortgage(`H${i}`, t.vbo_id, t.datum));
  it('fires at 183 days and +20 %, not at 184 days or +19.9 %', async () => {
    const deeds = [
      deed('T1', U1, '2024-01-01', 200_000), deed('T2', U1, '2024-07-02', 240_000), // 183 days, +20 %
      deed('T3', U2, '2024-01-01', 200_000), deed('T4', U2, '2024-07-03', 400_000), // 184 days
      deed('T5', U3, '2024-01-01', 200_000), deed('T6', U3, '2024-02-01', 239_800), // +19.9 %
    ];
    const input = writeInput(units, { 'personen.csv': personen, 'transacties.csv': deeds, 'hypotheken.csv': financed(deeds) });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([`${U1} ${rule}`]);
    const hit = register.entries.find((e) => e.vbo_id === U1)!.hits.find((h) => h.rule_id === rule)!;
    expect(hit.evidence.map((e) => e.id)).toEqual(['T1', 'T2']);
  });

  it('compares consecutive transfers only, within the look-back', async () => {
    const deeds = [
      // T2 sits between T1 and T3: T1→T3 would be +50 % in 150 days, but they are not consecutive.
      deed('T1', U1, '2024-01-01', 200_000), deed('T2', U1, '2024-03-01', 200_000), deed('T3', U1, '2024-05-30', 230_000),
      // The first deed of the pair lies before the 60-month look-back.
      deed('T4', U2, '2021-09-01', 100_000), deed('T5', U2, '2021-11-01', 300_000),
      // The resale lies after the peildatum.
      deed('T6', U3, '2026-09-01', 100_000), deed('T7', U3, '2026-10-02', 300_000),
    ];
    const input = writeInput(units, { 'personen.csv': personen, 'transacties.csv': deeds, 'hypotheken.csv': financed(deeds) });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([]);
  });

  it('skips pairs where either koopsom is undisclosed', async () => {
    const deeds = [deed('T1', U1, '2024-01-01', null), deed('T2', U1, '2024-02-01', 500_000)];
    const input = writeInput(units, { 'personen.csv': personen, 'transacties.csv': deeds, 'hypotheken.csv': financed(deeds) });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([]);
  });
});

describe('use.permit-mismatch', () => {
  const rule = 'use.permit-mismatch';
  const permit = (id: string, vbo: string, soort: string, gebruik: string | null, datum = '2025-01-01', status = 'ingediend') =>
    ({ aanvraag_id: id, soort, gevraagd_gebruik: gebruik, vbo_id: vbo, aanvrager_naam: 'Aanvrager', datum_aanvraag: datum, status });
  const mixed = [
    { vbo: U1, gebruiksdoelen: ['woonfunctie'] },
    { vbo: U2, gebruiksdoelen: ['bijeenkomstfunctie'] },
    { vbo: U3, gebruiksdoelen: ['logiesfunctie', 'woonfunctie'] },
  ];

  it('horeca is compatible with bijeenkomstfunctie and logiesfunctie, not with woonfunctie', async () => {
    const input = writeInput(mixed, {
      'personen.csv': personen,
      'vergunningen.csv': [permit('V1', U1, 'exploitatievergunning', null), permit('V2', U2, 'alcoholwet', 'horeca'), permit('V3', U3, 'terras', null)],
    });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([`${U1} ${rule}`]);
  });

  it('never fires on an omgevingsvergunning, a withdrawn application or a non-horeca overig permit', async () => {
    const input = writeInput(mixed, {
      'personen.csv': personen,
      'vergunningen.csv': [
        permit('V1', U1, 'omgevingsvergunning', 'horeca'), permit('V2', U1, 'alcoholwet', 'horeca', '2025-01-01', 'ingetrokken'),
        permit('V3', U1, 'overig', 'kantoorfunctie'),
      ],
    });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([]);
  });

  it('an overig permit asking for horeca counts; a requested BAG use is compatible with itself', async () => {
    const input = writeInput(mixed, {
      'personen.csv': personen,
      'vergunningen.csv': [permit('V1', U1, 'overig', 'horeca'), permit('V2', U2, 'exploitatievergunning', 'bijeenkomstfunctie'), permit('V3', U3, 'exploitatievergunning', 'winkelfunctie')],
    });
    const { register } = await screen(input, PEIL);
    expect(pairs(register, rule)).toEqual([`${U1} ${rule}`, `${U3} ${rule}`]);
  });

  it('uses a 36-month window, inclusive, and ignores applications after the peildatum', async () => {
    const input = writeInput(mixed, {
      'personen.csv': personen,
      'vergunningen.csv': [permit('V1', U1, 'terras', null, '2023-10-01'), permit('V2', U1, 'terras', null, '2023-09-30'), permit('V3', U1, 'terras', null, '2026-10-02')],
    });
    const { register } = await screen(input, PEIL);
    const hit = register.entries.find((e) => e.vbo_id === U1)!.hits.find((h) => h.rule_id === rule)!;
    expect(hit.evidence.filter((e) => e.source === 'vergunningen.csv').map((e) => e.id)).toEqual(['V1']);
  });

  it('judges the gebruiksdoelen of the voorkomen valid on the peildatum', async () => {
    const unit = {
      vbo: U1, voorkomens: [
        { voorkomen: 1, begin: '2000-01-01', eind: '2020-01-01', gebruiksdoelen: ['bijeenkomstfunctie'] },
        { voorkomen: 2, begin: '2020-01-01', eind: '2027-01-01', gebruiksdoelen: ['woonfunctie'] },
        { voorkomen: 3, begin: '2027-01-01', gebruiksdoelen: ['bijeenkomstfunctie'] },
      ],
    };
    const input = writeInput([unit], { 'personen.csv': personen, 'vergunningen.csv': [permit('V1', U1, 'exploitatievergunning', null)] });
    expect(pairs((await screen(input, PEIL)).register, rule)).toEqual([`${U1} ${rule}`]);
    // Screened as of 2027-01-01 the future voorkomen is valid (begin ≤ peildatum) and horeca fits.
    const later = writeInput([unit], { 'personen.csv': personen, 'vergunningen.csv': [permit('V1', U1, 'exploitatievergunning', null, '2026-06-01')] });
    expect(pairs((await screen(later, '2027-01-01')).register, rule)).toEqual([]);
    // And on 2019-12-31 the historic one is (eindGeldigheid is exclusive).
    const earlier = writeInput([unit], { 'personen.csv': personen, 'vergunningen.csv': [permit('V1', U1, 'exploitatievergunning', null, '2019-06-01')] });
    expect(pairs((await screen(earlier, '2019-12-31')).register, rule)).toEqual([]);
    expect(pairs((await screen(earlier, '2020-01-01')).register, rule)).toEqual([`${U1} ${rule}`]);
  });
});
