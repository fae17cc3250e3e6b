import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkReportSchema, type CheckReport } from '../schemas/check.ts';
import { vib } from './helpers/cli.ts';
import { screen, tempDir, writeInput } from './helpers/mini-input.ts';
import { dbTarget, withDb } from './helpers/db-target.ts';

let db: string;
function check(args: string[]): { code: number; report?: CheckReport; stderr: string; stdout: string } {
  const r = vib(['check', '--db', db, '--json', '--as', 'tester', ...args]);
  return { code: r.code, stderr: r.stderr, stdout: r.stdout, report: r.code === 0 ? checkReportSchema.parse(JSON.parse(r.stdout)) : undefined };
}

beforeAll(() => {
  const work = tempDir();
  db = dbTarget(work);
  expect(vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', join(work, 'out')]).code).toBe(0);
});

describe('vib check', () => {
  it('finds a company by KvK number exactly, with its units, register entries and signals', () => {
    const byName = check(['--naam', 'Lindeboom Capital B.V.']).report!;
    const kvk = byName.matches[0]!.party.kvk_nummer!;
    const r = check(['--kvk', kvk]).report!;
    expect(r.matches).toHaveLength(1);
    const m = r.matches[0]!;
    expect(m.reasons).toEqual(['KvK-nummer gelijk']);
    expect(m.score).toBe(1);
    expect(m.units.map((u) => u.vbo_id)).toHaveLength(1);
    expect(m.signals.map((s) => s.signaal_id)).toEqual(['SG8001']);
    expect(m.register[0]).toMatchObject({ band: 'hoog', score: 80, review_status: 'nieuw' });
    expect(m.related.map((x) => x.relation[0])).toContain('geldverstrekker');
  });

  it('matches legal-form and spacing variants of a company name, and says so', () => {
    for (const naam of ['Lindeboom Capital BV', 'LINDEBOOM CAPITAL', 'Lindeboomcapital B.V.']) {
      // Without a legal form the name could be a person's: the check then asks for a reason.
      const m = check(['--naam', naam, '--reden', 'test']).report!.matches[0]!;
      expect(m.party.naam, naam).toBe('Lindeboom Capital B.V.');
    }
    expect(check(['--naam', 'Lindeboomcapital B.V.']).report!.matches[0]!.reasons).toEqual(['naam gelijk', 'rechtsvorm genegeerd', 'spatiering genegeerd']);
  });

  it('matches surname-first order and initials, and needs a reason for a natural person', () => {
    const refused = check(['--naam', 'Claessens, R.']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('needs a reason');
    const r = check(['--naam', 'Claessens, Roger', '--reden', 'Bibob-toets terrasvergunning']).report!;
    const m = r.matches.find((x) => x.party.naam.includes('Claessens'))!;
    expect(m.reasons).toEqual(['naam gelijk', 'achternaam-eerst volgorde omgezet']);
    expect(m.units.length + m.transfers.length).toBeGreaterThan(0);
    const initials = check(['--naam', 'J. Maassen', '--reden', 'test']).report!;
    expect(initials.matches.length).toBeGreaterThan(0);
    for (const x of initials.matches) expect(x.reasons).toEqual(['achternaam gelijk', 'voorletter past bij voornaam']);
  });

  it('shows a namesake with another birth date as a rejected candidate, never as a match', () => {
    const r = check(['--naam', 'Jan Maassen', '--geboortedatum', '1980-01-01', '--reden', 'test']).report!;
    expect(r.matches.map((m) => m.party.geboortedatum)).toEqual(['1980-01-01']);
    expect(r.matches[0]!.reasons).toContain('geboortedatum gelijk');
    const namesake = r.rejected.find((x) => x.party.geboortedatum === '1966-06-06')!;
    expect(namesake.why).toBe('andere geboortedatum (1966-06-06)');
  });

  it('finds a person through a signal written surname-first with initials and the same birth date', () => {
    const m = check(['--naam', 'Ton Hendrikx', '--geboortedatum', '1975-03-03', '--reden', 'test']).report!.matches[0]!;
    expect(m.signals.map((s) => s.signaal_id)).toEqual(['SG0002']);
    expect(m.signals[0]!.link).toMatch(/voorletter past bij voornaam/);
  });

  it('logs every check: who, the query, the reason and the result count', async () => {
    check(['--naam', 'Ton Hendrikx', '--reden', 'logtest']);
    const row = await withDb(db, (q) => q.selectFrom('check_log').selectAll().where('reden', '=', 'logtest').executeTakeFirstOrThrow());
    expect(row.who).toBe('tester');
    expect(JSON.parse(row.query)).toMatchObject({ naam: 'Ton Hendrikx' });
    expect(row.matches).toBe(1);
    expect(row.natural_person).toBe(1);
    expect(row.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('writes a self-contained HTML report with all data escaped', () => {
    const file = join(tempDir(), 'check.html');
    const r = vib(['check', '--db', db, '--naam', 'Lindeboom Capital B.V.', '--html', file]);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).toContain('Lindeboom Capital B.V.');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe('vib check on a party with very many records', () => {
  it('lists the newest 100 of a bank\'s 2,100 mortgages, counts all of them, and finds the flagged unit among them', async () => {
    // Over 2,000 records: the register entries are found by going through the register, not the party's units.
    const units = Array.from({ length: 2100 }, (_, i) => ({ vbo: `0935010000${String(i + 1).padStart(6, '0')}` }));
    const day = (i: number) => new Date(Date.UTC(2010, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const mortgages = units.map((u, i) => ({
      hypotheek_id: `H${String(i).padStart(4, '0')}`, vbo_id: u.vbo, datum: day(i),
      bedrag: 100_000, hypotheekgever_id: 'A', hypotheekhouder_id: 'BANK', hypotheekhouder_type: 'bank', einddatum: null,
    }));
    const input = writeInput(units, {
      'personen.csv': [
        { persoon_id: 'A', soort: 'natuurlijk_persoon', naam: 'Test Lener' },
        { persoon_id: 'S', soort: 'natuurlijk_persoon', naam: 'Test Verkoper' },
        { persoon_id: 'BANK', soort: 'niet_natuurlijk_persoon', naam: 'Grote Bank N.V.', kvk_nummer: '87654321' },
      ],
      'hypotheken.csv': mortgages,
      // Bought for cash in 2025, years after the unit's mortgage: financing.cash-purchase puts it in the register.
      'transacties.csv': [{ transactie_id: 'T1', vbo_id: units[0]!.vbo, datum: '2025-06-01', koopsom: 300_000, koper_ids: 'A', verkoper_ids: 'S', meerdere_objecten: null }],
    });
    const { work } = await screen(input, '2026-10-01');
    const bankDb = dbTarget(work);
    const r = vib(['check', '--db', bankDb, '--json', '--as', 'tester', '--kvk', '87654321']);
    expect(r.code).toBe(0);
    const m = checkReportSchema.parse(JSON.parse(r.stdout)).matches[0]!;
    expect(m.totals.mortgages).toBe(2100);
    expect(m.mortgages).toHaveLength(100);
    expect(m.mortgages[0]!.hypotheek_id).toBe('H2099');
    expect(m.mortgages.map((h) => h.hypotheek_id)).not.toContain('H1999');
    expect(m.totals.register).toBe(1);
    expect(m.register.map((e) => [e.vbo_id, e.rules])).toEqual([[units[0]!.vbo, ['financing.cash-purchase']]]);
    const text = vib(['check', '--db', bankDb, '--as', 'tester', '--kvk', '87654321']).stdout;
    expect(text).toContain('hypotheken (de nieuwste 100 van 2.100):');
  });
});

describe('vib match-names', () => {
  it('scores pairs and writes name1,name2,score,match,reasons', () => {
    const file = join(tempDir(), 'pairs.csv');
    writeFileSync(file, 'name1,name2,schema,label\nR. Claessens,Roger Claessens,Person,true\nMaas Vastgoed B.V.,Maasvastgoed,Company,true\nJan Smeets,Piet Smeets,Person,false\n');
    const r = vib(['match-names', '--pairs', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('name1,name2,score,match,reasons');
    expect(lines[1]).toMatch(/^R\. Claessens,Roger Claessens,0\.\d+,true,achternaam gelijk; voorletter past bij voornaam$/);
    expect(lines[2]).toMatch(/^Maas Vastgoed B\.V\.,Maasvastgoed,1\.000,true,/);
    expect(lines[3]).toMatch(/,false,/);
  });
});
