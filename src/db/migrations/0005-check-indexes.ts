/** Indexes the applicant check needs so a check touches only the parties found (measured by the bench). */
import type { Kysely, Migration } from 'kysely';

const INDEXES: [string, string, string[]][] = [
  ['hypotheek_gever_idx', 'hypotheek', ['run_id', 'hypotheekgever_id']],
  ['persoon_address_idx', 'persoon', ['run_id', 'postcode', 'huisnummer']],
  ['party_link_mention_idx', 'party_link', ['run_id', 'source', 'mention_id']],
  ['register_entry_vbo_idx', 'register_entry', ['vbo_id', 'run_id']],
];

export const checkIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    for (const [name, table, cols] of INDEXES) await db.schema.createIndex(name).on(table).columns(cols).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
  },
};
