/**
 * Drops the index of `address` by postcode and house number, as 0012 dropped `bag_num`'s. Its one
 * reader was the lookup of the CSV rows that name their unit by address instead of vbo_id
 * (`resolveUnits`), which now collects the addresses those rows name and reads the run's addresses
 * once against them. Every address built paid for an entry, and its entries land all over the index
 * (postcodes do not follow the ids): building the addresses of the 1M bench 3.9-4.2 s with it and
 * 3.1-3.4 s without, of the 10M bench 44.2 s and 34.2 s (thirty-sixth session).
 */
import type { Kysely, Migration } from 'kysely';

const NAME = 'address_run_key_postcode_huisnummer_idx';

export const dropAddressPostcodeIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex(NAME).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.createIndex(NAME).on('address').columns(['run_key', 'postcode', 'huisnummer']).execute();
  },
};
