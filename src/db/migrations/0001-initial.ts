/**
 * The first schema: runs, the loaded inputs (scoped by run), the BAG as loaded and as it stands on
 * the peildatum, rejects, and the register. Column types are the portable subset that SQLite and
 * PostgreSQL read the same way.
 */
import type { Kysely, Migration } from 'kysely';

type Type = 'text' | 'integer' | 'double precision';
type Col = [name: string, type: Type, notNull?: 'nn'];

const address: Col[] = [['vbo_id', 'text'], ['postcode', 'text'], ['huisnummer', 'integer'], ['huisletter', 'text'], ['toevoeging', 'text']];
const sourced: Col[] = [['line', 'integer', 'nn'], ['extra', 'text']];
const voorkomen: Col[] = [
  ['voorkomen', 'integer', 'nn'], ['begin', 'text', 'nn'], ['eind', 'text'], ['status', 'text'],
  ['file', 'text', 'nn'], ['position', 'integer', 'nn'],
];

const tables: Record<string, { cols: Col[]; pk?: string[] }> = {
  run: {
    cols: [
      ['run_id', 'text', 'nn'], ['pipeline', 'text', 'nn'], ['peildatum', 'text', 'nn'], ['input_dir', 'text', 'nn'],
      ['run_dir', 'text'], ['started_at', 'text', 'nn'], ['finished_at', 'text'], ['manifest_sha256', 'text'],
      ['prev_manifest_sha256', 'text'], ['register_sha256', 'text'], ['entries', 'integer', 'nn'],
    ],
    pk: ['run_id'],
  },
  persoon: {
    cols: [
      ['run_id', 'text', 'nn'], ['persoon_id', 'text', 'nn'], ['soort', 'text', 'nn'], ['naam', 'text', 'nn'],
      ['geboortedatum', 'text'], ['kvk_nummer', 'text'], ['rechtsvorm', 'text'], ['land', 'text', 'nn'],
      ['postcode', 'text'], ['huisnummer', 'integer'], ['huisletter', 'text'], ['toevoeging', 'text'], ['plaats', 'text'],
      ...sourced,
    ],
    pk: ['run_id', 'persoon_id'],
  },
  recht: {
    cols: [
      ['run_id', 'text', 'nn'], ['recht_id', 'text', 'nn'], ...address, ['kadastrale_aanduiding', 'text'],
      ['soort_recht', 'text', 'nn'], ['persoon_id', 'text', 'nn'], ['aandeel', 'text', 'nn'],
      ['ingangsdatum', 'text', 'nn'], ['ingangsdatum_d', 'integer', 'nn'], ['einddatum', 'text'], ['einddatum_d', 'integer'],
      ...sourced,
    ],
    pk: ['run_id', 'recht_id'],
  },
  transactie: {
    cols: [
      ['run_id', 'text', 'nn'], ['transactie_id', 'text', 'nn'], ...address, ['datum', 'text', 'nn'], ['datum_d', 'integer', 'nn'],
      ['koopsom', 'double precision'], ['koper_ids', 'text', 'nn'], ['verkoper_ids', 'text', 'nn'],
      ['meerdere_objecten', 'integer', 'nn'], ...sourced,
    ],
    pk: ['run_id', 'transactie_id'],
  },
  transactie_partij: {
    cols: [['run_id', 'text', 'nn'], ['transactie_id', 'text', 'nn'], ['rol', 'text', 'nn'], ['persoon_id', 'text', 'nn']],
    pk: ['run_id', 'transactie_id', 'rol', 'persoon_id'],
  },
  hypotheek: {
    cols: [
      ['run_id', 'text', 'nn'], ['hypotheek_id', 'text', 'nn'], ...address, ['datum', 'text', 'nn'], ['datum_d', 'integer', 'nn'],
      ['bedrag', 'double precision'], ['hypotheekgever_id', 'text'], ['hypotheekhouder_id', 'text', 'nn'],
      ['hypotheekhouder_type', 'text'], ['einddatum', 'text'], ['einddatum_d', 'integer'], ...sourced,
    ],
    pk: ['run_id', 'hypotheek_id'],
  },
  woz: {
    cols: [
      ['run_id', 'text', 'nn'], ...address, ['peildatum', 'text', 'nn'], ['peildatum_d', 'integer', 'nn'],
      ['waarde', 'double precision', 'nn'], ...sourced,
    ],
    pk: ['run_id', 'line'],
  },
  kvk: {
    cols: [
      ['run_id', 'text', 'nn'], ['kvk_nummer', 'text', 'nn'], ['vestigingsnummer', 'text'], ['naam', 'text', 'nn'],
      ['rechtsvorm', 'text'], ['datum_oprichting', 'text'], ['datum_oprichting_d', 'integer'], ['datum_opheffing', 'text'],
      ['datum_opheffing_d', 'integer'], ['sbi_codes', 'text', 'nn'], ['hoofd_sbi', 'text'], ...address, ['land', 'text', 'nn'],
      ...sourced,
    ],
    pk: ['run_id', 'line'],
  },
  aanvraag: {
    cols: [
      ['run_id', 'text', 'nn'], ['bron', 'text', 'nn'], ['aanvraag_id', 'text', 'nn'], ['soort', 'text', 'nn'],
      ['gevraagd_gebruik', 'text'], ['bedrag', 'double precision'], ...address, ['aanvrager_naam', 'text', 'nn'],
      ['aanvrager_kvk', 'text'], ['aanvrager_geboortedatum', 'text'], ['datum_aanvraag', 'text', 'nn'],
      ['datum_aanvraag_d', 'integer', 'nn'], ['status', 'text'], ...sourced,
    ],
    pk: ['run_id', 'bron', 'aanvraag_id'],
  },
  signaal: {
    cols: [
      ['run_id', 'text', 'nn'], ['signaal_id', 'text', 'nn'], ['naam', 'text', 'nn'], ['kvk_nummer', 'text'],
      ['geboortedatum', 'text'], ['bron', 'text', 'nn'], ['datum', 'text', 'nn'], ['datum_d', 'integer', 'nn'],
      ['omschrijving', 'text'], ...sourced,
    ],
    pk: ['run_id', 'signaal_id'],
  },
  bag_vbo: {
    cols: [
      ['run_id', 'text', 'nn'], ['vbo_id', 'text', 'nn'], ...voorkomen, ['gebruiksdoelen', 'text', 'nn'],
      ['oppervlakte', 'integer'], ['x', 'double precision'], ['y', 'double precision'], ['hoofdadres', 'text'],
      ['nevenadressen', 'text', 'nn'], ['panden', 'text', 'nn'],
    ],
    pk: ['run_id', 'vbo_id', 'voorkomen'],
  },
  bag_vbo_adres: {
    cols: [['run_id', 'text', 'nn'], ['vbo_id', 'text', 'nn'], ['voorkomen', 'integer', 'nn'], ['num_id', 'text', 'nn'], ['hoofdadres', 'integer', 'nn']],
    pk: ['run_id', 'vbo_id', 'voorkomen', 'num_id'],
  },
  bag_vbo_gebruiksdoel: {
    cols: [['run_id', 'text', 'nn'], ['vbo_id', 'text', 'nn'], ['voorkomen', 'integer', 'nn'], ['gebruiksdoel', 'text', 'nn']],
    pk: ['run_id', 'vbo_id', 'voorkomen', 'gebruiksdoel'],
  },
  bag_num: {
    cols: [
      ['run_id', 'text', 'nn'], ['num_id', 'text', 'nn'], ...voorkomen, ['postcode', 'text'], ['huisnummer', 'integer'],
      ['huisletter', 'text'], ['toevoeging', 'text'], ['opr_id', 'text'],
    ],
    pk: ['run_id', 'num_id', 'voorkomen'],
  },
  bag_opr: {
    cols: [['run_id', 'text', 'nn'], ['opr_id', 'text', 'nn'], ...voorkomen, ['naam', 'text'], ['wpl_id', 'text']],
    pk: ['run_id', 'opr_id', 'voorkomen'],
  },
  bag_wpl: {
    cols: [['run_id', 'text', 'nn'], ['wpl_id', 'text', 'nn'], ...voorkomen, ['naam', 'text']],
    pk: ['run_id', 'wpl_id', 'voorkomen'],
  },
  bag_pnd: {
    cols: [['run_id', 'text', 'nn'], ['pnd_id', 'text', 'nn'], ...voorkomen, ['bouwjaar', 'integer']],
    pk: ['run_id', 'pnd_id', 'voorkomen'],
  },
  bag_onderzoek: {
    cols: [
      ['run_id', 'text', 'nn'], ['object_id', 'text', 'nn'], ['kenmerk', 'text', 'nn'], ['in_onderzoek', 'integer', 'nn'],
      ['begin', 'text', 'nn'], ['eind', 'text'],
    ],
  },
  unit: {
    cols: [
      ['run_id', 'text', 'nn'], ['vbo_id', 'text', 'nn'], ['voorkomen', 'integer', 'nn'], ['status', 'text'],
      ['gebruiksdoelen', 'text', 'nn'], ['oppervlakte', 'integer'], ['x', 'double precision'], ['y', 'double precision'],
    ],
    pk: ['run_id', 'vbo_id'],
  },
  unit_gebruiksdoel: {
    cols: [['run_id', 'text', 'nn'], ['vbo_id', 'text', 'nn'], ['gebruiksdoel', 'text', 'nn']],
    pk: ['run_id', 'vbo_id', 'gebruiksdoel'],
  },
  address: {
    cols: [
      ['run_id', 'text', 'nn'], ['num_id', 'text', 'nn'], ['vbo_id', 'text', 'nn'], ['hoofdadres', 'integer', 'nn'],
      ['postcode', 'text'], ['huisnummer', 'integer'], ['huisletter', 'text'], ['toevoeging', 'text'],
    ],
    pk: ['run_id', 'num_id', 'vbo_id'],
  },
  party: {
    cols: [
      ['run_id', 'text', 'nn'], ['party_id', 'text', 'nn'], ['kind', 'text', 'nn'], ['naam', 'text', 'nn'],
      ['kvk_nummer', 'text'], ['geboortedatum', 'text'], ['mentions', 'integer', 'nn'],
    ],
    pk: ['run_id', 'party_id'],
  },
  party_link: {
    cols: [
      ['run_id', 'text', 'nn'], ['source', 'text', 'nn'], ['mention_id', 'text', 'nn'], ['party_id', 'text', 'nn'],
      ['naam_norm', 'text', 'nn'], ['reason', 'text', 'nn'],
    ],
    pk: ['run_id', 'source', 'mention_id'],
  },
  rule_hit: {
    cols: [['run_id', 'text', 'nn'], ['rule_id', 'text', 'nn'], ['vbo_id', 'text', 'nn']],
    pk: ['run_id', 'rule_id', 'vbo_id'],
  },
  reject: {
    cols: [
      ['run_id', 'text', 'nn'], ['file', 'text', 'nn'], ['position', 'integer', 'nn'], ['column_name', 'text'],
      ['value', 'text'], ['reason', 'text', 'nn'], ['message', 'text', 'nn'],
    ],
  },
  register_entry: {
    cols: [['run_id', 'text', 'nn'], ['vbo_id', 'text', 'nn'], ['score', 'integer', 'nn'], ['band', 'text', 'nn'], ['entry_json', 'text', 'nn']],
    pk: ['run_id', 'vbo_id'],
  },
  register_hit: {
    cols: [
      ['run_id', 'text', 'nn'], ['vbo_id', 'text', 'nn'], ['rule_id', 'text', 'nn'], ['rule_version', 'integer', 'nn'],
      ['points', 'integer', 'nn'], ['evidence_key', 'text', 'nn'],
    ],
    pk: ['run_id', 'vbo_id', 'rule_id', 'evidence_key'],
  },
};

/** Indexes the loaders and rules need; built once per table, used by every run. */
const indexes: [table: string, cols: string[]][] = [
  ['recht', ['run_id', 'vbo_id']],
  ['recht', ['run_id', 'persoon_id']],
  ['transactie', ['run_id', 'vbo_id', 'datum_d']],
  ['transactie_partij', ['run_id', 'persoon_id']],
  ['hypotheek', ['run_id', 'vbo_id', 'datum_d']],
  ['hypotheek', ['run_id', 'hypotheekhouder_id']],
  ['woz', ['run_id', 'vbo_id']],
  ['kvk', ['run_id', 'vbo_id']],
  ['kvk', ['run_id', 'kvk_nummer']],
  ['aanvraag', ['run_id', 'vbo_id']],
  ['bag_num', ['run_id', 'postcode', 'huisnummer']],
  ['address', ['run_id', 'postcode', 'huisnummer']],
  ['address', ['run_id', 'vbo_id']],
  ['bag_onderzoek', ['run_id', 'object_id']],
  ['reject', ['run_id', 'file', 'position']],
  ['party_link', ['run_id', 'party_id']],
  ['persoon', ['run_id', 'kvk_nummer']],
  ['aanvraag', ['run_id', 'datum_aanvraag_d']],
  ['register_hit', ['run_id', 'rule_id']],
];

export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    for (const [name, def] of Object.entries(tables)) {
      let t = db.schema.createTable(name);
      for (const [col, type, nn] of def.cols) t = t.addColumn(col, type, (c) => (nn ? c.notNull() : c));
      if (def.pk) t = t.addPrimaryKeyConstraint(`${name}_pk`, def.pk as never);
      await t.execute();
    }
    for (const [table, cols] of indexes) {
      await db.schema.createIndex(`${table}_${cols.join('_')}_idx`).on(table).columns(cols).execute();
    }
  },
  async down(db: Kysely<unknown>) {
    for (const name of Object.keys(tables).reverse()) await db.schema.dropTable(name).execute();
  },
};
