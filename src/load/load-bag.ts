/**
 * Loads the BAG extract: every voorkomen of every object, in the tables `bag_*`. A voorkomen that
 * occurs twice (the same file delivered twice) is a duplicate: the first one wins.
 */
import type { Writer } from '../db/engine.ts';
import { readBagBatches, type BagItem } from '../sources/bag/read-bag.ts';
import type { BagRecord } from '../sources/bag/bag-records.ts';
import type { FileStats, InputStats } from './input-stats.ts';
import type { RejectSink } from './reject-sink.ts';
import { progress } from '../util/progress.ts';
import { VboIdsBuilder, type VboIds } from './vbo-ids.ts';

const voorkomenCols = ['voorkomen', 'begin', 'eind', 'status', 'file_no', 'position'];
const TABLES = {
  VBO: { table: 'bag_vbo', cols: ['run_key', 'vbo_id', ...voorkomenCols, 'gebruiksdoelen', 'oppervlakte', 'x', 'y', 'hoofdadres', 'nevenadressen', 'panden'] },
  NUM: { table: 'bag_num', cols: ['run_key', 'num_id', ...voorkomenCols, 'postcode', 'huisnummer', 'huisletter', 'toevoeging', 'opr_id'] },
  OPR: { table: 'bag_opr', cols: ['run_key', 'opr_id', ...voorkomenCols, 'naam', 'wpl_id'] },
  WPL: { table: 'bag_wpl', cols: ['run_key', 'wpl_id', ...voorkomenCols, 'naam'] },
  PND: { table: 'bag_pnd', cols: ['run_key', 'pnd_id', ...voorkomenCols, 'bouwjaar'] },
  IO: { table: 'bag_onderzoek', cols: ['run_key', 'object_id', 'kenmerk', 'in_onderzoek', 'begin', 'eind'] },
} as const;

/**
 * A record's row in its table's columns. Written out per type, not with the voorkomen's fields
 * spread in (a spread goes through the iterator protocol, for 2.5 million records per million units).
 */
function row(runKey: number, r: BagRecord, fileNo: number, position: number): unknown[] {
  switch (r.type) {
    case 'IO':
      return [runKey, r.id, r.kenmerk, r.inOnderzoek ? 1 : 0, r.begin, r.eind];
    case 'VBO':
      return [runKey, r.id, r.voorkomen, r.begin, r.eind, r.status, fileNo, position, r.gebruiksdoelen.join('|'), r.oppervlakte, r.x, r.y, r.hoofdadres, r.nevenadressen.join('|'), r.panden.join('|')];
    case 'NUM':
      return [runKey, r.id, r.voorkomen, r.begin, r.eind, r.status, fileNo, position, r.postcode, r.huisnummer, r.huisletter, r.toevoeging, r.oprId];
    case 'OPR':
      return [runKey, r.id, r.voorkomen, r.begin, r.eind, r.status, fileNo, position, r.naam, r.wplId];
    case 'WPL':
      return [runKey, r.id, r.voorkomen, r.begin, r.eind, r.status, fileNo, position, r.naam];
    case 'PND':
      return [runKey, r.id, r.voorkomen, r.begin, r.eind, r.status, fileNo, position, r.bouwjaar];
  }
}

type RecordItem = Extract<BagItem, { kind: 'record' }>;

/** Rows waiting for their insert, with the items they came from (for rejects and the VBOs' links). */
interface Pending { rows: unknown[][]; items: RecordItem[] }

/**
 * Loads the extract; returns the ids of the verblijfsobjecten loaded, for the CSV readers to look
 * the rows' vbo_ids up in (`vbo-ids.ts`).
 */
export async function loadBag(engine: Writer, runKey: number, bagDir: string, inputRoot: string, stats: InputStats, rejects: RejectSink): Promise<VboIds> {
  const pending = new Map<keyof typeof TABLES, Pending>();
  const links = new VboLinks(engine);
  const vboIds = new VboIdsBuilder();
  // Files by number, in the order they are read (a row names its file by number: bag_file).
  const fileNos = new Map<string, number>();
  const addFile = async (file: string) => {
    const no = fileNos.size;
    fileNos.set(file, no);
    await engine.appendRows('bag_file', ['run_key', 'file_no', 'file'], [[runKey, no, file]]);
    return no;
  };
  const bar = progress('load-bag');
  const flush = async (type: keyof typeof TABLES) => {
    const p = pending.get(type);
    if (!p || p.rows.length === 0) return;
    pending.set(type, { rows: [], items: [] });
    // A record's file and position tell it from any other voorkomen with its key (IO rows have none).
    const inserted = await engine.insertRows(TABLES[type].table, TABLES[type].cols, p.rows, type === 'IO' ? undefined : ['file_no', 'position']);
    let fileStats = stats.file(p.items[0]!.file);
    for (let i = 0; i < inserted.length; i++) {
      const it = p.items[i]!;
      if (fileStats.file !== it.file) fileStats = stats.file(it.file);
      if (inserted[i] || type === 'IO') {
        fileStats.loaded++;
        if (it.record.type === 'VBO') {
          links.add(runKey, it.record);
          vboIds.add(it.record.id);
        }
      } else {
        const id = it.record.id;
        await rejects.add({
          file: it.file, position: it.position, column: 'identificatie', value: id, reason: 'duplicate-id',
          message: `${it.file} record ${it.position}: this voorkomen of ${id} was already read; the first one is kept`,
        }, false); // already counted as read
      }
    }
    if (links.waiting >= 4000) await links.flush();
  };
  for await (const batch of readBagBatches(bagDir, inputRoot)) {
    // A batch's records are mostly of one file: its counts and number are looked up again only
    // where the file changes.
    let file: string | null = null;
    let fileStats: FileStats | null = null;
    let fileNo = 0;
    for (const item of batch) {
      if (item.kind === 'reject') { await rejects.add(item.reject); continue; }
      if (item.kind === 'skipped') {
        const s = stats.file(item.file);
        if (item.count > 0) s.skipped[item.what] = (s.skipped[item.what] ?? 0) + item.count;
        continue;
      }
      if (item.file !== file) {
        file = item.file;
        fileStats = stats.file(file);
        fileNo = fileNos.get(file) ?? await addFile(file);
      }
      fileStats!.read++;
      bar.tick();
      const type = item.record.type;
      let p = pending.get(type);
      if (!p) { p = { rows: [], items: [] }; pending.set(type, p); }
      p.rows.push(row(runKey, item.record, fileNo, item.position));
      p.items.push(item);
      if (p.rows.length >= 2000) await flush(type);
    }
  }
  for (const type of Object.keys(TABLES) as (keyof typeof TABLES)[]) await flush(type);
  await links.flush();
  bar.done();
  return vboIds.build();
}

/**
 * A VBO's nevenadressen and (where it has more than one) gebruiksdoelen as rows, so joins need no
 * list splitting in SQL; its hoofdadres and a single gebruiksdoel are columns of its own row, which
 * `buildUnits` reads as they are (migration 0015: 3M fewer rows to insert at 1M units, the loading
 * thread's CPU in load-bag 7.7-8.8 -> 5.4-7.1 s in benches alternating with the code before). Only
 * a voorkomen that went in adds its rows (a rejected duplicate's must not join the kept one's), and
 * within one record each address and gebruiksdoel counts once: so the rows' keys are new by
 * construction, and they go in as plain appends (no duplicate check, no savepoint per batch).
 */
class VboLinks {
  adres: unknown[][] = [];
  doel: unknown[][] = [];
  constructor(private readonly engine: Writer) {}
  get waiting(): number { return this.adres.length + this.doel.length; }
  /** Adds the rows of a VBO voorkomen that was loaded. */
  add(runKey: number, r: Extract<BagRecord, { type: 'VBO' }>): void {
    for (const n of once(r.nevenadressen)) if (n !== r.hoofdadres) this.adres.push([runKey, r.id, r.voorkomen, n, 0]);
    if (!singleGebruiksdoel(r.gebruiksdoelen)) for (const g of once(r.gebruiksdoelen)) this.doel.push([runKey, r.id, r.voorkomen, g]);
  }

  async flush(): Promise<void> {
    if (this.adres.length) await this.engine.appendRows('bag_vbo_adres', ['run_key', 'vbo_id', 'voorkomen', 'num_id', 'hoofdadres'], this.adres);
    if (this.doel.length) await this.engine.appendRows('bag_vbo_gebruiksdoel', ['run_key', 'vbo_id', 'voorkomen', 'gebruiksdoel'], this.doel);
    this.adres = [];
    this.doel = [];
  }
}

/** Each value once, in order: a Set only where there is more than one (most VBOs have one of each, or none). */
function once(values: readonly string[]): Iterable<string> {
  return values.length < 2 ? values : new Set(values);
}

/**
 * One gebruiksdoel, which the VBO's row holds as it is: no "|" in it, the separator of the row's list.
 * `buildUnits` takes a unit's gebruiksdoel from its row under the same condition, in SQL.
 */
function singleGebruiksdoel(values: readonly string[]): boolean {
  return values.length === 1 && !values[0]!.includes('|');
}
