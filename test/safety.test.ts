import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as childProcess from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { readCsvSource } from '../src/sources/csv/read-csv-source.ts';
import { readCsv } from '../src/sources/csv/read-csv.ts';
import { personen } from '../src/sources/csv/csv-sources.ts';
import { InputError } from '../src/util/input-error.ts';
import { normaliseName } from '../src/link/names/normalise-name.ts';
import { compareNames } from '../src/link/names/compare-names.ts';
import { ROOT, vib } from './helpers/cli.ts';
import { ENGINE, dbTarget, withDb } from './helpers/db-target.ts';
import { RUN_KEY_TABLES, type Db } from '../src/db/database.ts';
import { RUN_ID_TABLES } from '../src/db/delete-runs.ts';
import { tempDir } from './helpers/mini-input.ts';

const DEMO = join(ROOT, 'fixtures', 'demo', 'input');

async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('broken CSV', () => {
  const file = (content: string | Buffer) => { const p = join(tempDir(), 'personen.csv'); writeFileSync(p, content); return p; };

  it('rejects a 10-million-character field without holding more than that record', async () => {
    const items = await collect(readCsvSource(file(`persoon_id,soort,naam\nP1,natuurlijk_persoon,${'x'.repeat(10_000_000)}\nP2,natuurlijk_persoon,Jan\n`), 'personen.csv', personen));
    expect(items[0]).toMatchObject({ ok: false, reject: { position: 2, column: 'naam', reason: 'invalid-value', message: expect.stringContaining('10000000 characters long') } });
    expect(items[1]).toMatchObject({ ok: true, value: { record: { persoon_id: 'P2' } } });
  });

  it('reads a header-only file as no records, strips a stray BOM mid-file, and survives mixed line ends', async () => {
    expect(await collect(readCsvSource(file('persoon_id,soort,naam\n'), 'personen.csv', personen))).toEqual([]);
    const items = await collect(readCsvSource(file('persoon_id,soort,naam\r\nP1,natuurlijk_persoon,A\n\uFEFFP2,natuurlijk_persoon,B\rP3,natuurlijk_persoon,C\r\n'), 'personen.csv', personen));
    expect(items.map((i) => (i.ok ? i.value.record.persoon_id : i.reject.reason))).toEqual(['P1', 'P2', 'P3']);
  });

  it('accounts for every row exactly once, whatever the rows hold (property)', async () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', '"', ',', ';', '\n', '\r\n', '=1+1', 'natuurlijk_persoon', 'niet_natuurlijk_persoon', '1970-01-01', '31-02-1980'));
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { minLength: 0, maxLength: 30 }), async (rows) => {
      const text = stringify([['persoon_id', 'soort', 'naam'], ...rows], { quoted_match: /[\s\S]/ });
      const items = await collect(readCsvSource(file(text), 'personen.csv', personen));
      // Every field is quoted, so even a row of empty fields is a record (rejected), never a blank line.
      expect(items.length).toBe(rows.length);
      expect(items.filter((i) => !i.ok).every((i) => !i.ok && i.reject.position >= 2)).toBe(true);
    }), { numRuns: 60 });
  });

  it('gives records, rejects or a clear InputError for arbitrary bytes, never a crash (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
      try {
        for await (const ev of readCsv(file(Buffer.concat([Buffer.from('persoon_id,soort,naam\n'), Buffer.from(bytes)])))) expect(['header', 'row', 'broken']).toContain(ev.kind);
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
      }
    }), { numRuns: 100 });
  });
});

describe('name normalisation (property)', () => {
  it('never throws, is stable, and finds every non-empty name equal to itself', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => {
      const a = normaliseName(s);
      expect(normaliseName(s)).toEqual(a);
      if (a.compact) expect(compareNames(s, s).score).toBe(1);
      expect(compareNames(s, `${s} `).score).toBe(compareNames(s, s).score);
    }), { numRuns: 300 });
  });
});

/** Rows in any table of a run that belong to no finished run (a run's table rows by key, rejects and register rows by id). */
async function rowsOfUnfinishedRuns(q: Db): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  const finishedKeys = q.selectFrom('run').select('run_key').where('finished_at', 'is not', null);
  const finishedIds = q.selectFrom('run').select('run_id').where('finished_at', 'is not', null);
  for (const t of RUN_KEY_TABLES) {
    const n = Number((await q.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).where('run_key', 'not in', finishedKeys).executeTakeFirstOrThrow()).n);
    if (n) found[t] = n;
  }
  for (const t of RUN_ID_TABLES) {
    const n = Number((await q.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', 'not in', finishedIds).executeTakeFirstOrThrow()).n);
    if (n) found[t] = n;
  }
  return found;
}

describe('crash safety', () => {
  it.each(['load-bag', 'link-parties', 'score-register', 'publish'])('a run killed with SIGKILL at %s leaves the previous run, the review state and the database usable', async (point) => {
    const work = tempDir();
    const db = dbTarget(work);
    const out = join(work, 'out');
    const screen = (env: Record<string, string> = {}) => vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', out], env);
    const first = screen();
    expect(first.code).toBe(0);
    const firstDir = first.stdout.trim().split('\n').at(-1)!;
    const firstId = firstDir.split('/').at(-1)!;
    const before = readFileSync(join(firstDir, 'register.json'));
    expect(vib(['users', 'add', 'anna', '--role', 'analist', '--db', db], { VIB_PASSWORD: 'wachtwoord-anna-1' }).code).toBe(0);
    expect(vib(['review', 'set', '0935010000100001', '--status', 'in_onderzoek', '--note', 'voor de crash', '--as', 'anna', '--db', db]).code).toBe(0);

    const killed = screen({ VIB_TEST_KILL_AT: point });
    expect(killed.code).not.toBe(0);
    expect(readdirSync(out).filter((f) => !f.startsWith('.'))).toEqual([firstId]);
    expect(readFileSync(join(firstDir, 'register.json')).equals(before)).toBe(true);
    await withDb(db, async (q) => {
      // SQLite keeps the stages the killed run committed (after its loads), as an unfinished run.
      const runs = await q.selectFrom('run').select(['run_id', 'finished_at']).orderBy('run_id').execute();
      expect(runs.filter((r) => r.finished_at !== null).map((r) => r.run_id)).toEqual([firstId]);
      const unfinished = runs.filter((r) => r.finished_at === null).length;
      expect(unfinished).toBe(ENGINE === 'sqlite' && point !== 'load-bag' ? 1 : 0);
      expect((await q.selectFrom('review_state').select('status').where('vbo_id', '=', '0935010000100001').executeTakeFirstOrThrow()).status).toBe('in_onderzoek');
    });
    // Every reader sees the first run only.
    const exported = join(work, 'export.json');
    expect(vib(['export', '--db', db, '--out', exported]).code).toBe(0);
    expect(JSON.parse(readFileSync(exported, 'utf8')).run_id).toBe(firstId);
    expect(JSON.parse(vib(['check', '--db', db, '--kvk', '12345678', '--json']).stdout).run_id).toBe(firstId);
    const next = screen();
    expect(next.code).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(vib(['verify', '--db', db]).code).toBe(0);
    await withDb(db, async (q) => {
      expect((await q.selectFrom('run').select('run_id').where('finished_at', 'is', null).execute())).toEqual([]);
      expect(await rowsOfUnfinishedRuns(q)).toEqual({});
    });
  });

  // SQLite: link-parties fails while a second connection looks for the party references beside it,
  // index-tokens while the rule thread evaluates rules beside it.
  it.each(['link-units', 'link-parties', 'index-tokens', 'score-register'])('a run that fails at %s, after committing stages, removes its rows at once', async (point) => {
    const work = tempDir();
    const db = dbTarget(work);
    const out = join(work, 'out');
    const screen = (env: Record<string, string> = {}) => vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', out], env);
    expect(screen().code).toBe(0);
    const failed = screen({ VIB_TEST_FAIL_AT: point });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain(`test failure at ${point}`);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    await withDb(db, async (q) => {
      expect((await q.selectFrom('run').select('run_id').where('finished_at', 'is', null).execute())).toEqual([]);
      expect(await rowsOfUnfinishedRuns(q)).toEqual({});
      expect(Number((await q.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
    });
  });

  it('refuses an output folder it cannot write to with a clear error and keeps nothing of the run', () => {
    const work = tempDir();
    writeFileSync(join(work, 'not-a-folder'), 'x');
    const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', dbTarget(work), '--out', join(work, 'not-a-folder', 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*not-a-folder.*: a part of the path is a file, not a folder/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The output folder itself a file.
    const same = vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', dbTarget(work), '--out', join(work, 'not-a-folder')]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/cannot write .*not-a-folder: it is a file, not a folder \(EEXIST\); nothing of this run was kept/);
  });
});

describe('personal data', () => {
  it('exports natural persons pseudonymised with stable keyed hashes, and refuses without a key', () => {
    const work = tempDir();
    const db = dbTarget(work);
    expect(vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', join(work, 'out')]).code).toBe(0);
    const plain = join(work, 'plain.json');
    expect(vib(['export', '--db', db, '--out', plain]).code).toBe(0);
    const names = (JSON.parse(readFileSync(plain, 'utf8')).entries as { holders: { soort: string; naam: string; geboortedatum: string | null }[] }[])
      .flatMap((e) => e.holders).filter((h) => h.soort === 'natuurlijk_persoon');
    expect(names.length).toBeGreaterThan(5);
    expect(vib(['export', '--db', db, '--out', join(work, 'x.json'), '--pseudonymise'], { VIB_PSEUDONYM_KEY: '' }).code).toBe(2);
    const key = { VIB_PSEUDONYM_KEY: 'sleutel-van-de-gegevenseigenaar' };
    const a = join(work, 'a.json');
    const b = join(work, 'b.csv');
    expect(vib(['export', '--db', db, '--out', a, '--pseudonymise'], key).code).toBe(0);
    expect(vib(['export', '--db', db, '--out', b, '--pseudonymise'], key).code).toBe(0);
    const text = readFileSync(a, 'utf8') + readFileSync(b, 'utf8');
    for (const n of names) {
      expect(text).not.toContain(n.naam);
      if (n.geboortedatum) expect(text).not.toContain(n.geboortedatum);
    }
    const again = join(work, 'again.json');
    vib(['export', '--db', db, '--out', again, '--pseudonymise'], key);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(a, 'utf8'));
    expect(readFileSync(a, 'utf8')).toMatch(/"naam": "pseudo-[0-9a-f]{20}"/);
  });

  it('purges runs, their rows, folders and check logs before a date, records it, and keeps the chain verifiable', async () => {
    const work = tempDir();
    const db = dbTarget(work);
    const out = join(work, 'out');
    const run = () => vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', out]).stdout.trim().split('\n').at(-1)!;
    const old = run();
    expect(vib(['check', '--db', db, '--kvk', '14000069', '--as', 'tester']).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    const cutoff = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1100));
    const recent = run();
    const r = vib(['purge', '--db', db, '--before', cutoff.slice(0, 10), '--as', 'privacy']);
    expect(r.code).toBe(0);
    // The date is a day: runs of today stay. Purge by tomorrow's date removes both.
    expect(existsSync(old) && existsSync(recent)).toBe(true);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(vib(['purge', '--db', db, '--before', tomorrow, '--as', 'privacy']).stdout).toMatch(/purged 2 run\(s\) started before .* \(2 run folder\(s\)\) and 1 check-log entries/);
    expect(existsSync(old) || existsSync(recent)).toBe(false);
    await withDb(db, async (q) => {
      expect(await q.selectFrom('persoon').select('persoon_id').execute()).toEqual([]);
      expect(await q.selectFrom('check_log').select('check_id').execute()).toEqual([]);
      expect((await q.selectFrom('purge_log').select(['who', 'runs_removed']).orderBy('at').execute()).at(-1)).toEqual({ who: 'privacy', runs_removed: 2 });
    });
    const after = run();
    expect(existsSync(after)).toBe(true);
    expect(vib(['verify', '--db', db])).toMatchObject({ code: 0, stdout: 'chain intact: 1 runs\n' });
  });
});

describe('injection in the review pages', () => {
  it('escapes names and addresses planted with <script> and =HYPERLINK(', async () => {
    const { screen: screenMini, writeInput } = await import('./helpers/mini-input.ts');
    const { openEngine } = await import('../src/db/open-engine.ts');
    const { buildApp } = await import('../src/web/server.ts');
    const { addUser } = await import('../src/review/users.ts');
    const work = tempDir();
    const evil = '<script>alert("x")</script>=HYPERLINK("http://evil")';
    await screenMini(writeInput([{ vbo: '0935010000000001' }], {
      street: `<img src=x onerror=alert(1)> =HYPERLINK("http://evil")`,
      'personen.csv': [{ persoon_id: 'E', soort: 'niet_natuurlijk_persoon', naam: evil, land: 'CY' }],
      'rechten.csv': [{ recht_id: 'R1', vbo_id: '0935010000000001', soort_recht: 'eigendom', persoon_id: 'E', ingangsdatum: '2010-01-01' }],
    }), '2026-10-01', {}, work);
    const engine = await openEngine(dbTarget(work));
    await addUser(engine.db, 'anna', 'analist', 'wachtwoord-anna-1', '2026-01-01T00:00:00Z');
    const app = await buildApp({ engine });
    try {
      const page = await app.inject({ method: 'GET', url: '/login', headers: { host: 'localhost' } });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const csrf = page.cookies.find((c) => c.name === 'vib_csrf')!.value;
      const login = await app.inject({ method: 'POST', url: '/login', headers: { host: 'localhost', origin: 'http://localhost', cookie: `vib_csrf=${csrf}` }, payload: { _csrf: token, name: 'anna', password: 'wachtwoord-anna-1' } });
      const cookie = `vib_csrf=${csrf}; vib_session=${login.cookies.find((c) => c.name === 'vib_session')!.value}`;
      for (const url of ['/', '/entry/0935010000000001', '/check?kvk=&naam=' + encodeURIComponent(evil) + '&reden=test']) {
        const r = await app.inject({ method: 'GET', url, headers: { host: 'localhost', cookie } });
        expect(r.statusCode, url).toBe(200);
        expect(r.body, url).not.toMatch(/<script>|<img src=x/);
        expect(r.body, url).toMatch(/&lt;(script|img src=x)/);
        expect(r.headers['content-security-policy']).toContain("default-src 'none'");
      }
    } finally {
      await app.close();
      await engine.close();
    }
  });
});

describe('a full disk and a read-only output folder', () => {
  const { spawnSync } = childProcess;
  function tmpfs(dir: string, options: string): boolean {
    mkdirSync(dir, { recursive: true });
    return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status === 0;
  }

  it('gives a clear error and keeps nothing of the run', async (ctx) => {
    const work = tempDir();
    const full = join(work, 'full');
    const readonly = join(work, 'readonly');
    if (!tmpfs(full, 'size=48k')) {
      if (process.env.CI) throw new Error('CI must be able to mount a tmpfs for this test');
      ctx.skip();
      return;
    }
    try {
      const db = dbTarget(work);
      const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', full]);
      expect(r.stderr.split('\n').filter((l) => !l.startsWith('{')).join('\n')).toMatch(/cannot write .*: the disk is full; nothing of this run was kept/);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot write .*: the disk is full; nothing of this run was kept/);
      expect(readdirSync(full).filter((f) => !f.startsWith('.'))).toEqual([]);
      await withDb(db, async (q) => expect(await q.selectFrom('run').select('run_id').execute()).toEqual([]));
      expect(tmpfs(readonly, 'size=1m,ro')).toBe(true);
      const ro = vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', join(readonly, 'out')]);
      expect(ro.code).toBe(2);
      expect(ro.stderr).toMatch(/cannot write .*readonly.*: permission denied or read-only/);
    } finally {
      spawnSync('umount', [full]);
      spawnSync('umount', [readonly]);
    }
  });
});
