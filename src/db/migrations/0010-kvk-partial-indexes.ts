/**
 * The KvK-number indexes of persons and parties hold only the rows that have a KvK number: most
 * owners are natural persons without one, and a full index kept an entry for each of them (at 1M
 * units 120 MB of the database, and an index insert for every person and party loaded). Every query
 * that uses these indexes compares kvk_nummer with `=`, which both engines know implies NOT NULL.
 */
import { sql, type Kysely, type Migration } from 'kysely';

const INDEXES: { old: string; name: string; table: string }[] = [
  { old: 'persoon_run_id_kvk_nummer_idx', name: 'persoon_kvk_idx', table: 'persoon' },
  { old: 'party_kvk_idx', name: 'party_kvk_idx', table: 'party' },
];

export const kvkPartialIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    for (const ix of INDEXES) {
      await db.schema.dropIndex(ix.old).execute();
      await db.schema.createIndex(ix.name).on(ix.table).columns(['run_id', 'kvk_nummer']).where(sql.ref('kvk_nummer'), 'is not', null).execute();
    }
  },
  async down(db: Kysely<unknown>) {
    for (const ix of INDEXES) {
      await db.schema.dropIndex(ix.name).execute();
      await db.schema.createIndex(ix.old).on(ix.table).columns(['run_id', 'kvk_nummer']).execute();
    }
  },
};
