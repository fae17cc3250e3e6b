/** The name of each party mention, kept on its link: the applicant check reads names without joining every source. */
import type { Kysely, Migration } from 'kysely';

export const partyLinkName: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('party_link').addColumn('naam', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('party_link').dropColumn('naam').execute();
  },
};
