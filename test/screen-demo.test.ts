import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSchema, type Register } from '../schemas/register.ts';
import { ROOT, vib } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';
import { dbTarget, withDb } from './helpers/db-target.ts';

const DEMO = join(ROOT, 'fixtures', 'demo');
const planted = JSON.parse(readFileSync(join(DEMO, 'planted.json'), 'utf8')) as {
  peildatum: string;
  cases: { vbo_id: string; rule: string; case: string; expect: 'hit' | 'no-hit' }[];
  rejects: { file: string; reason: string; case: string }[];
};

function screenDemo(work: string, extra: string[] = []) {
  return vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', dbTarget(work), '--out', join(work, 'out'), ...extra]);
}

describe('vib screen on fixtures/demo', () => {
  let work: string;
  let runDir: string;
  let register: Register;
  let stdout: string;
  let stderr: string;

  beforeAll(() => {
    work = tempDir();
    const r = screenDemo(work);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    stdout = r.stdout;
    stderr = r.stderr;
    runDir = stdout.trim().split('\n').at(-1)!;
    register = registerSchema.parse(JSON.parse(readFileSync(join(runDir, 'register.json'), 'utf8')));
  });

  it('prints the run folder as its last line, holding the register files', () => {
    expect(runDir.startsWith(join(work, 'out'))).toBe(true);
    expect(readdirSync(runDir).sort()).toEqual(['manifest.json', 'register.csv', 'register.html', 'register.json', 'register.xlsx', 'rejects.csv']);
  });

  it('plants every rule of the catalogue, with near-misses', async () => {
    const { catalogue } = await import('../src/rules/catalogue.ts');
    for (const rule of catalogue) {
      expect(planted.cases.some((c) => c.rule === rule.id && c.expect === 'hit'), rule.id).toBe(true);
      expect(planted.cases.some((c) => c.rule === rule.id && c.expect === 'no-hit'), rule.id).toBe(true);
    }
  });

  it('finds every planted case with the right rule and none of the near-misses', () => {
    const found = new Set(register.entries.flatMap((e) => e.hits.map((h) => `${e.vbo_id} ${h.rule_id}`)));
    const expected = planted.cases.filter((c) => c.expect === 'hit').map((c) => `${c.vbo_id} ${c.rule}`);
    expect([...found].sort()).toEqual([...new Set(expected)].sort());
    for (const c of planted.cases.filter((x) => x.expect === 'no-hit')) {
      expect(found.has(`${c.vbo_id} ${c.rule}`), `near-miss fired: ${c.rule}: ${c.case}`).toBe(false);
    }
  });

  it('rejects every planted bad row with its reason, and nothing else', () => {
    const rows = readFileSync(join(runDir, 'rejects.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
    const got = rows.map((r) => { const [file, , , , reason] = r.split(';'); return `${file} ${reason}`; }).sort();
    expect(got).toEqual(planted.rejects.map((r) => `${r.file} ${r.reason}`).sort());
    for (const reason of ['invalid-value', 'missing-value', 'negative-amount', 'ragged-row', 'duplicate-id', 'unknown-persoon', 'address-not-in-bag']) {
      expect(got.some((g) => g.endsWith(` ${reason}`)), reason).toBe(true);
    }
  });

  it('names the repeated id, its column and the later line in each duplicate-id reject', () => {
    const rows = (parse(readFileSync(join(runDir, 'rejects.csv'), 'utf8'), { delimiter: ';', bom: true }) as string[][]).slice(1);
    const dups = rows.filter((r) => r[4] === 'duplicate-id' && r[0]!.endsWith('.csv'));
    expect(dups.map((r) => r[0]).sort()).toEqual(['hypotheken.csv', 'personen.csv']);
    for (const [file, position, column, value, , message] of dups) {
      expect(column).toBe(file === 'personen.csv' ? 'persoon_id' : 'hypotheek_id');
      // The id column is the first of both files: the rejected line and an earlier one start with it.
      const lines = readFileSync(join(DEMO, 'input', file!), 'utf8').split(/\r?\n/);
      const at = Number(position);
      expect(lines[at - 1]!.split(',')[0]).toBe(value);
      expect(lines.slice(1, at - 1).some((l) => l.split(',')[0] === value)).toBe(true);
      expect(message).toBe(`${file} line ${at}: ${column} "${value}" occurs earlier in the file; the first occurrence is kept`);
    }
  });

  it('accounts for every input record: loaded + rejected = read', () => {
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    for (const f of manifest.inputs as { path: string; records: number; loaded: number; rejected: Record<string, number> }[]) {
      const rejected = Object.values(f.rejected).reduce((a, b) => a + b, 0);
      expect(f.loaded + rejected, f.path).toBe(f.records);
    }
    const kvk = manifest.inputs.find((f: { path: string }) => f.path === 'kvk.csv');
    expect(kvk).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
  });

  it('records each stage\'s records, seconds and CPU seconds (all threads, and the main thread\'s) beside the hashed core of the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest.run.stages['load-bag']).toEqual({ records: expect.any(Number), seconds: expect.any(Number), cpu_seconds: expect.any(Number), main_cpu_seconds: expect.any(Number) });
    expect(manifest.run.stages['load-bag'].records).toBeGreaterThan(0);
    // The main thread's share of what all threads spent (Linux counts in hundredths of a second).
    for (const [name, st] of Object.entries(manifest.run.stages as Record<string, { cpu_seconds: number; main_cpu_seconds: number }>)) {
      expect(st.main_cpu_seconds, name).toBeGreaterThanOrEqual(0);
      expect(st.main_cpu_seconds, name).toBeLessThanOrEqual(st.cpu_seconds + 0.02);
    }
  });

  it('explains every hit with rule, version, parameters, sentence and evidence', () => {
    expect(register.entries.length).toBeGreaterThan(0);
    for (const e of register.entries) {
      expect(e.adres).toMatch(/Maastricht$/);
      for (const h of e.hits) {
        expect(h.explanation.nl.length).toBeGreaterThan(20);
        expect(h.evidence.length).toBeGreaterThan(0);
        expect(h.parameters).toEqual(register.rules.find((r) => r.id === h.rule_id)!.parameters);
        expect(h.rule_version).toBe(register.rules.find((r) => r.id === h.rule_id)!.version);
      }
    }
  });

  it('logs stage counts and timings as JSON, and never a name or birth date', () => {
    const lines = stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.stage === 'load-bag' && l.records > 0)).toBe(true);
    const personen = readFileSync(join(DEMO, 'input', 'personen.csv'), 'utf8').split(/\r?\n/).slice(1).map((l) => l.split(','));
    for (const [, soort, naam, geboortedatum] of personen) {
      if (soort !== 'natuurlijk_persoon') continue;
      if (naam) expect(stderr).not.toContain(naam);
      if (geboortedatum) expect(stderr).not.toContain(geboortedatum);
    }
  });

  it('gives byte-identical output files when screened again', () => {
    // A fresh database: register.html's run-diff section compares with the database's previous run.
    const again = screenDemo(tempDir());
    expect(again.code).toBe(0);
    const second = again.stdout.trim().split('\n').at(-1)!;
    expect(second).not.toBe(runDir);
    // In the same database the register is identical too, and the run diff says nothing changed.
    const same = screenDemo(work);
    const third = same.stdout.trim().split('\n').at(-1)!;
    expect(readFileSync(join(third, 'register.json')).equals(readFileSync(join(runDir, 'register.json')))).toBe(true);
    expect(JSON.parse(readFileSync(join(third, 'manifest.json'), 'utf8')).run_diff.counts).toEqual({ new: 0, higher: 0, lower: 0, gone: 0, same: register.entries.length });
    for (const f of ['register.json', 'register.csv', 'register.html', 'register.xlsx', 'rejects.csv']) {
      expect(readFileSync(join(second, f)).equals(readFileSync(join(runDir, f))), f).toBe(true);
    }
  });
});

describe('vib screen refuses unusable input clearly', () => {
  it('exits 2 naming a missing required file, and writes nothing', () => {
    const work = tempDir();
    const input = join(work, 'input');
    cpSync(join(DEMO, 'input'), input, { recursive: true });
    rmSync(join(input, 'rechten.csv'));
    const r = vib(['screen', '--input', input, '--peildatum', '2026-10-01', '--out', join(work, 'out'), '--db', dbTarget(work)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rechten.csv is missing from the input folder');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  it('exits 2 naming a missing required column, and leaves no run behind', async () => {
    const work = tempDir();
    const input = join(work, 'input');
    cpSync(join(DEMO, 'input'), input, { recursive: true });
    const text = readFileSync(join(input, 'rechten.csv'), 'utf8').replace('ingangsdatum', 'startdatum');
    writeFileSync(join(input, 'rechten.csv'), text);
    const r = vib(['screen', '--input', input, '--peildatum', '2026-10-01', '--out', join(work, 'out'), '--db', dbTarget(work)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rechten.csv: required column "ingangsdatum" missing from the header');
    expect(readdirSync(join(work, 'out'))).toEqual([]);
    const counts = await withDb(dbTarget(work), async (q) => [
      (await q.selectFrom('run').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
      (await q.selectFrom('persoon').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    ]);
    expect(counts.map(Number)).toEqual([0, 0]);
  });

  it('names the first broken file in load order when several files are broken (they are read side by side)', () => {
    const work = tempDir();
    const input = join(work, 'input');
    cpSync(join(DEMO, 'input'), input, { recursive: true });
    for (const [file, from, to] of [['woz.csv', 'waarde', 'bedrag'], ['rechten.csv', 'ingangsdatum', 'startdatum'], ['kvk.csv', 'kvk_nummer', 'nummer']] as const) {
      writeFileSync(join(input, file), readFileSync(join(input, file), 'utf8').replace(from, to));
    }
    for (const workers of ['0', '2']) {
      const r = vib(['screen', '--input', input, '--peildatum', '2026-10-01', '--out', join(work, 'out'), '--db', dbTarget(work)], { VIB_PARSE_WORKERS: workers });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('rechten.csv: required column "ingangsdatum" missing from the header');
      expect(r.stderr).not.toMatch(/woz\.csv|kvk\.csv/);
    }
  });

  it('exits 2 for a peildatum that is not a date', () => {
    const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--peildatum', '2026-02-30', '--db', dbTarget(tempDir())]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('peildatum "2026-02-30" is not a date');
  });
});
