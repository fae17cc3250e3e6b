/**
 * A unit keeps its hoofdadres (`unit.hoofdadres`, the Nummeraanduiding its voorkomen names), and the
 * loader stops writing the rows that only repeated a VBO voorkomen's own columns: `bag_vbo_adres` now
 * holds its nevenadressen alone (its hoofdadres is `bag_vbo.hoofdadres`), `bag_vbo_gebruiksdoel` only
 * the gebruiksdoelen of a voorkomen that has more than one (a single one is `bag_vbo.gebruiksdoelen`
 * as it is). Nearly every VBO has one address and one gebruiksdoel: at 1M units that was 3M of the
 * BAG load's 5.5M rows, for no information.
 *
 * Rows of runs screened before stay as they were (their hoofdadres rows, `hoofdadres` = 1, and every
 * gebruiksdoel): only the screen that loads a run reads them, while it builds that run's units.
 */
import type { Kysely, Migration } from 'kysely';

export const unitHoofdadres: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('unit').addColumn('hoofdadres', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('unit').dropColumn('hoofdadres').execute();
  },
};
