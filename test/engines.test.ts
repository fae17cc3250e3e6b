import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, SCHEMA_VERSION } from '../src/db/migrate.ts';
import { openPostgres } from '../src/db/postgres/postgres-engine.ts';
import { openSqlite } from '../src/db/sqlite/sqlite-engine.ts';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../src/db/open-engine.ts';
import type { Engine } from '../src/db/engine.ts';
import { ENGINE, dbTarget, withDb } from './helpers/db-target.ts';
import { ROOT, vib } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';
import { linkMentions, linkParties, linkPartiesTokensLater, type Mention } from '../src/link/link-parties.ts';
import { nameTokens } from '../src/link/names/name-tokens.ts';
import { normaliseName } from '../src/link/names/normalise-name.ts';
import { findCandidates } from '../src/check/find-candidates.ts';
import { CURRENT_STATUSES, currentStatus, statusSearch } from '../src/link/build-units.ts';

const runRow = (id: string) => ({
  run_id: id, pipeline: 'demo', peildatum: '2026-10-01', input_dir: '/x', run_dir: null, started_at: '2026-01-01T00:00:00Z',
  finished_at: null, manifest_sha256: null, prev_manifest_sha256: null, register_sha256: null, entries: 0,
});

/**
 * Opens a screening's transaction on `engine` for pipeline `key`, writes one run row in it (an
 * unfinished one; `staged`: and commits that stage) and holds it open; resolves once the row is
 * written. `release` lets it commit.
 */
async function holdTransaction(engine: Engine, key = 'demo', staged = false): Promise<{ release: () => Promise<void> }> {
  let release!: () => void;
  const hold = new Promise<void>((r) => { release = r; });
  let started!: () => void;
  const isRunning = new Promise<void>((r) => { started = r; });
  const tx = engine.writeTransaction(key, async (w) => {
    await w.db.insertInto('run').values(runRow('R1')).execute();
    if (staged) await w.commitStage();
    started();
    await hold;
  });
  await isRunning;
  return { release: async () => { release(); await tx; } };
}

/**
 * 300 keys (prefix + 4 digits) with duplicates planted within the first batch of 64 (10 repeats 3), in a
 * later batch (130 repeats 20) and in the rows after the last whole batch (299 repeats 298).
 */
function idsWithDuplicates(prefix: string): string[] {
  const ids = Array.from({ length: 300 }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
  ids[10] = ids[3]!;
  ids[130] = ids[20]!;
  ids[299] = ids[298]!;
  return ids;
}

/** A database of this test's engine at an older schema, and its tables as they were then (untyped). */
async function atSchema(version: string): Promise<{ engine: Engine; old: Kysely<Record<string, Record<string, unknown>>> }> {
  const target = dbTarget(tempDir());
  const engine = ENGINE === 'postgres' ? await openPostgres(target) : openSqlite(target);
  await migrateToLatest(engine.db, engine.schema, version);
  return { engine, old: engine.db as unknown as Kysely<Record<string, Record<string, unknown>>> };
}

describe(`the ${ENGINE} engine`, () => {
  it('keeps a screening invisible to readers until it commits, without blocking them', async () => {
    const target = dbTarget(tempDir());
    const writer = await openEngine(target);
    const reader = await openEngine(target);
    try {
      const tx = await holdTransaction(writer);
      const seen = await reader.db.selectFrom('run').select('run_id').execute();
      expect(seen).toEqual([]);
      await tx.release();
      expect(await reader.db.selectFrom('run').select('run_id').execute()).toEqual([{ run_id: 'R1' }]);
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('refuses a second screening of the same pipeline while one runs, with a clear message', async () => {
    const work = tempDir();
    const target = dbTarget(work);
    const first = await openEngine(target);
    try {
      const tx = await holdTransaction(first);
      const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', target, '--out', join(work, 'out')], { VIB_BUSY_TIMEOUT_MS: '300' });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(ENGINE === 'sqlite' ? /is in use by another screening/ : /another screening of pipeline "demo" is running/);
      await tx.release();
    } finally {
      await first.close();
    }
    expect(vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', target, '--out', join(work, 'out')]).code).toBe(0);
  });

  it('holds the screening lock across the stages a screening commits, and readers and the next screening treat its unfinished run as none', async () => {
    const work = tempDir();
    const target = dbTarget(work);
    const screen = (env: Record<string, string> = {}) => vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', target, '--out', join(work, 'out')], env);
    const first = await openEngine(target);
    const reader = await openEngine(target);
    try {
      const tx = await holdTransaction(first, 'demo', true);
      // SQLite committed the stage (PostgreSQL's run stays one transaction): the run is there, unfinished.
      expect(await reader.db.selectFrom('run').select(['run_id', 'finished_at']).execute()).toEqual(ENGINE === 'sqlite' ? [{ run_id: 'R1', finished_at: null }] : []);
      const r = screen({ VIB_BUSY_TIMEOUT_MS: '300' });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(ENGINE === 'sqlite' ? /is in use by another screening/ : /another screening of pipeline "demo" is running/);
      const check = vib(['check', '--db', target, '--kvk', '12345678']);
      expect(check.code).toBe(2);
      expect(check.stderr).toMatch(/holds no completed screening/);
      await tx.release();
    } finally {
      await first.close();
      await reader.close();
    }
    expect(screen().code).toBe(0);
    await withDb(target, async (db) => {
      const runs = await db.selectFrom('run').select(['run_id', 'finished_at']).execute();
      expect(runs.map((x) => x.run_id)).not.toContain('R1');
      expect(runs.every((x) => x.finished_at !== null)).toBe(true);
    });
  });

  it('says per row which rows went in, with duplicates inside a batch, across batches and already stored', async () => {
    const engine = await openEngine(dbTarget(tempDir()));
    try {
      const cols = Object.keys(runRow('x'));
      const row = (id: string) => Object.values(runRow(id));
      await engine.insertRows('run', cols, [row('R0007')]);
      const ids = Array.from({ length: 200 }, (_, i) => `R${String(i).padStart(4, '0')}`);
      ids[10] = ids[3]!; // within the first batch
      ids[130] = ids[20]!; // in a later batch
      const flags = await engine.insertRows('run', cols, ids.map(row));
      expect(flags.flatMap((ok, i) => (ok ? [] : [i]))).toEqual([7, 10, 130]); // 7: stored before
      expect(Number((await engine.db.selectFrom('run').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(198);
    } finally {
      await engine.close();
    }
  });

  it('says per row which rows went in on a loaded table too, keeping the first occurrence and nothing of an undone batch', async () => {
    // persoon has rowids and no trigger: SQLite undoes a batch with a duplicate by deleting its rows
    // (not by a savepoint), which must leave exactly what row-by-row inserts would.
    const engine = await openEngine(dbTarget(tempDir()));
    try {
      const cols = ['run_key', 'persoon_id', 'soort', 'naam', 'land', 'line'];
      const row = (id: string, line: number) => [1, id, 'natuurlijk_persoon', `Naam ${line}`, 'NL', line];
      await engine.insertRows('persoon', cols, [row('P0007', 1)]);
      const ids = idsWithDuplicates('P');
      const flags = await engine.insertRows('persoon', cols, ids.map((id, i) => row(id, i + 2)));
      expect(flags.flatMap((ok, i) => (ok ? [] : [i]))).toEqual([7, 10, 130, 299]);
      const stored = await engine.db.selectFrom('persoon').select(['persoon_id', 'line']).orderBy('persoon_id').execute();
      expect(stored).toHaveLength(297);
      const lineOf = new Map(stored.map((r) => [r.persoon_id, Number(r.line)]));
      expect([lineOf.get('P0003'), lineOf.get('P0007'), lineOf.get('P0020'), lineOf.get('P0298')]).toEqual([5, 1, 22, 300]);
      // Rows inserted after an undone batch still go in, numbered on from what is stored.
      expect(await engine.insertRows('persoon', cols, Array.from({ length: 64 }, (_, i) => row(`Q${String(i).padStart(3, '0')}`, 400 + i)))).toEqual(Array(64).fill(true));
      expect(Number((await engine.db.selectFrom('persoon').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(361);
    } finally {
      await engine.close();
    }
  });

  it('says per row which rows went in on a table without rowids, told apart by identity columns', async () => {
    // bag_num is WITHOUT ROWID; file and position tell two voorkomens with one key apart, so SQLite
    // reads back which rows went in instead of undoing the batch.
    const engine = await openEngine(dbTarget(tempDir()));
    try {
      const cols = ['run_key', 'num_id', 'voorkomen', 'begin', 'file_no', 'position'];
      const row = (id: string, file: number, position: number) => [1, id, 1, '2020-01-01', file, position];
      await engine.insertRows('bag_num', cols, [row('N0007', 0, 1)], ['file_no', 'position']);
      const ids = idsWithDuplicates('N');
      const flags = await engine.insertRows('bag_num', cols, ids.map((id, i) => row(id, 1, i + 1)), ['file_no', 'position']);
      expect(flags.flatMap((ok, i) => (ok ? [] : [i]))).toEqual([7, 10, 130, 299]);
      const stored = await engine.db.selectFrom('bag_num').select(['num_id', 'file_no', 'position']).execute();
      expect(stored).toHaveLength(297);
      const at = new Map(stored.map((r) => [r.num_id, `${r.file_no}:${r.position}`]));
      expect([at.get('N0003'), at.get('N0007'), at.get('N0020'), at.get('N0298')]).toEqual(['1:4', '0:1', '1:21', '1:299']);
    } finally {
      await engine.close();
    }
  });

  it('appends rows whose keys are new, across batches, and refuses a duplicate key instead of skipping it', async () => {
    const engine = await openEngine(dbTarget(tempDir()));
    try {
      const cols = ['run_key', 'rule_id', 'vbo_id'];
      const ids = Array.from({ length: 203 }, (_, i) => String(i).padStart(16, '0'));
      await engine.appendRows('rule_hit', cols, ids.map((v) => [1, 'x.y', v]));
      const back = await engine.db.selectFrom('rule_hit').select('vbo_id').where('run_key', '=', 1).orderBy('vbo_id').execute();
      expect(back.map((r) => r.vbo_id)).toEqual(ids);
      await expect(engine.appendRows('rule_hit', cols, [[1, 'x.y', '0000000000000999'], [1, 'x.y', ids[7]!]])).rejects.toThrow(/unique|duplicate/i);
      // A duplicate inside a batch of many rows, in a run's transaction: the run fails, and its
      // rollback leaves nothing of the batch (on SQLite the statement itself is not undone).
      const fresh = Array.from({ length: 150 }, (_, i) => String(1000 + i).padStart(16, '0'));
      fresh[100] = ids[3]!;
      await expect(engine.writeTransaction('append-test', (w) => w.appendRows('rule_hit', cols, fresh.map((v) => [1, 'x.y', v])))).rejects.toThrow(/unique|duplicate/i);
      const after = await engine.db.selectFrom('rule_hit').select('vbo_id').where('run_key', '=', 1).where('vbo_id', 'in', fresh).execute();
      expect(after.map((r) => r.vbo_id)).toEqual([ids[3]]);
    } finally {
      await engine.close();
    }
  });

  it('stores every value as given: quotes, backslashes, braces, separators, line breaks, non-ASCII, the word NULL, null, numbers', async () => {
    const engine = await openEngine(dbTarget(tempDir()));
    try {
      const texts = ['a"b', 'back\\slash\\', '{x,y}', 'tab\tcomma,semi;', 'line\nbreak\r\n', 'Hôtel ĳs 😀', 'NULL', '', ' spaced ', "it's"];
      const cols = ['run_id', 'file', 'position', 'column_name', 'value', 'reason', 'message'];
      const rows = texts.map((t, i) => ['R1', `f${i}.csv`, i * 1000, i % 2 ? null : t, t, 'invalid-value', `${t}!`]);
      expect(await engine.insertRows('reject', cols, rows)).toEqual(texts.map(() => true));
      const back = await engine.db.selectFrom('reject').select(['file', 'position', 'column_name', 'value', 'message']).orderBy('position').execute();
      expect(back).toEqual(rows.map((r) => ({ file: r[1], position: r[2], column_name: r[3], value: r[4], message: r[6] })));
      const tcols = ['run_key', 'transactie_id', 'vbo_id', 'postcode', 'huisnummer', 'huisletter', 'toevoeging', 'datum', 'datum_d', 'koopsom', 'koper_ids', 'verkoper_ids', 'meerdere_objecten', 'line', 'extra'];
      // More rows than one PostgreSQL statement takes, with a duplicate key across statements.
      const ids = Array.from({ length: 25_000 }, (_, i) => `T${i}`);
      ids[24_000] = ids[5]!;
      const trows = ids.map((id, i) => [1, id, null, '6211AB', 12, null, null, '2024-01-01', 19723, i % 3 ? 123456.78 : null, 'P1', '', 0, i + 2, null]);
      const flags = await engine.insertRows('transactie', tcols, trows);
      expect(flags.flatMap((ok, i) => (ok ? [] : [i]))).toEqual([24_000]);
      const t = await engine.db.selectFrom('transactie').select(['koopsom', 'huisnummer', 'line']).where('transactie_id', 'in', ['T1', 'T3', 'T5']).orderBy('line').execute();
      expect(t).toEqual([{ koopsom: 123456.78, huisnummer: 12, line: 3 }, { koopsom: null, huisnummer: 12, line: 5 }, { koopsom: 123456.78, huisnummer: 12, line: 7 }]);
    } finally {
      await engine.close();
    }
  });

  it.runIf(ENGINE === 'postgres')('lets screenings of other pipelines run side by side (advisory lock per pipeline)', async () => {
    const target = dbTarget(tempDir());
    const a = await openEngine(target);
    const b = await openEngine(target);
    try {
      const tx = await holdTransaction(a);
      await expect(b.writeTransaction('other', async (w) => { await w.db.selectFrom('run').selectAll().execute(); return 'ran'; })).resolves.toBe('ran');
      const busy = b.writeTransaction('demo', async () => 'ran');
      await tx.release();
      await expect(busy).resolves.toBe('ran'); // it waited for the lock instead of failing
    } finally {
      await a.close();
      await b.close();
    }
  });

  it.runIf(ENGINE === 'postgres')('analyses only its own schema, so tenants on one database never lock each other\'s tables', async () => {
    const mine = await openEngine(dbTarget(tempDir()));
    const other = await openEngine(dbTarget(tempDir()));
    try {
      await other.db.insertInto('run').values(runRow('R9')).execute();
      const runStats = () => sql<{ nspname: string; reltuples: number }>`
        SELECT n.nspname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = 'run' AND n.nspname IN (${mine.schema}, ${other.schema})`.execute(mine.db);
      await mine.writeTransaction('demo', (w) => w.analyse());
      const after = new Map((await runStats()).rows.map((r) => [r.nspname, Number(r.reltuples)]));
      expect(after.get(mine.schema!)).toBe(0); // analysed: no rows
      expect(after.get(other.schema!)).toBe(-1); // never analysed (a bare ANALYZE would have set 1)
    } finally {
      await mine.close();
      await other.close();
    }
  });

  it('stores the parties linkMentions finds: the same party, reason and normal form for every mention, one party row each', async () => {
    // Names from a small pool, so that equal names, initials, birth dates and KvK numbers meet, and
    // some of their own.
    let seed = 7;
    // The generator's high bits: its low bits repeat with short periods (with `seed % n` every mention
    // came out a person of personen.csv).
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n; };
    const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)]!;
    const persons = ['Jan de Vries', 'J. de Vries', 'Johannes de Vries', 'de Vries, Jan', 'Anna Bakker', 'A. Bakker', 'Piet Jansen'];
    const firms = ['Bakker Vastgoed B.V.', 'Bakker vastgoed bv', 'Maas Holding B.V.', 'MAAS HOLDING', 'Jansen Beheer'];
    const dates = [null, '1970-01-01', '1980-05-05'];
    const kvks = [null, '12345678', '87654321'];
    const engine = await openEngine(dbTarget(tempDir()));
    try {
      await migrateToLatest(engine.db, engine.schema);
      await engine.db.insertInto('run').values(runRow('R1')).execute();
      const key = (await engine.db.selectFrom('run').select('run_key').executeTakeFirstOrThrow()).run_key;
      const mentions: Mention[] = [];
      const persoon: unknown[][] = [];
      const kvk: unknown[][] = [];
      const aanvraag: unknown[][] = [];
      const signaal: unknown[][] = [];
      for (let i = 0; i < 400; i++) {
        const natural = rnd(2) === 0;
        // One name in five from a larger pool (letters), a firm's with a KvK number of its own or
        // none: parties of one, two or three mentions, with or without a KvK number or birth date.
        const x = rnd(5) === 0 ? rnd(40) : null;
        const own = x === null ? null : String.fromCharCode(97 + (x % 26), 97 + Math.floor(x / 26));
        const naam = own === null ? (natural ? pick(persons) : pick(firms)) : natural ? `Kees Uniek${own}` : `Uniek${own} B.V.`;
        const geboortedatum = natural ? pick(dates) : null;
        const kvkNummer = natural ? null : own === null ? pick(kvks) : pick([null, `9${String(x).padStart(7, '0')}`]);
        const id = `X${i}`;
        switch (rnd(4)) {
          case 0:
            persoon.push([key, id, natural ? 'natuurlijk_persoon' : 'niet_natuurlijk_persoon', naam, geboortedatum, kvkNummer, 'NL', i]);
            mentions.push({ source: 'personen.csv', id, naam, kvk: kvkNummer, geboortedatum, kind: natural ? 'person' : 'organisation' });
            break;
          case 1:
            if (natural) { i--; break; }
            kvk.push([key, kvkNummer ?? '11111111', naam, '', 'NL', i]);
            mentions.push({ source: 'kvk.csv', id: String(i), naam, kvk: kvkNummer ?? '11111111', geboortedatum: null, kind: 'organisation' });
            break;
          case 2:
            aanvraag.push([key, 'vergunningen', id, 'exploitatie', naam, kvkNummer, geboortedatum, '2025-01-01', 20089, i]);
            mentions.push({ source: 'vergunningen.csv', id, naam, kvk: kvkNummer, geboortedatum, kind: 'unknown' });
            break;
          default:
            signaal.push([key, id, naam, kvkNummer, geboortedatum, 'politie', '2025-01-01', 20089, i]);
            mentions.push({ source: 'signalen.csv', id, naam, kvk: kvkNummer, geboortedatum, kind: 'unknown' });
        }
      }
      await engine.insertRows('persoon', ['run_key', 'persoon_id', 'soort', 'naam', 'geboortedatum', 'kvk_nummer', 'land', 'line'], persoon);
      await engine.insertRows('kvk', ['run_key', 'kvk_nummer', 'naam', 'sbi_codes', 'land', 'line'], kvk);
      await engine.insertRows('aanvraag', ['run_key', 'bron', 'aanvraag_id', 'soort', 'aanvrager_naam', 'aanvrager_kvk', 'aanvrager_geboortedatum', 'datum_aanvraag', 'datum_aanvraag_d', 'line'], aanvraag);
      await engine.insertRows('signaal', ['run_key', 'signaal_id', 'naam', 'kvk_nummer', 'geboortedatum', 'bron', 'datum', 'datum_d', 'line'], signaal);
      const expected = await linkMentions(mentions);
      // Some mentions were linked, some were not: the comparison sees both.
      expect(new Set(expected.map((l) => l.reason)).size).toBeGreaterThan(2);
      // A party's KvK number and birth date: its mentions' (a party never holds two of either).
      const firstOf = new Map<string, { naam: string; kind: string; kvk_nummer: string | null; geboortedatum: string | null; mentions: number }>();
      for (const l of expected) {
        const p = firstOf.get(l.party);
        if (p) {
          p.mentions++;
          p.kvk_nummer ??= l.mention.kvk;
          p.geboortedatum ??= l.mention.geboortedatum;
        } else firstOf.set(l.party, { naam: l.mention.naam, kind: l.kind, kvk_nummer: l.mention.kvk, geboortedatum: l.mention.geboortedatum, mentions: 1 });
      }
      // Both kinds of party are compared: of one mention, and of several, each with a KvK number or birth date.
      const single = [...firstOf.values()].filter((p) => p.mentions === 1);
      expect(single.filter((p) => p.kvk_nummer !== null).length).toBeGreaterThan(5);
      expect(single.filter((p) => p.geboortedatum !== null).length).toBeGreaterThan(5);
      expect([...firstOf.values()].filter((p) => p.mentions === 2).length).toBeGreaterThan(5);
      expect([...firstOf.values()].filter((p) => p.mentions > 1 && (p.kvk_nummer !== null || p.geboortedatum !== null)).length).toBeGreaterThan(5);
      const byKey = (a: { source: string; mention_id: string }, b: { source: string; mention_id: string }) => (`${a.source}:${a.mention_id}` < `${b.source}:${b.mention_id}` ? -1 : 1);
      // Names normalised on a thread of their own, pages of 7 (read ahead while the last is worked
      // through), or on this thread in one page: the same parties either way. Each run is rolled back.
      // The token index built later (as the screen does, beside the rule thread) is the same too.
      const tokenSets: string[][] = [];
      for (const options of [{ nameThread: true, pageSize: 7 }, { nameThread: false }, { nameThread: false, later: true }]) {
        const done = new Error('compared; roll back');
        await expect(engine.writeTransaction('p', async (w) => {
          let stored: { mentions: number; parties: number };
          let indexed: number | null = null;
          if ('later' in options) {
            const { indexTokens, ...linked } = await linkPartiesTokensLater(w, key, options);
            expect(await w.db.selectFrom('party_token').select('token').where('run_key', '=', key).execute()).toEqual([]);
            indexed = await indexTokens();
            await expect(indexTokens()).rejects.toThrow('the token index of this linking was built already');
            stored = linked;
          } else stored = await linkParties(w, key, options);
          const tokens = await w.db.selectFrom('party_token').innerJoin('party', (j) => j.onRef('party.run_key', '=', 'party_token.run_key').onRef('party.party_no', '=', 'party_token.party_no'))
            .select(['token', 'party_id']).where('party_token.run_key', '=', key).execute();
          tokenSets.push(tokens.map((t) => `${t.token} ${t.party_id}`).sort());
          if (indexed !== null) expect(indexed).toBe(tokens.length);
          expect(stored.mentions).toBe(400);
          const links = await w.db.selectFrom('party_link').select(['source', 'mention_id', 'party_id', 'reason', 'naam_norm', 'naam']).where('run_key', '=', key).execute();
          expect(links.sort(byKey)).toEqual(expected.map((l) => ({
            source: l.mention.source, mention_id: l.mention.id, party_id: l.party, reason: l.reason, naam_norm: l.norm.compact, naam: l.mention.naam,
          })));
          const parties = await w.db.selectFrom('party').select(['party_id', 'naam', 'kind', 'kvk_nummer', 'geboortedatum', 'mentions']).where('run_key', '=', key).orderBy('party_id').execute();
          expect(stored.parties).toBe(firstOf.size);
          expect(parties.map((p) => ({ ...p, mentions: Number(p.mentions) }))).toEqual([...firstOf].sort(([a], [b]) => (a < b ? -1 : 1)).map(([party_id, p]) => ({ party_id, ...p })));
          throw done;
        }), JSON.stringify(options)).rejects.toBe(done);
      }
      expect(tokenSets[0]!.length).toBeGreaterThan(50);
      expect(tokenSets[1]).toEqual(tokenSets[0]);
      expect(tokenSets[2]).toEqual(tokenSets[0]);
    } finally {
      await engine.close();
    }
  });

  it('indexes every name of every party under its tokens, once, and nothing else', async () => {
    const work = tempDir();
    const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', dbTarget(work), '--out', join(work, 'out')]);
    expect(r.code).toBe(0);
    const engine = await openEngine(dbTarget(work));
    try {
      const links = await engine.db.selectFrom('party_link').select(['party_id', 'naam']).execute();
      const expected = new Set<string>();
      for (const l of links) for (const t of nameTokens(normaliseName(l.naam!))) expected.add(`${t} ${l.party_id}`);
      const rows = await engine.db.selectFrom('party_token').innerJoin('party', (j) => j.onRef('party.run_key', '=', 'party_token.run_key').onRef('party.party_no', '=', 'party_token.party_no'))
        .select(['token', 'party_id']).execute();
      // Every token names a party that is there (the join above would hide one that is not).
      expect(rows.length).toBe(Number((await engine.db.selectFrom('party_token').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));
      const actual = rows.map((t) => `${t.token} ${t.party_id}`);
      expect(new Set(actual).size).toBe(actual.length);
      expect(actual.sort()).toEqual([...expected].sort());
      expect(expected.size).toBeGreaterThan(100);
    } finally {
      await engine.close();
    }
  });

  it('takes a status as current by the listed spellings only where the case-blind search would too, and decides the rest by that search', async () => {
    await withDb(dbTarget(tempDir()), async (db) => {
      const statuses = [...CURRENT_STATUSES, 'Verblijfsobject ingetrokken', 'Niet gerealiseerd verblijfsobject', 'Verblijfsobject ten onrechte opgevoerd',
        'Naamgeving ingetrokken', 'Pand gesloopt', 'VERBLIJFSOBJECT INGETROKKEN', 'verblijfsobject in gebruik', 'Plaats aangewezen', ''];
      const rows = sql.join(statuses.map((x) => sql`SELECT ${x} AS status`), sql` UNION ALL `);
      const search = statusSearch('t');
      const got = (await sql<{ status: string; listed: unknown; searched: unknown }>`SELECT t.status, CASE WHEN ${currentStatus('t')} THEN 1 ELSE 0 END AS listed,
        CASE WHEN ${search} THEN 1 ELSE 0 END AS searched FROM (${rows}) t`.execute(db)).rows;
      expect(got).toHaveLength(statuses.length);
      for (const r of got) expect([r.status, Number(r.listed)]).toEqual([r.status, Number(r.searched)]);
      expect(got.filter((r) => Number(r.listed) === 0).map((r) => r.status).sort()).toEqual([
        'Naamgeving ingetrokken', 'Niet gerealiseerd verblijfsobject', 'Pand gesloopt', 'VERBLIJFSOBJECT INGETROKKEN', 'Verblijfsobject ingetrokken', 'Verblijfsobject ten onrechte opgevoerd',
      ]);
    });
  });

  it('upgrades a database of schema 0010 to integer run keys, keeping the rows, keys and indexes of every run', async () => {
    const { engine, old } = await atSchema('0010-kvk-partial-indexes');
    try {
      for (const [id, at] of [['R-late', '2026-02-01T00:00:00Z'], ['R-early', '2026-01-01T00:00:00Z']] as const) {
        await old.insertInto('run').values({ ...runRow(id), started_at: at }).execute();
        await old.insertInto('persoon').values({ run_id: id, persoon_id: 'P1', soort: 'natuurlijk_persoon', naam: `Naam ${id}`, land: 'NL', line: 2, kvk_nummer: null }).execute();
        await old.insertInto('recht').values({ run_id: id, recht_id: 'R1', vbo_id: '0935010000000001', soort_recht: 'eigendom', persoon_id: 'P1', aandeel: '1/1', ingangsdatum: '2020-01-01', ingangsdatum_d: 18262, line: 2 }).execute();
      }
      // A row of a run that no longer exists has no key to take: it is dropped, not kept half-migrated.
      await old.insertInto('persoon').values({ run_id: 'R-gone', persoon_id: 'P9', soort: 'natuurlijk_persoon', naam: 'X', land: 'NL', line: 2, kvk_nummer: null }).execute();
      await migrateToLatest(engine.db, engine.schema);

      const runs = await engine.db.selectFrom('run').select(['run_id', 'run_key']).orderBy('run_key').execute();
      expect(new Set(runs.map((r) => r.run_key)).size).toBe(2);
      const keyOf = new Map(runs.map((r) => [r.run_id, r.run_key]));
      const persons = await engine.db.selectFrom('persoon').select(['run_key', 'naam']).orderBy('naam').execute();
      expect(persons).toEqual([{ run_key: keyOf.get('R-early'), naam: 'Naam R-early' }, { run_key: keyOf.get('R-late'), naam: 'Naam R-late' }]);
      expect(await engine.db.selectFrom('recht').select('run_key').where('vbo_id', '=', '0935010000000001').orderBy('run_key').execute())
        .toEqual([...keyOf.values()].sort((a, b) => a - b).map((k) => ({ run_key: k })));
      // The primary key now starts with run_key: a duplicate is refused, a new key is not.
      const cols = ['run_key', 'persoon_id', 'soort', 'naam', 'land', 'line'];
      expect(await engine.insertRows('persoon', cols, [[keyOf.get('R-late'), 'P1', 'natuurlijk_persoon', 'Dubbel', 'NL', 3], [keyOf.get('R-late'), 'P2', 'natuurlijk_persoon', 'Nieuw', 'NL', 4]])).toEqual([false, true]);
      const indexes = ENGINE === 'postgres'
        ? (await sql<{ def: string }>`SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'recht' AND schemaname = ${engine.schema}`.execute(engine.db)).rows.map((r) => r.def)
        : (await sql<{ def: string }>`SELECT sql AS def FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recht' AND sql IS NOT NULL`.execute(engine.db)).rows.map((r) => r.def);
      expect(indexes.filter((d) => /run_id/.test(d))).toEqual([]);
      expect(indexes.filter((d) => /recht_run_key_vbo_id_idx/.test(d) && /\(\s*"?run_key"?,\s*"?vbo_id"?\s*\)/.test(d))).toHaveLength(1);
      // A new run gets a key of its own from the database.
      await engine.db.insertInto('run').values(runRow('R-new')).execute();
      const next = await engine.db.selectFrom('run').select('run_key').where('run_id', '=', 'R-new').executeTakeFirstOrThrow();
      expect([...keyOf.values()]).not.toContain(next.run_key);
    } finally {
      await engine.close();
    }
  });


  it('upgrades a database of schema 0012 to numbered parties, the token index naming them by number', async () => {
    const { engine, old } = await atSchema('0012-drop-bag-num-postcode-index');
    try {
      for (const id of ['R-a', 'R-b']) await old.insertInto('run').values(runRow(id)).execute();
      const keys = (await old.selectFrom('run').select(['run_id', 'run_key']).orderBy('run_id').execute()).map((r) => Number(r.run_key));
      // Ids whose byte order is not their insertion order ('P10' < 'P2'; 'kvk' < 'personen').
      const parties = [['personen.csv:P2', 'Jan de Vries'], ['personen.csv:P10', 'Piet Jansen'], ['kvk.csv:7', 'Vries Holding BV']] as const;
      for (const runKey of keys) {
        for (const [party_id, naam] of parties) {
          await old.insertInto('party').values({ run_key: runKey, party_id, kind: 'person', naam, kvk_nummer: null, geboortedatum: null, mentions: 1 }).execute();
          const [source, mention_id] = party_id.split(':');
          await old.insertInto('party_link').values({ run_key: runKey, source, mention_id, party_id, naam_norm: '', reason: 'eigen vermelding', naam }).execute();
          for (const token of nameTokens(normaliseName(naam))) await old.insertInto('party_token').values({ run_key: runKey, token, party_id }).execute();
        }
      }
      // A token of a party that is not there has nothing to be numbered by: it goes.
      await old.insertInto('party_token').values({ run_key: keys[0], token: 't:weg', party_id: 'personen.csv:P404' }).execute();
      await migrateToLatest(engine.db, engine.schema);

      for (const runKey of keys) {
        const numbered = await engine.db.selectFrom('party').select(['party_id', 'party_no']).where('run_key', '=', runKey).orderBy('party_no').execute();
        expect(numbered).toEqual([{ party_id: 'kvk.csv:7', party_no: 0 }, { party_id: 'personen.csv:P10', party_no: 1 }, { party_id: 'personen.csv:P2', party_no: 2 }]);
        const tokens = await engine.db.selectFrom('party_token')
          .innerJoin('party', (j) => j.onRef('party.run_key', '=', 'party_token.run_key').onRef('party.party_no', '=', 'party_token.party_no'))
          .select(['token', 'party_id']).where('party_token.run_key', '=', runKey).execute();
        expect(tokens.map((t) => `${t.token} ${t.party_id}`).sort())
          .toEqual(parties.flatMap(([id, naam]) => nameTokens(normaliseName(naam)).map((t) => `${t} ${id}`)).sort());
      }
      expect(await engine.db.selectFrom('party_token').select('token').where('token', '=', 't:weg').execute()).toEqual([]);
      // The check reads the upgraded index: "de Vries" finds both parties with that word, in id order.
      const found = await findCandidates(engine.db, keys[1]!, { naam: 'Vries', geboortedatum: null, kvk: null, adres: null });
      expect(found.map((f) => f.party.party_id).sort()).toEqual(['kvk.csv:7', 'personen.csv:P2']);
      // A second party with the number of an existing one is refused.
      await expect(engine.db.insertInto('party').values({ run_key: keys[0]!, party_id: 'personen.csv:P3', kind: 'person', naam: 'X', kvk_nummer: null, geboortedatum: null, mentions: 1, party_no: 1 }).execute()).rejects.toThrow();
    } finally {
      await engine.close();
    }
  });

  it('upgrades a database of schema 0013 to BAG voorkomens that name their file by number', async () => {
    const { engine, old } = await atSchema('0013-party-number');
    try {
      for (const id of ['R-a', 'R-b']) await old.insertInto('run').values(runRow(id)).execute();
      const keys = (await old.selectFrom('run').select(['run_key']).orderBy('run_id').execute()).map((r) => Number(r.run_key));
      const voorkomen = { voorkomen: 1, begin: '2000-01-01', eind: null, status: null };
      // Run a: a zip entry and a plain file (names sort '!' before '/'); run b: one file, also in run a.
      const vbo = [[keys[0], 'bag/x.zip!9999VBO.xml', 1], [keys[0], 'bag/x.zip!9999VBO.xml', 2], [keys[1], 'bag/9999VBO.xml', 1]] as const;
      for (const [k, [runKey, file, position]] of vbo.entries()) {
        await old.insertInto('bag_vbo').values({ run_key: runKey, vbo_id: `000101000000000${k}`, ...voorkomen, file, position, gebruiksdoelen: 'woonfunctie', nevenadressen: '', panden: '' }).execute();
      }
      await old.insertInto('bag_num').values({ run_key: keys[0], num_id: '0001200000000001', ...voorkomen, file: 'bag/9999NUM.xml', position: 7 }).execute();
      await old.insertInto('bag_wpl').values({ run_key: keys[0], wpl_id: '9999', ...voorkomen, file: 'bag/9999VBO.xml', position: 3, naam: 'X' }).execute();
      await migrateToLatest(engine.db, engine.schema);

      const files = await engine.db.selectFrom('bag_file').select(['run_key', 'file_no', 'file']).orderBy('run_key').orderBy('file_no').execute();
      expect(files).toEqual([
        { run_key: keys[0], file_no: 0, file: 'bag/9999NUM.xml' }, { run_key: keys[0], file_no: 1, file: 'bag/9999VBO.xml' },
        { run_key: keys[0], file_no: 2, file: 'bag/x.zip!9999VBO.xml' }, { run_key: keys[1], file_no: 0, file: 'bag/9999VBO.xml' },
      ]);
      const fileOf = (runKey: number, no: number) => files.find((f) => f.run_key === runKey && f.file_no === no)!.file;
      const stored = await engine.db.selectFrom('bag_vbo').select(['run_key', 'file_no', 'position']).orderBy('vbo_id').execute();
      expect(stored.map((r) => [r.run_key, fileOf(r.run_key, r.file_no), r.position])).toEqual(vbo.map((v) => [...v]));
      const num = await engine.db.selectFrom('bag_num').select(['run_key', 'file_no']).executeTakeFirstOrThrow();
      expect(fileOf(num.run_key, num.file_no)).toBe('bag/9999NUM.xml');
      const wpl = await engine.db.selectFrom('bag_wpl').select(['run_key', 'file_no']).executeTakeFirstOrThrow();
      expect(fileOf(wpl.run_key, wpl.file_no)).toBe('bag/9999VBO.xml');
      // A run's file has one number.
      await expect(engine.db.insertInto('bag_file').values({ run_key: keys[1]!, file_no: 1, file: 'bag/9999VBO.xml' }).execute()).rejects.toThrow();
    } finally {
      await engine.close();
    }
  });

  it.runIf(ENGINE === 'postgres')('migrates one session at a time across schemas, and opens an up-to-date schema without waiting', async () => {
    // kysely's Migrator lists every column of every table in the database, which fails while another
    // session's migration drops a column: migrations of all schemas take one lock, and a schema that
    // is up to date needs neither the lock nor the Migrator.
    const upToDate = dbTarget(tempDir());
    await (await openEngine(upToDate)).close();
    const holder = await openPostgres(dbTarget(tempDir()));
    const LOCK = sql`hashtext('vastgoed-in-beeld:migrate')`;
    // Other test files may open new schemas meanwhile and wait too: count only this test's session.
    const probe = `vib_probe_${process.pid}`;
    const waitingForLock = async () => (await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1 AND a.application_name = ${probe}
        AND ((l.classid::bigint << 32) | l.objid::bigint) = ${LOCK}::bigint`.execute(holder.db)).rows[0]!.n;
    try {
      let opened: Engine | null = null;
      let pending!: Promise<Engine>;
      await holder.db.connection().execute(async (conn) => {
        await sql`SELECT pg_advisory_lock(${LOCK})`.execute(conn);
        try {
          await (await openEngine(upToDate)).close();
          pending = openEngine(`${dbTarget(tempDir())}&application_name=${probe}`).then((e) => (opened = e));
          for (let i = 0; i < 1500 && (await waitingForLock()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
          expect(await waitingForLock()).toBe(1);
          expect(opened).toBeNull();
        } finally {
          await sql`SELECT pg_advisory_unlock(${LOCK})`.execute(conn);
        }
      });
      const fresh = await pending;
      try {
        const names = await sql<{ name: string }>`SELECT name FROM ${sql.table(`${fresh.schema}.kysely_migration`)} ORDER BY name`.execute(fresh.db);
        expect(names.rows.at(-1)?.name).toBe(SCHEMA_VERSION);
      } finally {
        await fresh.close();
      }
    } finally {
      await holder.close();
    }
  });

  it.runIf(ENGINE === 'postgres')('gives a byte-identical register on SQLite and on PostgreSQL', () => {
    const work = tempDir();
    const run = (db: string, out: string) => {
      const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', db, '--out', join(work, out)]);
      expect(r.code).toBe(0);
      return r.stdout.trim().split('\n').at(-1)!;
    };
    const pgRun = run(dbTarget(work), 'pg');
    const sqliteRun = run(join(work, 'side.sqlite'), 'sqlite');
    for (const f of ['register.json', 'register.csv', 'register.html', 'register.xlsx', 'rejects.csv']) {
      expect(readFileSync(join(pgRun, f)).equals(readFileSync(join(sqliteRun, f))), f).toBe(true);
    }
    expect(readFileSync(join(pgRun, 'register.json')).equals(readFileSync(join(ROOT, 'fixtures', 'demo', 'expected', 'register.json')))).toBe(true);
  });
});
