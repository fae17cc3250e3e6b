import { describe, expect, it } from 'vitest';
import { catalogue } from '../src/rules/catalogue.ts';
import { resolveRules } from '../src/screen/run-screen.ts';
import { pipelineSchema } from '../schemas/pipeline.ts';
import { pairs, screen, writeInput, type Rows } from './helpers/mini-input.ts';

const U1 = '0935010000000001';
const U2 = '0935010000000002';

describe('the rule catalogue', () => {
  it('gives every rule a stable id, a version, titles, default points and defaults for its parameters', () => {
    const ids = catalogue.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(16);
    for (const r of catalogue) {
      expect(r.id).toMatch(/^(financing|ownership|use|network)\.[a-z-]+$/);
      expect(r.id.startsWith(`${r.family}.`)).toBe(true);
      expect(r.version).toBeGreaterThanOrEqual(1);
      expect(r.title.nl.length && r.title.en.length).toBeTruthy();
      expect(r.defaultPoints).toBeGreaterThan(0);
      expect(() => r.params.parse({})).not.toThrow();
    }
  });

  it('refuses unknown rules and bad or misspelt parameters in a pipeline', () => {
    expect(() => resolveRules(pipelineSchema.parse({ name: 'x', rules: { 'financing.nope': {} } }))).toThrow(/unknown rule "financing.nope"/);
    expect(() => resolveRules(pipelineSchema.parse({ name: 'x', rules: { 'financing.cash-purchase': { params: { minKoopsom: -1 } } } }))).toThrow(/minKoopsom/);
    expect(() => resolveRules(pipelineSchema.parse({ name: 'x', rules: { 'financing.cash-purchase': { params: { minKoopsum: 5 } } } }))).toThrow(/minKoopsum/);
    const r = resolveRules(pipelineSchema.parse({ name: 'x', rules: { 'financing.cash-purchase': { enabled: false }, 'use.permit-mismatch': { points: 3 } } }));
    expect(r.find((x) => x.rule.id === 'financing.cash-purchase')).toBeUndefined();
    expect(r.find((x) => x.rule.id === 'use.permit-mismatch')!.points).toBe(3);
  });

  it('marks a rule unavailable, with the reason, when a source it needs is absent', async () => {
    const input = writeInput([{ vbo: U1 }], {});
    const { register } = await screen(input, '2026-10-01');
    const unavailable = new Map(register.unavailable_rules.map((u) => [u.id, u.reason]));
    for (const rule of catalogue) {
      const expectUnavailable = rule.needs.length > 0 || (rule.needsOneOf?.length ?? 0) > 0;
      expect(unavailable.has(rule.id), rule.id).toBe(expectUnavailable);
    }
    expect(unavailable.get('financing.overfinancing')).toBe('sources transacties.csv, hypotheken.csv not in the input');
    expect(unavailable.get('network.flagged-applicant')).toBe('none of vergunningen.csv, subsidies.csv in the input');
    expect(register.rules.map((r) => r.id)).toEqual(['financing.opaque-owner']);
  });
});

const persons: Rows = [
  { persoon_id: 'A', soort: 'natuurlijk_persoon', naam: 'Anna Aarts', geboortedatum: '1970-01-01' },
  { persoon_id: 'B', soort: 'niet_natuurlijk_persoon', naam: 'Beta Vastgoed B.V.', kvk_nummer: '12345678' },
  { persoon_id: 'BANK', soort: 'niet_natuurlijk_persoon', naam: 'Bank N.V.', kvk_nummer: '99999999' },
];
const deed = (id: string, vbo: string, datum: string, koper: string, verkoper = 'A', koopsom = 300_000) => ({ transactie_id: id, vbo_id: vbo, datum, koopsom, koper_ids: koper, verkoper_ids: verkoper });

describe('rule edges not covered by the demo fixtures', () => {
  it('financing.young-company-buyer counts calendar months, across a leap day', async () => {
    const kvk = [{ kvk_nummer: '12345678', naam: 'Beta Vastgoed B.V.', datum_oprichting: '2024-02-29' }];
    // 12 months before 2025-02-28 is 2024-02-28: founded a day later, so younger than 12 months.
    const young = writeInput([{ vbo: U1 }], { 'personen.csv': persons, 'transacties.csv': [deed('T1', U1, '2025-02-28', 'B')], 'kvk.csv': kvk });
    expect(pairs((await screen(young, '2026-10-01')).register, 'financing.young-company-buyer')).toEqual([`${U1} financing.young-company-buyer`]);
    const old = writeInput([{ vbo: U1 }], { 'personen.csv': persons, 'transacties.csv': [deed('T1', U1, '2025-03-01', 'B')], 'kvk.csv': kvk });
    expect(pairs((await screen(old, '2026-10-01')).register, 'financing.young-company-buyer')).toEqual([]);
  });

  it('ownership.related-party-transfer treats an empty address as unknown, never equal', async () => {
    const ps: Rows = [
      { persoon_id: 'K', soort: 'natuurlijk_persoon', naam: 'Karel Koper', geboortedatum: '1970-01-01' },
      { persoon_id: 'V', soort: 'natuurlijk_persoon', naam: 'Vera Verkoper', geboortedatum: '1971-01-01' },
      { persoon_id: 'K2', soort: 'natuurlijk_persoon', naam: 'Kees Koper', postcode: '6211AA', huisnummer: 1, huisletter: 'a' },
      { persoon_id: 'V2', soort: 'natuurlijk_persoon', naam: 'Vic Verkoper', postcode: '6211 aa', huisnummer: 1, huisletter: 'A' },
    ];
    const input = writeInput([{ vbo: U1 }, { vbo: U2 }], { 'personen.csv': ps, 'transacties.csv': [deed('T1', U1, '2025-01-01', 'K', 'V'), deed('T2', U2, '2025-01-01', 'K2', 'V2')] });
    expect(pairs((await screen(input, '2026-10-01')).register, 'ownership.related-party-transfer')).toEqual([`${U2} ownership.related-party-transfer`]);
  });

  it('network.signal-match ignores signals dated after the peildatum and matches by KvK number', async () => {
    const rights = [{ recht_id: 'R1', vbo_id: U1, soort_recht: 'eigendom', persoon_id: 'B', ingangsdatum: '2010-01-01' }];
    const signal = (datum: string) => [{ signaal_id: 'S1', naam: 'Heel Andere Naam', kvk_nummer: '12345678', bron: 'riec', datum }];
    const on = writeInput([{ vbo: U1 }], { 'personen.csv': persons, 'rechten.csv': rights, 'signalen.csv': signal('2026-10-01') });
    const { register } = await screen(on, '2026-10-01');
    expect(pairs(register, 'network.signal-match')).toEqual([`${U1} network.signal-match`]);
    expect(register.entries[0]!.hits[0]!.explanation.nl).toContain('KvK-nummer gelijk');
    const after = writeInput([{ vbo: U1 }], { 'personen.csv': persons, 'rechten.csv': rights, 'signalen.csv': signal('2026-10-02') });
    expect(pairs((await screen(after, '2026-10-01')).register, 'network.signal-match')).toEqual([]);
  });

  it('financing.private-lender: a mortgage cancelled on the peildatum is no longer active', async () => {
    const m = (einddatum: string | null) => [{ hypotheek_id: 'H1', vbo_id: U1, datum: '2015-01-01', bedrag: 1000, hypotheekhouder_id: 'A', einddatum }];
    for (const [einddatum, expected] of [['2026-10-01', []], ['2026-10-02', [`${U1} financing.private-lender`]], [null, [`${U1} financing.private-lender`]]] as const) {
      const input = writeInput([{ vbo: U1 }], { 'personen.csv': persons, 'hypotheken.csv': m(einddatum) });
      expect(pairs((await screen(input, '2026-10-01')).register, 'financing.private-lender'), String(einddatum)).toEqual(expected);
    }
  });
});
