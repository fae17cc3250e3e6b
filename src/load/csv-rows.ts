/**
 * A CSV source's records as the rows of its table, in batches: validation happens in the reader
 * (zod); here a record becomes a row (dates also as day numbers, lists joined), with the rows of child
 * tables it implies. Pure of the database, so it runs on a reader thread as well as on this one: the
 * loading thread then only inserts.
 */
import { dayNumber } from '../util/dates.ts';
import { csvSource, type CsvSource, type CsvSourceKey } from '../sources/csv/csv-sources.ts';
import { readCsvSourceChunks, type CsvHeaderInfo } from '../sources/csv/read-csv-source.ts';
import type { Reject } from '../sources/reject.ts';
import type { VboIds } from './vbo-ids.ts';
import { packedTransfer, packRows, unpackRows, type PackedRows } from './packed-rows.ts';
import type {
  Hypotheek, Kvk, Persoon, Recht, Signaal, Subsidie, Transactie, Vergunning, Woz,
} from '../../schemas/inputs.ts';

const d = (iso: string | null) => (iso === null ? null : dayNumber(iso));
const addr = ['vbo_id', 'postcode', 'huisnummer', 'huisletter', 'toevoeging'] as const;
type AddressRecord = { vbo_id: string | null; postcode: string | null; huisnummer: number | null; huisletter: string | null; toevoeging: string | null };
const addrValues = (r: AddressRecord) => [r.vbo_id, r.postcode, r.huisnummer, r.huisletter, r.toevoeging];

export interface TableMapping {
  table: string;
  /** The table's columns: run_key, then `values`' columns, then line and extra. */
  columns: readonly string[];
  /** The child table a record also writes to (transaction parties), with its columns. */
  child?: { table: string; columns: readonly string[] };
  /**
   * Where a row holds the source's id (for duplicate-id rejects), or null where the source has none:
   * read from the row when a duplicate is met, so batches need not carry every id a second time.
   */
  idAt: number | null;
}

interface Mapping<T> {
  table: string;
  columns: readonly string[];
  values(r: T): unknown[];
  child?: { table: string; columns: readonly string[]; rows(r: T): unknown[][] };
}

const mapping = <T>(m: Mapping<T>) => m as unknown as Mapping<unknown>;

const aanvraagColumns = ['bron', 'aanvraag_id', 'soort', 'gevraagd_gebruik', 'bedrag', ...addr, 'aanvrager_naam', 'aanvrager_kvk', 'aanvrager_geboortedatum', 'datum_aanvraag', 'datum_aanvraag_d', 'status'];

const MAPPINGS: Record<CsvSourceKey, Mapping<unknown>> = {
  personen: mapping<Persoon>({
    table: 'persoon',
    columns: ['persoon_id', 'soort', 'naam', 'geboortedatum', 'kvk_nummer', 'rechtsvorm', 'land', 'postcode', 'huisnummer', 'huisletter', 'toevoeging', 'plaats'],
    values: (r) => [r.persoon_id, r.soort, r.naam, r.geboortedatum, r.kvk_nummer, r.rechtsvorm, r.land, r.postcode, r.huisnummer, r.huisletter, r.toevoeging, r.plaats],
  }),
  rechten: mapping<Recht>({
    table: 'recht',
    columns: ['recht_id', ...addr, 'kadastrale_aanduiding', 'soort_recht', 'persoon_id', 'aandeel', 'ingangsdatum', 'ingangsdatum_d', 'einddatum', 'einddatum_d'],
    values: (r) => [r.recht_id, ...addrValues(r), r.kadastrale_aanduiding, r.soort_recht, r.persoon_id, r.aandeel, r.ingangsdatum, d(r.ingangsdatum), r.einddatum, d(r.einddatum)],
  }),
  transacties: mapping<Transactie>({
    table: 'transactie',
    columns: ['transactie_id', ...addr, 'datum', 'datum_d', 'koopsom', 'koper_ids', 'verkoper_ids', 'meerdere_objecten'],
    values: (r) => [r.transactie_id, ...addrValues(r), r.datum, d(r.datum), r.koopsom, r.koper_ids.join('|'), r.verkoper_ids.join('|'), r.meerdere_objecten === 'ja' ? 1 : 0],
    child: {
      table: 'transactie_partij',
      columns: ['run_key', 'transactie_id', 'rol', 'persoon_id'],
      rows: (r) => [
        ...[...new Set(r.koper_ids)].map((p) => [r.transactie_id, 'koper', p]),
        ...[...new Set(r.verkoper_ids)].map((p) => [r.transactie_id, 'verkoper', p]),
      ],
    },
  }),
  hypotheken: mapping<Hypotheek>({
    table: 'hypotheek',
    columns: ['hypotheek_id', ...addr, 'datum', 'datum_d', 'bedrag', 'hypotheekgever_id', 'hypotheekhouder_id', 'hypotheekhouder_type', 'einddatum', 'einddatum_d'],
    values: (r) => [r.hypotheek_id, ...addrValues(r), r.datum, d(r.datum), r.bedrag, r.hypotheekgever_id, r.hypotheekhouder_id, r.hypotheekhouder_type, r.einddatum, d(r.einddatum)],
  }),
  woz: mapping<Woz>({
    table: 'woz',
    columns: [...addr, 'peildatum', 'peildatum_d', 'waarde'],
    values: (r) => [...addrValues(r), r.peildatum, d(r.peildatum), r.waarde],
  }),
  kvk: mapping<Kvk>({
    table: 'kvk',
    columns: ['kvk_nummer', 'vestigingsnummer', 'naam', 'rechtsvorm', 'datum_oprichting', 'datum_oprichting_d', 'datum_opheffing', 'datum_opheffing_d', 'sbi_codes', 'hoofd_sbi', ...addr, 'land'],
    values: (r) => [r.kvk_nummer, r.vestigingsnummer, r.naam, r.rechtsvorm, r.datum_oprichting, d(r.datum_oprichting), r.datum_opheffing, d(r.datum_opheffing), r.sbi_codes.join('|'), r.sbi_codes[0] ?? null, ...addrValues(r), r.land],
  }),
  vergunningen: mapping<Vergunning>({
    table: 'aanvraag',
    columns: aanvraagColumns,
    values: (r) => ['vergunningen', r.aanvraag_id, r.soort, r.gevraagd_gebruik, null, ...addrValues(r), r.aanvrager_naam, r.aanvrager_kvk, r.aanvrager_geboortedatum, r.datum_aanvraag, d(r.datum_aanvraag), r.status],
  }),
  subsidies: mapping<Subsidie>({
    table: 'aanvraag',
    columns: aanvraagColumns,
    values: (r) => ['subsidies', r.aanvraag_id, r.soort, null, r.bedrag, ...addrValues(r), r.aanvrager_naam, r.aanvrager_kvk, r.aanvrager_geboortedatum, r.datum_aanvraag, d(r.datum_aanvraag), r.status],
  }),
  signalen: mapping<Signaal>({
    table: 'signaal',
    columns: ['signaal_id', 'naam', 'kvk_nummer', 'geboortedatum', 'bron', 'datum', 'datum_d', 'omschrijving'],
    values: (r) => [r.signaal_id, r.naam, r.kvk_nummer, r.geboortedatum, r.bron, r.datum, d(r.datum), r.omschrijving],
  }),
};

/** Where a source's rows go: its table and columns (and its child table's), and where its id is. */
export function tableOf(key: CsvSourceKey): TableMapping {
  const m = MAPPINGS[key];
  const columns = ['run_key', ...m.columns, 'line', 'extra'];
  const idColumn = csvSource(key).idColumn;
  return { table: m.table, columns, child: m.child && { table: m.child.table, columns: m.child.columns }, idAt: idColumn === null ? null : columns.indexOf(idColumn) };
}

/** Position of the line number in a row of {@link tableOf}'s columns. */
export const lineOf = (row: readonly unknown[]) => row[row.length - 2] as number;

export interface CsvRowBatch {
  /** Rows in file order, in the columns of {@link tableOf}. */
  rows: unknown[][];
  /** Child-table rows of each row (loaded only with their parent), or null when the source has no child table. */
  children: unknown[][][] | null;
  /** Records refused by the reader (with their positions), in file order. */
  rejects: Reject[];
  /**
   * The vbo_ids of this batch's rows that the BAG does not have (each once; empty when the reader was
   * given no BAG ids): their rows are rejected once the loads are done (`resolveUnits`).
   */
  unknownVboIds: string[];
}

/** A {@link CsvRowBatch} packed for another thread (see `packed-rows.ts`); rejects stay objects (rare). */
export interface PackedCsvRowBatch {
  rows: PackedRows;
  /** All child rows, and how many of them each row has. */
  children: { rows: PackedRows; counts: Uint32Array } | null;
  rejects: Reject[];
  unknownVboIds: string[];
}

export function packRowBatch(b: CsvRowBatch): PackedCsvRowBatch {
  return {
    rows: packRows(b.rows),
    children: b.children && { rows: packRows(b.children.flat()), counts: Uint32Array.from(b.children, (c) => c.length) },
    rejects: b.rejects,
    unknownVboIds: b.unknownVboIds,
  };
}

/** The buffers of a packed batch, handed over instead of copied. */
export function packedBatchTransfer(p: PackedCsvRowBatch): ArrayBuffer[] {
  const out = packedTransfer(p.rows);
  if (p.children) out.push(...packedTransfer(p.children.rows), p.children.counts.buffer as ArrayBuffer);
  return out;
}

export function unpackRowBatch(p: PackedCsvRowBatch): CsvRowBatch {
  let children: unknown[][][] | null = null;
  if (p.children) {
    const all = unpackRows(p.children.rows);
    const counts = p.children.counts;
    children = new Array(counts.length);
    for (let i = 0, at = 0; i < counts.length; at += counts[i]!, i++) children[i] = all.slice(at, at + counts[i]!);
  }
  return { rows: unpackRows(p.rows), children, rejects: p.rejects, unknownVboIds: p.unknownVboIds };
}

/** Batches of at most this many records: a batch is the unit of posting and of inserting. */
const BATCH = 2000;

/**
 * A table row: the run's key, the record's values, its line and extra columns. Copied by index: an
 * array literal with a spread goes through the iterator protocol (reading, validating and mapping a
 * rechten.csv row took 4.67 µs of CPU with the spread, 3.94 without).
 */
function rowOf(runKey: number, values: readonly unknown[], line: number, extra: string | null): unknown[] {
  const n = values.length;
  const row = new Array<unknown>(n + 3);
  row[0] = runKey;
  for (let i = 0; i < n; i++) row[i + 1] = values[i];
  row[n + 1] = line;
  row[n + 2] = extra;
  return row;
}

/**
 * Reads a CSV source and yields its records as rows, in batches, in file order. Given the BAG's ids,
 * each batch also names the vbo_ids its rows give that the BAG lacks.
 */
export async function* csvRowBatches(path: string, file: string, source: CsvSource, runKey: number, onHeader?: (info: CsvHeaderInfo) => void, bagIds?: VboIds): AsyncGenerator<CsvRowBatch> {
  const m = MAPPINGS[source.key];
  const empty = (): CsvRowBatch => ({ rows: [], children: m.child ? [] : null, rejects: [], unknownVboIds: [] });
  let batch = empty();
  // Only the tables with a vbo_id column are looked up (not persoon or signaal).
  const lookUp = bagIds && m.columns.includes('vbo_id') ? bagIds : null;
  let lastUnknown: string | null = null;
  let count = 0;
  for await (const items of readCsvSourceChunks(path, file, source, onHeader)) {
    for (const item of items) {
      if (!item.ok) batch.rejects.push(item.reject);
      else {
        const rec = item.value.record as Record<string, unknown>;
        batch.rows.push(rowOf(runKey, m.values(rec), item.value.line, item.value.extra));
        batch.children?.push(m.child!.rows(rec).map((r) => [runKey, ...r]));
        const vboId = rec.vbo_id as string | null;
        // An unknown id named by several rows in a row is reported once here; the loader keeps a set.
        if (lookUp && vboId !== null && vboId !== lastUnknown && !lookUp.has(vboId)) {
          batch.unknownVboIds.push(vboId);
          lastUnknown = vboId;
        }
      }
      if (++count >= BATCH) {
        yield batch;
        batch = empty();
        lastUnknown = null;
        count = 0;
      }
    }
  }
  if (count) yield batch;
}
