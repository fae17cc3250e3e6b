/**
 * How SQLite runs a rule's query, where the plan decides between a fraction of a second and a read of
 * every row of a large table: the planner sees only the indexes and their statistics, so a test on a
 * small database with the run's proportions shows the plan a national one would get.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openSqlite } from '../src/db/sqlite/sqlite-engine.ts';
import { opaqueOwner } from '../src/rules/financing-opaque-owner.ts';
import { ENGINE } from './helpers/db-target.ts';
import { tempDir } from './helpers/mini-input.ts';

describe.skipIf(ENGINE !== 'sqlite')('rule query plans on SQLite', () => {
  it('financing.opaque-owner starts from the legal entities, not from every right of the run', async () => {
    const path = join(tempDir(), 'plans.sqlite');
    const engine = openSqlite(path);
    await migrateToLatest(engine.db);
    // Owners as in the registry: nearly all natural persons, a few legal entities (two foreign, a
    // STAK, one ordinary Dutch company); every owner holds the right to one unit.
    const persons: unknown[][] = [];
    for (let i = 0; i < 3000; i++) persons.push([1, `P${i}`, 'natuurlijk_persoon', `Persoon ${i}`, null, 'NL', i + 2]);
    persons.push(
      [1, 'L1', 'niet_natuurlijk_persoon', 'Offshore Holdings Ltd', 'Limited', 'CY', 3002],
      [1, 'L2', 'niet_natuurlijk_persoon', 'Auslands GmbH', 'Buitenlandse rechtspersoon', 'NL', 3003],
      [1, 'L3', 'niet_natuurlijk_persoon', 'Stichting Administratiekantoor Noord', 'Stichting', 'NL', 3004],
      [1, 'L4', 'niet_natuurlijk_persoon', 'Gewone Bouw B.V.', 'Besloten vennootschap', 'NL', 3005],
    );
    await engine.insertRows('persoon', ['run_key', 'persoon_id', 'soort', 'naam', 'rechtsvorm', 'land', 'line'], persons);
    const rights = persons.map((p, i) => [1, `R${i}`, `0935010000${String(i).padStart(6, '0')}`, 'eigendom', p[1], '1/1', '2000-01-01', 10957, i + 2]);
    await engine.insertRows('recht', ['run_key', 'recht_id', 'vbo_id', 'soort_recht', 'persoon_id', 'aandeel', 'ingangsdatum', 'ingangsdatum_d', 'line'], rights);
    await engine.analyse();
    await engine.close();

    // The rule's own statement, caught as it runs.
    const raw = new BetterSqlite3(path);
    const queries: CompiledQuery[] = [];
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }), log: (e) => { if (e.level === 'query') queries.push(e.query); } });
    try {
      const hits = await opaqueOwner.evaluate({ db, runKey: 1, peildatum: '2026-10-01', params: opaqueOwner.params.parse({}), earlierHits: new Map() });
      expect(hits.map((h) => h.vbo_id)).toEqual(['0935010000003000', '0935010000003001', '0935010000003002']);
      expect(queries).toHaveLength(1);
      const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${queries[0]!.sql}`).all(...queries[0]!.parameters) as { detail: string }[]).map((r) => r.detail);
      // Without the legal-entity index SQLite walked recht by vbo_id and looked every holder up:
      // SEARCH r USING INDEX recht_run_key_vbo_id_idx, then SEARCH p USING INDEX sqlite_autoindex_persoon_1.
      expect(plan[0]).toMatch(/^SEARCH p USING INDEX persoon_legal_entity_idx/);
      expect(plan[1]).toMatch(/^SEARCH r USING INDEX recht_run_key_persoon_id_idx/);
    } finally {
      await db.destroy();
    }
  });
});
