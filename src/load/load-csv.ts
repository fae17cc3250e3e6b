/**
 * Loads the CSV files of the input folder into their tables. Validation happens in the reader (zod);
 * here a record becomes a row, and a second row with the same id is a `duplicate-id` reject (the
 * first occurrence wins, decided by the database's primary key).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Writer } from '../db/engine.ts';
import { dayNumber } from '../util/dates.ts';
import { InputError } from '../util/input-error.ts';
import { csvSources, type CsvSource, type CsvSourceKey } from '../sources/csv/csv-sources.ts';
import { readCsvSource } from '../sources/csv/read-csv-source.ts';
import { readCsvInWorker } from '../sources/csv/read-csv-in-worker.ts';
import { workerCount } from '../util/worker-count.ts';
import type {
  Hypotheek, Kvk, Persoon, Recht, Signaal, Subsidie, Transactie, Vergunning, Woz,
} from '../../schemas/inputs.ts';
import type { InputStats } from './input-stats.ts';
import type { RejectSink } from './reject-sink.ts';
import { progress } from '../util/progress.ts';

const d = (iso: string | null) => (iso === null ? null : dayNumber(iso));
const addr = ['vbo_id', 'postcode', 'huisnummer', 'huisletter', 'toevoeging'] as const;
type AddressRecord = { vbo_id: string | null; postcode: string | null; huisnummer: number | null; huisletter: string | null; toevoeging: string | null };
const addrValues = (r: AddressRecord) => [r.vbo_id, r.postcode, r.huisnummer, r.huisletter, r.toevoeging];

interface TableMapping {
  table: string;
  columns: readonly string[];
  /** The row values after run_id, in `columns` order (without run_id, line, extra). */
  values(record: never): unknown[];
  /** Extra rows in child tables (transaction parties). */
  children?(record: never): { table: string; columns: readonly string[]; rows: unknown[][] };
}

function mapping<T>(m: { table: string; columns: readonly string[]; values(r: T): unknown[]; children?(r: T): { table: string; columns: readonly string[]; rows: unknown[][] } }): TableMapping {
  return m as unknown as TableMapping;
}

const MAPPINGS: Record<CsvSourceKey, TableMapping> = {
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
    children: (r) => ({
      table: 'transactie_partij',
      columns: ['run_id', 'transactie_id', 'rol', 'persoon_id'],
      rows: [
        ...[...new Set(r.koper_ids)].map((p) => [r.transactie_id, 'koper', p]),
        ...[...new Set(r.verkoper_ids)].map((p) => [r.transactie_id, 'verkoper', p]),
      ],
    }),
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
    columns: ['bron', 'aanvraag_id', 'soort', 'gevraagd_gebruik', 'bedrag', ...addr, 'aanvrager_naam', 'aanvrager_kvk', 'aanvrager_geboortedatum', 'datum_aanvraag', 'datum_aanvraag_d', 'status'],
    values: (r) => ['vergunningen', r.aanvraag_id, r.soort, r.gevraagd_gebruik, null, ...addrValues(r), r.aanvrager_naam, r.aanvrager_kvk, r.aanvrager_geboortedatum, r.datum_aanvraag, d(r.datum_aanvraag), r.status],
  }),
  subsidies: mapping<Subsidie>({
    table: 'aanvraag',
    columns: ['bron', 'aanvraag_id', 'soort', 'gevraagd_gebruik', 'bedrag', ...addr, 'aanvrager_naam', 'aanvrager_kvk', 'aanvrager_geboortedatum', 'datum_aanvraag', 'datum_aanvraag_d', 'status'],
    values: (r) => ['subsidies', r.aanvraag_id, r.soort, null, r.bedrag, ...addrValues(r), r.aanvrager_naam, r.aanvrager_kvk, r.aanvrager_geboortedatum, r.datum_aanvraag, d(r.datum_aanvraag), r.status],
  }),
  signalen: mapping<Signaal>({
    table: 'signaal',
    columns: ['signaal_id', 'naam', 'kvk_nummer', 'geboortedatum', 'bron', 'datum', 'datum_d', 'omschrijving'],
    values: (r) => [r.signaal_id, r.naam, r.kvk_nummer, r.geboortedatum, r.bron, r.datum, d(r.datum), r.omschrijving],
  }),
};

/** The sources present in an input folder; a missing required one is an {@link InputError}. */
export function presentSources(inputDir: string): CsvSource[] {
  const present: CsvSource[] = [];
  for (const s of csvSources) {
    if (existsSync(join(inputDir, s.file))) present.push(s);
    else if (s.required) throw new InputError(`${s.file} is missing from the input folder ${inputDir}; it is required`);
  }
  return present;
}

const BATCH = 2000;
const WORKER_MIN_BYTES = 4 * 1024 * 1024;

export async function loadCsv(engine: Writer, runId: string, inputDir: string, source: CsvSource, stats: InputStats, rejects: RejectSink): Promise<void> {
  const m = MAPPINGS[source.key];
  const columns = ['run_id', ...m.columns, 'line', 'extra'];
  const fileStats = stats.file(source.file);
  let rows: unknown[][] = [];
  let records: { line: number; record: never; id: string | null }[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const inserted = await engine.insertRows(m.table, columns, rows);
    const children: Map<string, { columns: readonly string[]; rows: unknown[][] }> = new Map();
    for (let i = 0; i < inserted.length; i++) {
      const r = records[i]!;
      if (inserted[i]) {
        fileStats.loaded++;
        if (m.children) {
          const c = m.children(r.record);
          const entry = children.get(c.table) ?? { columns: c.columns, rows: [] };
          for (const row of c.rows) entry.rows.push([runId, ...row]);
          children.set(c.table, entry);
        }
      } else {
        await rejects.add({
          file: source.file, position: r.line, column: source.idColumn, value: r.id, reason: 'duplicate-id',
          message: `${source.file} line ${r.line}: ${source.idColumn} "${r.id}" occurs earlier in the file; the first occurrence is kept`,
        }, false); // already counted as read
      }
    }
    for (const [table, c] of children) await engine.insertRows(table, c.columns, c.rows);
    rows = [];
    records = [];
  };
  const onHeader = (info: { encoding: string; delimiter: string }) => {
    fileStats.encoding = info.encoding;
    fileStats.delimiter = info.delimiter;
  };
  // Parsing and validation on a reader thread where there is a core for it and the file is large
  // enough to repay the thread's start (about a second): this thread inserts meanwhile.
  const path = join(inputDir, source.file);
  const items = workerCount() > 0 && statSync(path).size >= WORKER_MIN_BYTES
    ? readCsvInWorker(path, source.file, source, onHeader)
    : readCsvSource(path, source.file, source, onHeader);
  const bar = progress(`load-${source.key}`);
  for await (const item of items) {
    if (!item.ok) { await rejects.add(item.reject); continue; }
    fileStats.read++;
    bar.tick();
    const rec = item.value.record as Record<string, unknown>;
    const id = source.idColumn ? String(rec[source.idColumn]) : null;
    // Rows without an own id (woz, kvk) are keyed by line, which is unique by construction.
    rows.push([runId, ...m.values(rec as never), item.value.line, item.value.extra]);
    records.push({ line: item.value.line, record: rec as never, id });
    if (rows.length >= BATCH) await flush();
  }
  await flush();
  bar.done();
}
