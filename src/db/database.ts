/**
 * The one kysely `Database` type: every table the screen writes, as the queries see it. Dates are
 * stored twice: `YYYY-MM-DD` text for people and a day number (`…_d`, days since 1970-01-01) so
 * window arithmetic is plain integer subtraction on every engine.
 */
import type { Generated, Kysely } from 'kysely';

/** The tables people see (run, rejects, register, review) name a run by its id. */
interface RunScoped { run_id: string }
/**
 * A run's working tables (inputs, BAG, units, parties, rule hits: millions of rows) name it by
 * `run.run_key`, a small integer: the text id in every row and index entry was a third of the
 * database at 1M units (migration 0011).
 */
interface RunKeyed { run_key: number }

/** The working tables: every table whose rows belong to one run and name it by its key. */
export const RUN_KEY_TABLES = [
  'persoon', 'recht', 'transactie', 'transactie_partij', 'hypotheek', 'woz', 'kvk', 'aanvraag', 'signaal',
  'bag_file', 'bag_vbo', 'bag_vbo_adres', 'bag_vbo_gebruiksdoel', 'bag_num', 'bag_opr', 'bag_wpl', 'bag_pnd', 'bag_onderzoek',
  'unit', 'unit_gebruiksdoel', 'address', 'party', 'party_link', 'party_token', 'rule_hit',
] as const satisfies readonly (keyof Database)[];
interface Sourced { line: number; extra: string | null }
interface AddressColumns {
  vbo_id: string | null;
  postcode: string | null;
  huisnummer: number | null;
  huisletter: string | null;
  toevoeging: string | null;
}

export interface RunTable {
  run_id: string;
  /** Assigned by the database when the run is inserted (see RunKeyed). */
  run_key: Generated<number>;
  pipeline: string;
  peildatum: string;
  input_dir: string;
  run_dir: string | null;
  started_at: string;
  finished_at: string | null;
  manifest_sha256: string | null;
  prev_manifest_sha256: string | null;
  register_sha256: string | null;
  entries: number;
}

export interface PersoonTable extends RunKeyed, Sourced {
  persoon_id: string;
  soort: string;
  naam: string;
  geboortedatum: string | null;
  kvk_nummer: string | null;
  rechtsvorm: string | null;
  land: string;
  postcode: string | null;
  huisnummer: number | null;
  huisletter: string | null;
  toevoeging: string | null;
  plaats: string | null;
}

export interface RechtTable extends RunKeyed, Sourced, AddressColumns {
  recht_id: string;
  kadastrale_aanduiding: string | null;
  soort_recht: string;
  persoon_id: string;
  aandeel: string;
  ingangsdatum: string;
  ingangsdatum_d: number;
  einddatum: string | null;
  einddatum_d: number | null;
}

export interface TransactieTable extends RunKeyed, Sourced, AddressColumns {
  transactie_id: string;
  datum: string;
  datum_d: number;
  koopsom: number | null;
  koper_ids: string;
  verkoper_ids: string;
  meerdere_objecten: number;
}

export interface TransactiePartijTable extends RunKeyed {
  transactie_id: string;
  rol: 'koper' | 'verkoper';
  persoon_id: string;
}

export interface HypotheekTable extends RunKeyed, Sourced, AddressColumns {
  hypotheek_id: string;
  datum: string;
  datum_d: number;
  bedrag: number | null;
  hypotheekgever_id: string | null;
  hypotheekhouder_id: string;
  hypotheekhouder_type: string | null;
  einddatum: string | null;
  einddatum_d: number | null;
}

export interface WozTable extends RunKeyed, Sourced, AddressColumns {
  peildatum: string;
  peildatum_d: number;
  waarde: number;
}

export interface KvkTable extends RunKeyed, Sourced, AddressColumns {
  kvk_nummer: string;
  vestigingsnummer: string | null;
  naam: string;
  rechtsvorm: string | null;
  datum_oprichting: string | null;
  datum_oprichting_d: number | null;
  datum_opheffing: string | null;
  datum_opheffing_d: number | null;
  sbi_codes: string;
  hoofd_sbi: string | null;
  land: string;
}

export interface AanvraagTable extends RunKeyed, Sourced, AddressColumns {
  bron: 'vergunningen' | 'subsidies';
  aanvraag_id: string;
  soort: string;
  gevraagd_gebruik: string | null;
  bedrag: number | null;
  aanvrager_naam: string;
  aanvrager_kvk: string | null;
  aanvrager_geboortedatum: string | null;
  datum_aanvraag: string;
  datum_aanvraag_d: number;
  status: string | null;
}

export interface SignaalTable extends RunKeyed, Sourced {
  signaal_id: string;
  naam: string;
  kvk_nummer: string | null;
  geboortedatum: string | null;
  bron: string;
  datum: string;
  datum_d: number;
  omschrijving: string | null;
}

interface BagVoorkomen extends RunKeyed {
  voorkomen: number;
  begin: string;
  eind: string | null;
  status: string | null;
  /** The file it was read from (`bag_file`) and its position there. */
  file_no: number;
  position: number;
}

/** The files a run's BAG voorkomens were read from, by number (`bag/…xml`, or `zip!entry`). */
export interface BagFileTable extends RunKeyed { file_no: number; file: string }

export interface BagVboTable extends BagVoorkomen {
  vbo_id: string;
  gebruiksdoelen: string;
  oppervlakte: number | null;
  x: number | null;
  y: number | null;
  hoofdadres: string | null;
  nevenadressen: string;
  panden: string;
}

export interface BagNumTable extends BagVoorkomen {
  num_id: string;
  postcode: string | null;
  huisnummer: number | null;
  huisletter: string | null;
  toevoeging: string | null;
  opr_id: string | null;
}

export interface BagOprTable extends BagVoorkomen { opr_id: string; naam: string | null; wpl_id: string | null }
export interface BagWplTable extends BagVoorkomen { wpl_id: string; naam: string | null }
export interface BagPndTable extends BagVoorkomen { pnd_id: string; bouwjaar: number | null }

export interface BagOnderzoekTable extends RunKeyed {
  object_id: string;
  kenmerk: string;
  in_onderzoek: number;
  begin: string;
  eind: string | null;
}

/** A unit as it stands on the run's peildatum (derived after loading). */
export interface UnitTable extends RunKeyed {
  vbo_id: string;
  /** The voorkomen valid on the peildatum. */
  voorkomen: number;
  status: string | null;
  gebruiksdoelen: string;
  oppervlakte: number | null;
  x: number | null;
  y: number | null;
  /** The hoofdadres (num_id) its voorkomen names; null in runs screened before migration 0015. */
  hoofdadres: string | null;
}

/**
 * A VBO voorkomen's nevenadressen, a row each (`hoofdadres` 0); its hoofdadres is `bag_vbo.hoofdadres`.
 * (Runs screened before migration 0015 also have a row for the hoofdadres, `hoofdadres` 1.)
 */
export interface BagVboAdresTable extends RunKeyed { vbo_id: string; voorkomen: number; num_id: string; hoofdadres: number }
/**
 * The gebruiksdoelen of a VBO voorkomen that has more than one (or one with a "|" in it, which
 * `bag_vbo.gebruiksdoelen` cannot hold apart), a row each; a single one is `bag_vbo.gebruiksdoelen`.
 * (Runs screened before migration 0015 have rows for every voorkomen.)
 */
export interface BagVboGebruiksdoelTable extends RunKeyed { vbo_id: string; voorkomen: number; gebruiksdoel: string }

export interface UnitGebruiksdoelTable extends RunKeyed { vbo_id: string; gebruiksdoel: string }

/** Every address (hoofd- and nevenadres) valid on the peildatum, with the unit it belongs to. */
export interface AddressTable extends RunKeyed {
  num_id: string;
  vbo_id: string;
  hoofdadres: number;
  postcode: string | null;
  huisnummer: number | null;
  huisletter: string | null;
  toevoeging: string | null;
}

/** A party: one or more mentions (persons, KvK rows, applicants, signals) linked as the same. */
export interface PartyTable extends RunKeyed {
  party_id: string;
  kind: 'person' | 'organisation' | 'unknown';
  naam: string;
  kvk_nummer: string | null;
  geboortedatum: string | null;
  mentions: number;
  /** The party's number in its run (the applicant check's token index names parties by it); sorts as party_id does. */
  party_no: number;
}

/** Why a mention belongs to its party. `source` is the file, `mention_id` the record id there. */
export interface PartyLinkTable extends RunKeyed {
  source: string;
  mention_id: string;
  party_id: string;
  naam_norm: string;
  reason: string;
  /** The name as the source gives it. */
  naam: string | null;
}

/** Units a rule fired on in this run (read by second-phase rules). */
export interface RuleHitTable extends RunKeyed { rule_id: string; vbo_id: string }

export interface RejectTable extends RunScoped {
  file: string;
  position: number;
  column_name: string | null;
  value: string | null;
  reason: string;
  message: string;
}

export interface RegisterEntryTable extends RunScoped {
  vbo_id: string;
  score: number;
  band: string;
  entry_json: string;
}

export interface RegisterHitTable extends RunScoped {
  vbo_id: string;
  rule_id: string;
  rule_version: number;
  points: number;
  evidence_key: string;
}

export interface ScheduleClaimTable {
  pipeline: string;
  occurrence: string;
  claimed_at: string;
  outcome: string | null;
  run_id: string | null;
}

export interface PartyTokenTable { run_key: number; token: string; party_no: number }

export interface CheckLogTable {
  check_id: string;
  at: string;
  who: string;
  run_id: string;
  query: string;
  reden: string | null;
  natural_person: number;
  matches: number;
  rejected: number;
}

export const REVIEW_STATUSES = ['nieuw', 'in_onderzoek', 'doorverwezen', 'afgedaan_geen_risico', 'vals_positief', 'gewijzigd', 'vervallen'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface ReviewStateTable {
  pipeline: string;
  vbo_id: string;
  status: ReviewStatus;
  assignee: string | null;
  note: string | null;
  /** A closure of a `hoog` entry waiting for a second reviewer (four-eyes). */
  pending_status: ReviewStatus | null;
  pending_by: string | null;
  /** The hits (rule id + evidence ids) the state was judged on. */
  hits_key: string;
  score: number;
  band: string | null;
  run_id: string;
  version: number;
  updated_at: string;
}

export interface ReviewAuditTable {
  audit_id: string;
  pipeline: string;
  vbo_id: string;
  at: string;
  who: string;
  kind: string;
  old_status: string | null;
  new_status: string | null;
  old_assignee: string | null;
  new_assignee: string | null;
  note: string | null;
  run_id: string | null;
}

export interface AppUserTable { name: string; role: 'analist' | 'coordinator' | 'auditor'; password_hash: string; created_at: string }
export interface AppSessionTable { token_hash: string; user_name: string; expires_at: string }

export interface PurgeLogTable {
  purge_id: string;
  at: string;
  who: string;
  before: string;
  runs_removed: number;
  checks_removed: number;
  /** JSON: per pipeline, the manifest sha256 of the last run removed (where the hash chain now starts). */
  chain_heads: string;
}

export interface Database {
  run: RunTable;
  persoon: PersoonTable;
  recht: RechtTable;
  transactie: TransactieTable;
  transactie_partij: TransactiePartijTable;
  hypotheek: HypotheekTable;
  woz: WozTable;
  kvk: KvkTable;
  aanvraag: AanvraagTable;
  signaal: SignaalTable;
  bag_file: BagFileTable;
  bag_vbo: BagVboTable;
  bag_vbo_adres: BagVboAdresTable;
  bag_vbo_gebruiksdoel: BagVboGebruiksdoelTable;
  bag_num: BagNumTable;
  bag_opr: BagOprTable;
  bag_wpl: BagWplTable;
  bag_pnd: BagPndTable;
  bag_onderzoek: BagOnderzoekTable;
  unit: UnitTable;
  unit_gebruiksdoel: UnitGebruiksdoelTable;
  address: AddressTable;
  party: PartyTable;
  party_link: PartyLinkTable;
  rule_hit: RuleHitTable;
  reject: RejectTable;
  schedule_claim: ScheduleClaimTable;
  party_token: PartyTokenTable;
  check_log: CheckLogTable;
  review_state: ReviewStateTable;
  review_audit: ReviewAuditTable;
  app_user: AppUserTable;
  app_session: AppSessionTable;
  purge_log: PurgeLogTable;
  register_entry: RegisterEntryTable;
  register_hit: RegisterHitTable;
}

export type Db = Kysely<Database>;
