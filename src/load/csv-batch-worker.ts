/**
 * Worker thread of the CSV loader: reads, decodes, splits, validates and maps one CSV source to rows
 * and posts them back in batches, so that all of that runs on another core while the loading thread
 * inserts. Rows are arrays of plain values, packed for the way (`packed-rows.ts`). At most a
 * few batches are in flight (the loading thread acknowledges each), so a slow database never lets a
 * whole file pile up in memory.
 */
import { parentPort } from 'node:worker_threads';
import { csvSource, type CsvSourceKey } from '../sources/csv/csv-sources.ts';
import type { CsvHeaderInfo } from '../sources/csv/read-csv-source.ts';
import { InputError } from '../util/input-error.ts';
import { csvRowBatches, packedBatchTransfer, packRowBatch, type PackedCsvRowBatch } from './csv-rows.ts';
import { VboIds, type SharedVboIds } from './vbo-ids.ts';

/** A file to read; the BAG's ids, where given, are shared memory (posted, not copied). */
export interface CsvJob { path: string; file: string; key: CsvSourceKey; runKey: number; bagIds: SharedVboIds | null }
export type CsvWorkerMessage =
  | { header: CsvHeaderInfo }
  | { batch: PackedCsvRowBatch }
  | { done: true }
  | { error: string; inputError: boolean };

const port = parentPort!;
const IN_FLIGHT = 4;
let acked = 0;
let wake: (() => void) | null = null;
port.on('message', (m: CsvJob | 'ack') => {
  if (m === 'ack') { acked++; wake?.(); return; }
  void run(m);
});

async function run(job: CsvJob): Promise<void> {
  const source = csvSource(job.key);
  // A thread reads one file after another: each job counts its own batches (the loading thread
  // acknowledged every batch of the job before, so no acknowledgement of it is still on its way).
  acked = 0;
  let sent = 0;
  try {
    const onHeader = (header: CsvHeaderInfo) => port.postMessage({ header } satisfies CsvWorkerMessage);
    for await (const batch of csvRowBatches(job.path, job.file, source, job.runKey, onHeader, job.bagIds ? new VboIds(job.bagIds) : undefined)) {
      const packed = packRowBatch(batch);
      port.postMessage({ batch: packed } satisfies CsvWorkerMessage, packedBatchTransfer(packed));
      sent++;
      while (sent - acked >= IN_FLIGHT) await new Promise<void>((resolve) => { wake = resolve; });
    }
    port.postMessage({ done: true } satisfies CsvWorkerMessage);
  } catch (err) {
    port.postMessage({ error: (err as Error).message, inputError: err instanceof InputError } satisfies CsvWorkerMessage);
  }
}
