/**
 * An index of the run's legal entities among its persons (`soort = 'niet_natuurlijk_persoon'`), for
 * the rules that start from them (financing.opaque-owner). Without it SQLite had no way to know how
 * few persons a legal-entity filter keeps, so it read every right of the run in vbo_id order and
 * looked each one's holder up: where the rows of `recht` and `persoon` are not stored in that order
 * (an export sorted otherwise; the 1M bench with `--order shuffled`) each lookup read a page of its
 * own, and the rule took 13.2 s alone; starting from this index, 0.14 s. It holds only the legal
 * entities, so loading a natural person costs one test of its soort. PostgreSQL's planner knows
 * soort's values from its statistics and starts from this index too (EXPLAIN of the rule's query on
 * 200,000 natural persons and 300 legal entities: the index, then recht by persoon_id).
 */
import { sql, type Kysely, type Migration } from 'kysely';

const NAME = 'persoon_legal_entity_idx';

export const persoonLegalEntityIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex(NAME).on('persoon').columns(['run_key', 'persoon_id'])
      .where(sql.ref('soort'), '=', sql.lit('niet_natuurlijk_persoon')).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex(NAME).execute();
  },
};
