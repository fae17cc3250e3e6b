/**
 * `csvRowBatches` on a worker thread: the same batches in the same order, while the caller's thread
 * is free to load the database. Errors keep their kind: a header problem is still an InputError.
 */
import { Worker } from 'node:worker_threads';
import type { CsvSource } from '../sources/csv/csv-sources.ts';
import type { CsvHeaderInfo } from '../sources/csv/read-csv-source.ts';
import { InputError } from '../util/input-error.ts';
import { readerThreadOptions } from '../util/worker-count.ts';
import type { CsvRowBatch } from './csv-rows.ts';
import type { CsvJob, CsvWorkerMessage } from './csv-batch-worker.ts';

export async function* csvRowBatchesInWorker(path: string, file: string, source: CsvSource, runKey: number, onHeader?: (info: CsvHeaderInfo) => void): AsyncGenerator<CsvRowBatch> {
  const worker = new Worker(new URL('./csv-batch-worker-boot.mjs', import.meta.url), readerThreadOptions());
  const inbox: CsvWorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: CsvWorkerMessage) => { inbox.push(m); wake?.(); });
  worker.on('error', (err) => { failure = err; wake?.(); });
  worker.postMessage({ path, file, key: source.key, runKey } satisfies CsvJob);
  try {
    for (;;) {
      while (inbox.length === 0 && !failure) await new Promise<void>((resolve) => { wake = resolve; });
      if (failure) throw new Error(`CSV reader thread failed: ${(failure as Error).message}`);
      const m = inbox.shift()!;
      if ('header' in m) onHeader?.(m.header);
      else if ('batch' in m) {
        worker.postMessage('ack');
        yield m.batch;
      } else if ('error' in m) throw m.inputError ? new InputError(m.error) : new Error(m.error);
      else return;
    }
  } finally {
    await worker.terminate();
  }
}
