/**
 * `readCsvSource` on a worker thread: the same items in the same order, while the caller's thread
 * is free to load the database. Errors keep their kind: a header problem is still an InputError.
 */
import { Worker } from 'node:worker_threads';
import type { CsvSource } from './csv-sources.ts';
import type { CsvHeaderInfo, CsvItem } from './read-csv-source.ts';
import type { CsvJob, CsvWorkerMessage } from './csv-worker.ts';
import { InputError } from '../../util/input-error.ts';

export async function* readCsvInWorker(path: string, file: string, source: CsvSource, onHeader?: (info: CsvHeaderInfo) => void): AsyncGenerator<CsvItem<unknown>> {
  const worker = new Worker(new URL('./csv-worker-boot.mjs', import.meta.url));
  const inbox: CsvWorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: CsvWorkerMessage) => { inbox.push(m); wake?.(); });
  worker.on('error', (err) => { failure = err; wake?.(); });
  worker.postMessage({ path, file, key: source.key } satisfies CsvJob);
  try {
    for (;;) {
      while (inbox.length === 0 && !failure) await new Promise<void>((resolve) => { wake = resolve; });
      if (failure) throw new Error(`CSV reader thread failed: ${(failure as Error).message}`);
      const m = inbox.shift()!;
      if ('header' in m) onHeader?.(m.header);
      else if ('items' in m) {
        worker.postMessage('ack');
        yield* m.items;
      } else if ('error' in m) throw m.inputError ? new InputError(m.error) : new Error(m.error);
      else return;
    }
  } finally {
    await worker.terminate();
  }
}
