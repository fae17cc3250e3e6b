/**
 * Drops the index of `bag_num` by postcode and house number. No query reads `bag_num` by postcode:
 * addresses are looked up in `address` (the units' addresses on the peildatum, with its own index by
 * postcode), and `bag_num` only by its key. Yet every Nummeraanduiding loaded paid for an entry, and as
 * the table grows those entries land all over the index (postcodes do not follow the ids): loading the
 * 4M bench's BAG took 93.2 s with it and 71.7-79.3 s without, the loading thread's CPU 55.0 against
 * 40.5-43.9 s.
 */
import type { Kysely, Migration } from 'kysely';

const NAME = 'bag_num_run_key_postcode_huisnummer_idx';

export const dropBagNumPostcodeIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex(NAME).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.createIndex(NAME).on('bag_num').columns(['run_key', 'postcode', 'huisnummer']).execute();
  },
};
