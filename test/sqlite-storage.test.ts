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
  it('upgrades a database of schema 0007 to WITHOUT ROWID tables, keeping every row and index', async () => {
    const path = join(tempDir(), 'old.sqlite');
    const raw = new BetterSqlite3(path);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
    await migrateToLatest(db, null, '0007-party-link-name');
    raw.prepare("INSERT INTO bag_vbo (run_id, vbo_id, voorkomen, begin, file, position, gebruiksdoelen, nevenadressen, panden) VALUES ('r1', '0935010000000001', 1, '2000-01-01', 'f.xml', 1, 'woonfunctie', '', '')").run();
    raw.prepare("INSERT INTO party_link (run_id, source, mention_id, party_id, naam_norm, reason, naam) VALUES ('r1', 'personen.csv', 'P1', 'personen.csv:P1', 'jan', 'eigen vermelding', 'Jan')").run();
    raw.prepare("INSERT INTO party_token (run_id, token, party_id) VALUES ('r1', 't:jan', 'personen.csv:P1')").run();
    await migrateToLatest(db);
    const tables = raw.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('bag_vbo', 'party_link', 'party_token', 'address', 'run')").all() as { name: string; sql: string }[];
    expect(Object.fromEntries(tables.map((t) => [t.name, /WITHOUT ROWID$/.test(t.sql)]))).toEqual({ bag_vbo: true, party_link: true, party_token: true, address: true, run: false });
    expect(raw.prepare('SELECT vbo_id, gebruiksdoelen FROM bag_vbo').all()).toEqual([{ vbo_id: '0935010000000001', gebruiksdoelen: 'woonfunctie' }]);
    expect(raw.prepare('SELECT party_id, naam FROM party_link').all()).toEqual([{ party_id: 'personen.csv:P1', naam: 'Jan' }]);
    expect(raw.prepare('SELECT count(*) AS n FROM party_token').get()).toEqual({ n: 1 });
    const indexes = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('address', 'party_link', 'bag_num') AND sql IS NOT NULL ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['address_run_id_postcode_huisnummer_idx', 'address_run_id_vbo_id_idx', 'bag_num_run_id_postcode_huisnummer_idx', 'party_link_run_id_party_id_idx']);
    await db.destroy();
  });

  it('tells the planner how many rows a run has, not what a 1,000-row sample suggests', async () => {
    const engine = openSqlite(join(tempDir(), 'stats.sqlite'));
    await migrateToLatest(engine.db);
    for (const run of ['r1', 'r2']) {
      await engine.db.insertInto('run').values({ run_id: run, pipeline: 'p', peildatum: '2026-01-01', input_dir: '.', run_dir: null, started_at: '2026-01-01', finished_at: null, manifest_sha256: null, prev_manifest_sha256: null, register_sha256: null, entries: 0 }).execute();
      await engine.insertRows('rule_hit', ['run_id', 'rule_id', 'vbo_id'], Array.from({ length: 3000 }, (_, i) => [run, 'x.y', String(i).padStart(16, '0')]));
    }
    await engine.analyse();
    const stat = await engine.db.selectFrom('sqlite_stat1' as never).select(['idx' as never, 'stat' as never]).where('tbl' as never, '=', 'rule_hit' as never).execute() as unknown as { stat: string }[];
    // 6,000 rows, two runs: a run_id selects 3,000 (the sample alone says 1,001).
    expect(stat.map((s) => s.stat.split(' ').slice(0, 2).join(' '))).toEqual(['6000 3000']);
    await engine.close();
  });

  it('lets party linking sort with helper threads and sets the thread count back to what it was', async () => {
    const engine = openSqlite(join(tempDir(), 'threads.sqlite'));
    await migrateToLatest(engine.db);
    await engine.db.insertInto('run').values({ run_id: 'r1', pipeline: 'p', peildatum: '2026-01-01', input_dir: '.', run_dir: null, started_at: '2026-01-01', finished_at: null, manifest_sha256: null, prev_manifest_sha256: null, register_sha256: null, entries: 0 }).execute();
    await engine.insertRows('persoon', ['run_id', 'persoon_id', 'soort', 'naam', 'land', 'line'], [
      ['r1', 'P1', 'natuurlijk_persoon', 'Jan de Vries', 'NL', 2],
      ['r1', 'P2', 'natuurlijk_persoon', 'J. de Vries', 'NL', 3],
    ]);
    const threads = async () => (await sql<{ threads: number }>`PRAGMA threads`.execute(engine.db)).rows[0]!.threads;
    await sql`PRAGMA threads = 3`.execute(engine.db);
    const linked = await engine.writeTransaction('p', (w) => linkParties(w, 'r1'));
    expect(linked.mentions).toBe(2);
    expect(await threads()).toBe(3);
    const tokens = await engine.db.selectFrom('party_token').select('token').where('party_id', '=', 'personen.csv:P1').orderBy('token').execute();
    expect(tokens.map((t) => t.token)).toEqual(['c:jandevries', 'p:vrie', 't:de', 't:jan', 't:vries']);
    await engine.close();
  });
});
