import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../src/db/open-engine.ts';
import { decide, entryDetail, ReviewConflictError, worklist } from '../src/review/decide.ts';
import { addUser } from '../src/review/users.ts';
import { buildApp } from '../src/web/server.ts';
import { screen, tempDir, writeInput, type Rows } from './helpers/mini-input.ts';
import { dbTarget, withDb } from './helpers/db-target.ts';
import { ROOT, vib } from './helpers/cli.ts';

const U1 = '0935010000000001';
const U2 = '0935010000000002';
const persons: Rows = [
  { persoon_id: 'A', soort: 'natuurlijk_persoon', naam: 'Anna Aarts', geboortedatum: '1970-01-01' },
  { persoon_id: 'B', soort: 'natuurlijk_persoon', naam: 'Bert Bemelmans', geboortedatum: '1971-01-01' },
  { persoon_id: 'BANK', soort: 'niet_natuurlijk_persoon', naam: 'Bank N.V.', kvk_nummer: '99999999' },
];
const deed = (id: string, vbo: string, datum: string, koopsom: number) => ({ transactie_id: id, vbo_id: vbo, datum, koopsom, koper_ids: 'A', verkoper_ids: 'B' });
const T = (iso: string) => new Date(iso);

async function setUp(work: string) {
  await withDb(dbTarget(work), async (db) => {
    await addUser(db, 'anna', 'analist', 'wachtwoord-anna-1', '2026-01-01T00:00:00Z');
    await addUser(db, 'bert', 'coordinator', 'wachtwoord-bert-1', '2026-01-01T00:00:00Z');
    await addUser(db, 'ceciel', 'auditor', 'wachtwoord-ceciel', '2026-01-01T00:00:00Z');
  });
}

describe('carry-forward of review decisions', () => {
  it('keeps an unchanged entry, reopens a closed one that gained a hit, and marks one without hits vervallen', async () => {
    const work = tempDir();
    const first = writeInput([{ vbo: U1 }, { vbo: U2 }], { 'personen.csv': persons, 'transacties.csv': [deed('T1', U1, '2025-01-01', 300_000), deed('T2', U2, '2025-02-01', 300_000)], 'hypotheken.csv': [{ hypotheek_id: 'H0', vbo_id: U2, datum: '2000-01-01', bedrag: 1, hypotheekhouder_id: 'BANK', hypotheekhouder_type: 'bank' }] });
    await screen(first, '2026-10-01', {}, work, T('2026-10-02T06:00:00Z'));
    await setUp(work);
    await withDb(dbTarget(work), async (db) => {
      await decide(db, { pipeline: 'test', vboId: U1, status: 'afgedaan_geen_risico', note: 'schenking binnen familie', who: 'anna', now: T('2026-10-03T10:00:00Z') });
      await decide(db, { pipeline: 'test', vboId: U2, status: 'in_onderzoek', note: 'opgepakt', who: 'anna', now: T('2026-10-03T10:00:00Z') });
    });
    // Second run: U1 unchanged; U2's deed gets a private lender (a new hit). Then a third run without U2's hits.
    const second = writeInput([{ vbo: U1 }, { vbo: U2 }], { 'personen.csv': persons, 'transacties.csv': [deed('T1', U1, '2025-01-01', 300_000), deed('T2', U2, '2025-02-01', 300_000)], 'hypotheken.csv': [{ hypotheek_id: 'H0', vbo_id: U2, datum: '2000-01-01', bedrag: 1, hypotheekhouder_id: 'A', hypotheekhouder_type: null }] });
    await screen(second, '2026-10-01', {}, work, T('2027-01-02T06:00:00Z'));
    await withDb(dbTarget(work), async (db) => {
      const l = await worklist(db, 'test');
      expect(l.find((i) => i.vbo_id === U1)!.status).toBe('afgedaan_geen_risico');
      expect(l.find((i) => i.vbo_id === U2)!.status).toBe('in_onderzoek'); // open: stays open, hits updated
      const u2 = await entryDetail(db, 'test', U2);
      expect(u2.audit.at(-1)).toMatchObject({ who: 'systeem', note: expect.stringContaining('nieuwe regels: financing.private-lender') });
      await decide(db, { pipeline: 'test', vboId: U2, status: 'afgedaan_geen_risico', note: 'verklaard', who: 'anna', now: T('2027-01-03T10:00:00Z') });
    });
    const third = writeInput([{ vbo: U1 }, { vbo: U2 }], { 'personen.csv': persons, 'transacties.csv': [deed('T1', U1, '2025-01-01', 300_000), deed('T2', U2, '2025-02-01', 300_000)], 'hypotheken.csv': [{ hypotheek_id: 'H0', vbo_id: U2, datum: '2000-01-01', bedrag: 1, hypotheekhouder_id: 'A', hypotheekhouder_type: null }, { hypotheek_id: 'H1', vbo_id: U1, datum: '2025-01-01', bedrag: 9, hypotheekhouder_id: 'A', hypotheekhouder_type: null }] });
    await screen(third, '2026-10-01', {}, work, T('2027-04-02T06:00:00Z'));
    await withDb(dbTarget(work), async (db) => {
      const u1 = await entryDetail(db, 'test', U1);
      // U1 lost its cash purchase (now financed) but gained a private lender: closed → gewijzigd.
      expect(u1.state.status).toBe('gewijzigd');
      expect(u1.audit.at(-1)!.note).toMatch(/^heropend: score 15 → 20; nieuwe regels: financing.private-lender; vervallen regels: financing.cash-purchase/);
      expect(u1.history.map((h) => h.score)).toEqual([15, 15, 20]);
    });
    const fourth = writeInput([{ vbo: U1 }, { vbo: U2 }], { 'personen.csv': persons, 'transacties.csv': [deed('T1', U1, '2025-01-01', 300_000)], 'hypotheken.csv': [{ hypotheek_id: 'H1', vbo_id: U1, datum: '2025-01-01', bedrag: 9, hypotheekhouder_id: 'A', hypotheekhouder_type: null }] });
    await screen(fourth, '2026-10-01', {}, work, T('2027-07-02T06:00:00Z'));
    await withDb(dbTarget(work), async (db) => {
      const u2 = await entryDetail(db, 'test', U2);
      expect(u2.state.status).toBe('vervallen');
      expect(u2.history.map((h) => h.score)).toEqual([15, 35, 35, null]);
      expect(u2.audit.map((a) => a.new_status)).toContain('afgedaan_geen_risico'); // history kept
    });
  });
});

describe('decisions', () => {
  async function oneEntry(band: 'hoog' | 'laag') {
    const work = tempDir();
    const input = writeInput([{ vbo: U1 }], { 'personen.csv': persons, 'transacties.csv': [deed('T1', U1, '2025-01-01', 300_000)], 'hypotheken.csv': [{ hypotheek_id: 'H0', vbo_id: U1, datum: '2025-01-01', bedrag: 500_000, hypotheekhouder_id: 'A' }] });
    // A private lender lending more than the price: private-lender + overfinancing (hoog with 30 points), or
    // private-lender alone at 5 points (laag).
    await screen(input, '2026-10-01', band === 'hoog' ? { 'financing.private-lender': { points: 30 } } : { 'financing.private-lender': { points: 5 }, 'financing.overfinancing': { enabled: false } }, work);
    await setUp(work);
    return work;
  }

  it('needs a second, different reviewer to close a hoog entry as vals_positief (four-eyes)', async () => {
    const work = await oneEntry('hoog');
    await withDb(dbTarget(work), async (db) => {
      expect((await worklist(db, 'test'))[0]!.band).toBe('hoog');
      const a = await decide(db, { pipeline: 'test', vboId: U1, status: 'vals_positief', note: 'familielening', who: 'anna', now: T('2026-10-03T10:00:00Z') });
      expect(a.outcome).toBe('wacht-op-bevestiging');
      expect(a.state.status).toBe('nieuw');
      expect((await worklist(db, 'test', { status: 'wacht_op_bevestiging' })).map((i) => i.vbo_id)).toEqual([U1]);
      await expect(decide(db, { pipeline: 'test', vboId: U1, status: 'vals_positief', note: 'nogmaals', who: 'anna', now: T('2026-10-03T11:00:00Z') })).rejects.toThrow(/second, different reviewer/);
      const b = await decide(db, { pipeline: 'test', vboId: U1, status: 'vals_positief', note: 'akkoord', who: 'bert', now: T('2026-10-03T12:00:00Z') });
      expect(b).toMatchObject({ outcome: 'bevestigd', state: { status: 'vals_positief', pending_status: null } });
    });
  });

  it('closes a laag entry at once, refuses auditors and unknown users', async () => {
    const work = await oneEntry('laag');
    await withDb(dbTarget(work), async (db) => {
      await expect(decide(db, { pipeline: 'test', vboId: U1, status: 'in_onderzoek', note: 'x', who: 'ceciel', now: T('2026-10-03T10:00:00Z') })).rejects.toThrow(/auditor/);
      await expect(decide(db, { pipeline: 'test', vboId: U1, status: 'in_onderzoek', note: 'x', who: 'nobody', now: T('2026-10-03T10:00:00Z') })).rejects.toThrow(/unknown user/);
      await expect(decide(db, { pipeline: 'test', vboId: U1, status: 'nieuw', note: 'x', who: 'anna', now: T('2026-10-03T10:00:00Z') })).rejects.toThrow(/not one of/);
      const r = await decide(db, { pipeline: 'test', vboId: U1, status: 'vals_positief', note: 'onterecht', who: 'anna', now: T('2026-10-03T10:00:00Z') });
      expect(r.state.status).toBe('vals_positief');
    });
  });

  it('refuses a decision made on an older version with a conflict, and logs both attempts', async () => {
    const work = await oneEntry('laag');
    await withDb(dbTarget(work), async (db) => {
      const v = (await worklist(db, 'test'))[0]!.version;
      const results = await Promise.allSettled([
        decide(db, { pipeline: 'test', vboId: U1, status: 'in_onderzoek', note: 'anna pakt op', who: 'anna', expectVersion: v, now: T('2026-10-03T10:00:00Z') }),
        decide(db, { pipeline: 'test', vboId: U1, status: 'doorverwezen', note: 'naar RIEC', who: 'bert', expectVersion: v, now: T('2026-10-03T10:00:00Z') }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failed.reason).toBeInstanceOf(ReviewConflictError);
      expect((failed.reason as Error).message).toMatch(/changed by someone else/);
      const audit = (await entryDetail(db, 'test', U1)).audit.filter((a) => a.who !== 'systeem');
      expect(audit.map((a) => a.kind).sort()).toEqual(['besluit', 'conflict']);
    });
  });

  it('keeps the audit log append-only: no command can edit or delete it', async () => {
    const work = await oneEntry('laag');
    await withDb(dbTarget(work), async (db) => {
      await decide(db, { pipeline: 'test', vboId: U1, status: 'in_onderzoek', note: 'x', who: 'anna', now: T('2026-10-03T10:00:00Z') });
      await expect(db.updateTable('review_audit').set({ note: 'vervalst' }).execute()).rejects.toThrow(/append-only/);
      await expect(db.deleteFrom('review_audit').execute()).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM review_audit WHERE who = 'anna'`.execute(db)).rejects.toThrow(/append-only/);
      expect((await db.selectFrom('review_audit').select('note').where('who', '=', 'anna').execute()).map((r) => r.note)).toEqual(['x']);
    });
  });
});

describe('vib review and vib diff on the demo', () => {
  it('shows exactly the unit whose transfer changed, and carries its review through the CLI', () => {
    const work = tempDir();
    const db = dbTarget(work);
    const input = join(work, 'input');
    cpSync(join(ROOT, 'fixtures', 'demo', 'input'), input, { recursive: true });
    const run = () => { const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--input', input, '--db', db, '--out', join(work, 'out')]); expect(r.code).toBe(0); return r.stdout.trim().split('\n').at(-1)!.split('/').at(-1)!; };
    run();
    expect(vib(['users', 'add', 'anna', '--role', 'analist', '--db', db], { VIB_PASSWORD: 'wachtwoord-anna-1' }).code).toBe(0);
    const set = vib(['review', 'set', '0935010000100002', '--status', 'afgedaan_geen_risico', '--note', 'erfenis', '--as', 'anna', '--db', db]);
    expect(set).toMatchObject({ code: 0 });
    expect(set.stdout).toMatch(/^0935010000100002: afgedaan_geen_risico/);
    const file = join(input, 'transacties.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(',2025-02-10,0935010000100002,100000,', ',2025-02-10,0935010000100002,180000,'));
    const second = run();
    const diff = vib(['diff', second, '--db', db]);
    expect(diff.stdout.split('\n')[0]).toMatch(/: 0 nieuw, 1 hoger, 0 lager, 0 vervallen, \d+ gelijk$/);
    expect(diff.stdout).toMatch(/^hoger\s+0935010000100002 15 → 25 \+financing.price-woz-deviation$/m);
    const show = JSON.parse(vib(['review', 'show', '0935010000100002', '--json', '--db', db]).stdout);
    expect(show.status).toBe('gewijzigd');
    expect(show.audit.map((a: { kind: string }) => a.kind)).toEqual(['besluit', 'run']);
    const manifest = JSON.parse(readFileSync(join(work, 'out', second, 'manifest.json'), 'utf8'));
    expect(manifest.run_diff.counts).toMatchObject({ new: 0, higher: 1, lower: 0, gone: 0 });
    expect(readFileSync(join(work, 'out', second, 'register.html'), 'utf8')).toContain('<strong>1</strong> hoger');
  });
});

describe('the review app refuses what it must', () => {
  async function app() {
    const work = tempDir();
    await screen(writeInput([{ vbo: U1 }], { 'personen.csv': persons, 'transacties.csv': [deed('T1', U1, '2025-01-01', 300_000)], 'hypotheken.csv': [{ hypotheek_id: 'H0', vbo_id: U1, datum: '2000-01-01', bedrag: 1, hypotheekhouder_id: 'BANK' }] }), '2026-10-01', {}, work);
    await setUp(work);
    const engine = await openEngine(dbTarget(work));
    const server = await buildApp({ engine, cookieSecret: 'test-secret' });
    const loginAs = async (name: string, password: string) => {
      const page = await server.inject({ method: 'GET', url: '/login', headers: { host: 'localhost' } });
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const csrfCookie = page.cookies.find((c) => c.name === 'vib_csrf')!;
      const res = await server.inject({ method: 'POST', url: '/login', headers: { host: 'localhost', origin: 'http://localhost', cookie: `vib_csrf=${csrfCookie.value}` }, payload: { _csrf: token, name, password } });
      const session = res.cookies.find((c) => c.name === 'vib_session');
      return { res, cookie: `vib_csrf=${csrfCookie.value}; vib_session=${session?.value}`, token, sessionCookie: session };
    };
    return { server, engine, loginAs };
  }

  it('sets HttpOnly SameSite=Strict session cookies and a strict Content-Security-Policy', async () => {
    const { server, engine, loginAs } = await app();
    try {
      const { res, sessionCookie } = await loginAs('anna', 'wachtwoord-anna-1');
      expect(res.statusCode).toBe(303);
      expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'.*form-action 'self'/);
      expect((await loginAs('anna', 'fout-wachtwoord')).res.statusCode).toBe(401);
    } finally { await server.close(); await engine.close(); }
  });

  it('refuses a form without a valid CSRF token, a request from another origin, and an auditor\'s decision', async () => {
    const { server, engine, loginAs } = await app();
    try {
      const anna = await loginAs('anna', 'wachtwoord-anna-1');
      const page = await server.inject({ method: 'GET', url: `/entry/${U1}`, headers: { host: 'localhost', cookie: anna.cookie } });
      expect(page.statusCode).toBe(200);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
      const post = (payload: Record<string, string>, headers: Record<string, string> = {}) => server.inject({ method: 'POST', url: `/entry/${U1}`, headers: { host: 'localhost', origin: 'http://localhost', cookie: anna.cookie, ...headers }, payload });
      expect((await post({ status: 'in_onderzoek', note: 'x', version })).statusCode).toBe(403);
      expect((await post({ _csrf: 'vals', status: 'in_onderzoek', note: 'x', version })).statusCode).toBe(403);
      expect((await post({ _csrf: token, status: 'in_onderzoek', note: 'x', version }, { origin: 'https://evil.example' })).statusCode).toBe(403);
      expect((await post({ _csrf: token, status: 'in_onderzoek', note: 'x', version }, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      const ok = await post({ _csrf: token, status: 'in_onderzoek', note: 'opgepakt', version });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('Besluit vastgelegd.');
      const stale = await post({ _csrf: token, status: 'doorverwezen', note: 'naar RIEC', version });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('Conflict');
      const ceciel = await loginAs('ceciel', 'wachtwoord-ceciel');
      const cpage = await server.inject({ method: 'GET', url: `/entry/${U1}`, headers: { host: 'localhost', cookie: ceciel.cookie } });
      expect(cpage.body).toContain('U bent auditor');
      const ctoken = /name="_csrf" value="([^"]+)"/.exec(cpage.body)![1]!;
      const denied = await server.inject({ method: 'POST', url: `/entry/${U1}`, headers: { host: 'localhost', origin: 'http://localhost', cookie: ceciel.cookie }, payload: { _csrf: ctoken, status: 'in_onderzoek', note: 'x', version: '3' } });
      expect(denied.statusCode).toBe(403);
    } finally { await server.close(); await engine.close(); }
  });

  it('serves no file outside its own assets, and sends strangers to the login page', async () => {
    const { server, engine } = await app();
    try {
      for (const url of ['/assets/../../../etc/passwd', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/etc/passwd', '/../package.json', '/assets/app.css/../../x']) {
        const r = await server.inject({ method: 'GET', url, headers: { host: 'localhost' } });
        expect([404, 400], url).toContain(r.statusCode);
        expect(r.body).not.toMatch(/root:|"name": "vastgoed/);
      }
      expect((await server.inject({ method: 'GET', url: '/assets/app.css', headers: { host: 'localhost' } })).statusCode).toBe(200);
      const r = await server.inject({ method: 'GET', url: '/', headers: { host: 'localhost' } });
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/login');
    } finally { await server.close(); await engine.close(); }
  });
});
