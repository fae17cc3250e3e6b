import { statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openSqlite } from '../src/db/sqlite/sqlite-engine.ts';
import { linkParties } from '../src/link/link-parties.ts';
import { sql } from 'kysely';
import { tempDir } from './helpers/mini-input.ts';

// SQLite's own storage choices (rowid tables, planner statistics): PostgreSQL has neither.
describe.runIf(process.env.VIB_TEST_ENGINE !== 'postgres')('SQLite storage', () => {
  it('upgrades a database of schema 0007 to WITHOUT ROWID tables keyed by run_key, keeping every row and index', async () => {
    const path = join(tempDir(), 'old.sqlite');
    const raw = new BetterSqlite3(path);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
    await migrateToLatest(db, null, '0007-party-link-name');
    for (const [id, at] of [['r1', '2026-02-01T00:00:00Z'], ['r0', '2026-01-01T00:00:00Z']]) {
      raw.prepare("INSERT INTO run (run_id, pipeline, peildatum, input_dir, started_at, entries) VALUES (?, 'p', '2026-01-01', '.', ?, 0)").run(id, at);
    }
    raw.prepare("INSERT INTO bag_vbo (run_id, vbo_id, voorkomen, begin, file, position, gebruiksdoelen, nevenadressen, panden) VALUES ('r1', '0935010000000001', 1, '2000-01-01', 'f.xml', 1, 'woonfunctie', '', '')").run();
    raw.prepare("INSERT INTO party_link (run_id, source, mention_id, party_id, naam_norm, reason, naam) VALUES ('r1', 'personen.csv', 'P1', 'personen.csv:P1', 'jan', 'eigen vermelding', 'Jan')").run();
    raw.prepare("INSERT INTO party (run_id, party_id, kind, naam, mentions) VALUES ('r1', 'personen.csv:P1', 'person', 'Jan', 1)").run();
    raw.prepare("INSERT INTO party_token (run_id, token, party_id) VALUES ('r1', 't:jan', 'personen.csv:P1')").run();
    await migrateToLatest(db);
    const tables = raw.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('bag_vbo', 'party_link', 'party_token', 'address', 'run')").all() as { name: string; sql: string }[];
    expect(Object.fromEntries(tables.map((t) => [t.name, /WITHOUT ROWID$/.test(t.sql)]))).toEqual({ bag_vbo: true, party_link: true, party_token: true, address: true, run: false });
    // Runs are numbered in the order they started; the rows of r1 now carry its key.
    expect(raw.prepare('SELECT run_id, run_key FROM run ORDER BY run_key').all()).toEqual([{ run_id: 'r0', run_key: 1 }, { run_id: 'r1', run_key: 2 }]);
    expect(raw.prepare('SELECT run_key, vbo_id, gebruiksdoelen, file_no FROM bag_vbo').all()).toEqual([{ run_key: 2, vbo_id: '0935010000000001', gebruiksdoelen: 'woonfunctie', file_no: 0 }]);
    expect(raw.prepare('SELECT run_key, file_no, file FROM bag_file').all()).toEqual([{ run_key: 2, file_no: 0, file: 'f.xml' }]);
    expect(raw.prepare('SELECT run_key, party_id, naam FROM party_link').all()).toEqual([{ run_key: 2, party_id: 'personen.csv:P1', naam: 'Jan' }]);
    expect(raw.prepare('SELECT run_key, token, party_no FROM party_token').all()).toEqual([{ run_key: 2, token: 't:jan', party_no: 0 }]);
    expect(raw.prepare("SELECT name FROM pragma_table_info('bag_vbo') WHERE name LIKE 'run%'").all()).toEqual([{ name: 'run_key' }]);
    const indexes = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('address', 'party_link', 'bag_num', 'persoon') AND sql IS NOT NULL ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual([
      // bag_num's index by postcode went in 0012 and address's in 0016: nothing reads them by postcode.
      // 0017 indexed the legal entities among the persons.
      'address_run_key_vbo_id_idx', 'party_link_run_key_party_id_idx',
      'persoon_address_idx', 'persoon_kvk_idx', 'persoon_legal_entity_idx',
    ]);
    // A new run gets the next key from the database.
    raw.prepare("INSERT INTO run (run_id, pipeline, peildatum, input_dir, started_at, entries) VALUES ('r2', 'p', '2026-01-01', '.', '2026-03-01T00:00:00Z', 0)").run();
    expect(raw.prepare("SELECT run_key FROM run WHERE run_id = 'r2'").get()).toEqual({ run_key: 3 });
    await db.destroy();
  });

  it('creates a new database with the page size asked and leaves an existing database its own', async () => {
    const dir = tempDir();
    const pageSize = async (path: string) => {
      const engine = openSqlite(path, { pageSize: 32768 });
      try {
        await migrateToLatest(engine.db, null);
        await engine.db.insertInto('run').values({ run_id: 'r', pipeline: 'p', peildatum: '2026-01-01', input_dir: '.', run_dir: null, started_at: 'x', finished_at: null, manifest_sha256: null, prev_manifest_sha256: null, register_sha256: null, entries: 0 }).execute();
        return (await sql<{ page_size: number }>`PRAGMA page_size`.execute(engine.db)).rows[0]!.page_size;
      } finally {
        await engine.close();
      }
    };
    expect(await pageSize(join(dir, 'new.sqlite'))).toBe(32768);
    // A database an earlier version made, with SQLite's default pages, in WAL mode.
    const old = new BetterSqlite3(join(dir, 'old.sqlite'));
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE earlier (x)');
    old.close();
    expect(await pageSize(join(dir, 'old.sqlite'))).toBe(4096);
  });

  it('tells the planner how many rows a run has, not what a 1,000-row sample suggests', async () => {
    const engine = openSqlite(join(tempDir(), 'stats.sqlite'));
    await migrateToLatest(engine.db);
    for (const run of ['r1', 'r2']) {
      await engine.db.insertInto('run').values({ run_id: run, pipeline: 'p', peildatum: '2026-01-01', input_dir: '.', run_dir: null, started_at: '2026-01-01', finished_at: null, manifest_sha256: null, prev_manifest_sha256: null, register_sha256: null, entries: 0 }).execute();
      const key = (await engine.db.selectFrom('run').select('run_key').where('run_id', '=', run).executeTakeFirstOrThrow()).run_key;
      await engine.insertRows('rule_hit', ['run_key', 'rule_id', 'vbo_id'], Array.from({ length: 3000 }, (_, i) => [key, 'x.y', String(i).padStart(16, '0')]));
    }
    await engine.analyse();
    const stat = await engine.db.selectFrom('sqlite_stat1' as never).select(['idx' as never, 'stat' as never]).where('tbl' as never, '=', 'rule_hit' as never).execute() as unknown as { stat: string }[];
    // 6,000 rows, two runs: a run_key selects 3,000 (the sample alone says 1,001).
    expect(stat.map((s) => s.stat.split(' ').slice(0, 2).join(' '))).toEqual(['6000 3000']);
    // Given tables, only those are analysed again (and fixed up the same way).
    await engine.insertRows('rule_hit', ['run_key', 'rule_id', 'vbo_id'], Array.from({ length: 3000 }, (_, i) => [1, 'x.z', String(i).padStart(16, '0')]));
    await engine.insertRows('bag_file', ['run_key', 'file_no', 'file'], Array.from({ length: 10 }, (_, i) => [1, i, `f${i}.xml`]));
    await engine.analyse(['rule_hit']);
    const tables = async () => (await engine.db.selectFrom('sqlite_stat1' as never).select(['tbl' as never, 'stat' as never]).execute() as unknown as { tbl: string; stat: string }[]);
    expect((await tables()).filter((t) => t.tbl === 'rule_hit').map((s) => s.stat.split(' ').slice(0, 2).join(' '))).toEqual(['9000 4500']);
    expect((await tables()).some((t) => t.tbl === 'bag_file')).toBe(false);
    await engine.analyse();
    const bagFile = (await tables()).filter((t) => t.tbl === 'bag_file');
    expect(bagFile.length).toBeGreaterThan(0);
    expect(bagFile.every((t) => t.stat.split(' ')[0] === '10')).toBe(true);
    await engine.close();
  });

  it('lets party linking sort with helper threads and sets the thread count back to what it was', async () => {
    const engine = openSqlite(join(tempDir(), 'threads.sqlite'));
    await migrateToLatest(engine.db);
    await engine.db.insertInto('run').values({ run_id: 'r1', pipeline: 'p', peildatum: '2026-01-01', input_dir: '.', run_dir: null, started_at: '2026-01-01', finished_at: null, manifest_sha256: null, prev_manifest_sha256: null, register_sha256: null, entries: 0 }).execute();
    await engine.insertRows('persoon', ['run_key', 'persoon_id', 'soort', 'naam', 'land', 'line'], [
      [1, 'P1', 'natuurlijk_persoon', 'Jan de Vries', 'NL', 2],
      [1, 'P2', 'natuurlijk_persoon', 'J. de Vries', 'NL', 3],
    ]);
    const threads = async () => (await sql<{ threads: number }>`PRAGMA threads`.execute(engine.db)).rows[0]!.threads;
    await sql`PRAGMA threads = 3`.execute(engine.db);
    const linked = await engine.writeTransaction('p', (w) => linkParties(w, 1));
    expect(linked.mentions).toBe(2);
    expect(await threads()).toBe(3);
    const tokens = await engine.db.selectFrom('party_token').innerJoin('party', (j) => j.onRef('party.run_key', '=', 'party_token.run_key').onRef('party.party_no', '=', 'party_token.party_no'))
      .select('token').where('party.party_id', '=', 'personen.csv:P1').orderBy('token').execute();
    expect(tokens.map((t) => t.token)).toEqual(['c:jandevries', 'p:vrie', 't:de', 't:jan', 't:vries']);
    await engine.close();
  });
  it('checkpoints the stages a screening commits on another thread while the screening goes on, and the rest at its end', async () => {
    const path = join(tempDir(), 'staged.sqlite');
    const engine = openSqlite(path);
    await migrateToLatest(engine.db);
    const before = statSync(path).size;
    let duringStage = 0;
    await engine.writeTransaction('p', async (w) => {
      await w.db.insertInto('run').values({ run_id: 'r1', pipeline: 'p', peildatum: '2026-01-01', input_dir: '.', run_dir: null, started_at: '2026-01-01', finished_at: null, manifest_sha256: null, prev_manifest_sha256: null, register_sha256: null, entries: 0 }).execute();
      await w.insertRows('rule_hit', ['run_key', 'rule_id', 'vbo_id'], Array.from({ length: 20_000 }, (_, i) => [1, 'x.y', String(i).padStart(16, '0')]));
      // Without a checkpoint the rows are in the log only: the database file does not grow.
      expect(statSync(path).size).toBe(before);
      await w.commitStage();
      // The checkpointer copies them into the database file while this thread waits (or works).
      for (let i = 0; i < 200 && statSync(path).size === before; i++) await new Promise((r) => setTimeout(r, 25));
      duringStage = statSync(path).size;
      await w.insertRows('rule_hit', ['run_key', 'rule_id', 'vbo_id'], Array.from({ length: 20_000 }, (_, i) => [1, 'x.z', String(i).padStart(16, '0')]));
    });
    expect(duringStage).toBeGreaterThan(before);
    // At the end the rest was copied too: nothing is left in the log for the next reader to search.
    const reader = new BetterSqlite3(path);
    expect(statSync(path).size).toBeGreaterThan(duringStage);
    expect(reader.prepare('SELECT count(*) AS n FROM rule_hit').get()).toEqual({ n: 40_000 });
    // The commits of the screening checkpoint nothing themselves; afterwards the connection does again.
    expect(await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(engine.db).then((r) => r.rows[0]!.wal_autocheckpoint)).toBe(1000);
    reader.close();
    await engine.close();
  });
});
