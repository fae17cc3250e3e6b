/**
 * Loads the CSV files of the input folder into their tables. Validation happens in the reader (zod)
 * and records become rows in `csv-rows.ts`; here rows are inserted, and a second row with the same id
 * is a `duplicate-id` reject (the first occurrence wins, decided by the database's primary key).
 *
 * Files are read on reader threads, several at once (one per core), while this thread inserts
 * whatever batch is ready: reading and validating cost more than inserting, so one file at a time
 * left this thread waiting half the time. Files that share a table load one after the other, so a
 * table's rows still arrive in one fixed order.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { Writer } from '../db/engine.ts';
import { InputError } from '../util/input-error.ts';
import { csvSources, type CsvSource } from '../sources/csv/csv-sources.ts';
import { workerCount } from '../util/worker-count.ts';
import type { InputStats } from './input-stats.ts';
import type { RejectSink } from './reject-sink.ts';
import { progress, type Progress } from '../util/progress.ts';
import { csvRowBatches, lineOf, tableOf, type CsvRowBatch } from './csv-rows.ts';
import { CsvReaderThreads, csvRowBatchesInWorker } from './csv-batches-in-worker.ts';
import type { VboIds } from './vbo-ids.ts';

/** The sources present in an input folder; a missing required one is an {@link InputError}. */
export function presentSources(inputDir: string): CsvSource[] {
  const present: CsvSource[] = [];
  for (const s of csvSources) {
    if (existsSync(join(inputDir, s.file))) present.push(s);
    else if (s.required) throw new InputError(`${s.file} is missing from the input folder ${inputDir}; it is required`);
  }
  return present;
}

const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/** What {@link loadCsvSources} did. */
export interface CsvLoad {
  /** Rows loaded. */
  loaded: number;
  /** The vbo_ids the rows give that are not in the BAG, sorted: `resolveUnits` rejects their rows. */
  unknownVboIds: string[];
}

/**
 * Loads the given sources (from {@link presentSources}); the readers look the rows' vbo_ids up in the
 * BAG's ids (from `loadBag`) and tell which the BAG lacks. When a file cannot be read at all, the others stop
 * at their next batch and the error of the first such file (in load order) is thrown.
 */
export async function loadCsvSources(engine: Writer, runKey: number, inputDir: string, sources: readonly CsvSource[], stats: InputStats, rejects: RejectSink, bagIds: VboIds): Promise<CsvLoad> {
  const groups = new Map<string, CsvSource[]>();
  for (const s of sources) {
    const table = tableOf(s.key).table;
    groups.set(table, [...(groups.get(table) ?? []), s]);
  }
  // Largest table first: each group runs on one reader thread, and a big file started last would
  // run alone on one core at the end while the other waits.
  const size = (g: CsvSource[]) => g.reduce((n, s) => n + statSync(join(inputDir, s.file)).size, 0);
  const ordered = [...groups.entries()].map(([table, g]) => ({ table, g, bytes: size(g) }))
    .sort((a, b) => b.bytes - a.bytes || (a.table < b.table ? -1 : 1)).map((x) => x.g);
  // Database writes one at a time, in the order asked: the run's transaction has one connection.
  const writes = new PQueue({ concurrency: 1 });
  const write = <T>(fn: () => Promise<T>) => writes.add(fn) as Promise<T>;
  // One progress line for all files: several files' lines rewritten in place at once would garble.
  const bar = progress('load-csv');
  const queue = new PQueue({ concurrency: Math.max(1, workerCount()) });
  const state = { failed: false };
  const threads = new CsvReaderThreads();
  const unknown = new Set<string>();
  let settled: PromiseSettledResult<void>[];
  try {
    settled = await Promise.allSettled(ordered.map((group) => queue.add(async () => {
      for (const s of group) {
        if (state.failed) return;
        try {
          await loadCsv(engine, runKey, inputDir, s, stats, rejects, { write, state, bar, threads, bagIds, unknown });
        } catch (err) {
          state.failed = true;
          throw err;
        }
      }
    })));
  } finally {
    await threads.close();
  }
  bar.done();
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return { loaded: sources.reduce((n, s) => n + stats.file(s.file).loaded, 0), unknownVboIds: [...unknown].sort() };
}

interface Shared {
  /** Runs database writes one at a time. */
  write: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Set when a file failed: the others stop. */
  state: { failed: boolean };
  bar: Progress;
  /** Reader threads, reused from file to file. */
  threads: CsvReaderThreads;
  /** The BAG's ids, to look the rows' vbo_ids up in. */
  bagIds: VboIds;
  /** The vbo_ids found missing from them. */
  unknown: Set<string>;
}

async function loadCsv(engine: Writer, runKey: number, inputDir: string, source: CsvSource, stats: InputStats, rejects: RejectSink, { write, state, bar, threads, bagIds, unknown }: Shared): Promise<void> {
  const m = tableOf(source.key);
  const fileStats = stats.file(source.file);
  const onHeader = (info: { encoding: string; delimiter: string }) => {
    fileStats.encoding = info.encoding;
    fileStats.delimiter = info.delimiter;
  };
  // A reader thread where there is a core for it and the file is large enough to repay the thread's
  // start (about a second); a small file is read on this thread.
  const path = join(inputDir, source.file);
  const batches = workerCount() > 0 && statSync(path).size >= WORKER_MIN_BYTES
    ? csvRowBatchesInWorker(threads, path, source.file, source, runKey, onHeader, bagIds)
    : csvRowBatches(path, source.file, source, runKey, onHeader, bagIds);
  const insert = async (batch: CsvRowBatch) => {
    for (const r of batch.rejects) await rejects.add(r);
    for (const id of batch.unknownVboIds) unknown.add(id);
    fileStats.read += batch.rows.length;
    if (batch.rows.length === 0) return;
    const inserted = await engine.insertRows(m.table, m.columns, batch.rows);
    const children: unknown[][] = [];
    for (let i = 0; i < inserted.length; i++) {
      if (inserted[i]) {
        fileStats.loaded++;
        if (batch.children) for (const c of batch.children[i]!) children.push(c);
        continue;
      }
      const line = lineOf(batch.rows[i]!);
      // Only a source with an id has a primary key that can refuse a row (woz and kvk are keyed by line).
      const id = m.idAt === null ? null : String(batch.rows[i]![m.idAt]);
      await rejects.add({
        file: source.file, position: line, column: source.idColumn, value: id, reason: 'duplicate-id',
        message: `${source.file} line ${line}: ${source.idColumn} "${id}" occurs earlier in the file; the first occurrence is kept`,
      }, false); // already counted as read
    }
    if (children.length) await engine.insertRows(m.child!.table, m.child!.columns, children);
  };
  for await (const batch of batches) {
    if (state.failed) break;
    bar.tick(batch.rows.length + batch.rejects.length);
    await write(() => insert(batch));
  }
}
