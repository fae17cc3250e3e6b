/**
 * Worker thread of the CSV reader: reads, decodes, splits and validates one CSV source and posts the
 * items back in batches, so that parsing and zod validation run on the second core while the main
 * thread loads the database. At most a few batches are in flight (the main thread acknowledges each),
 * so a slow database never lets a whole file pile up in memory.
 */
import { parentPort } from 'node:worker_threads';
import { csvSources, type CsvSource, type CsvSourceKey } from './csv-sources.ts';
import { readCsvSource, type CsvHeaderInfo, type CsvItem } from './read-csv-source.ts';
import { InputError } from '../../util/input-error.ts';

export interface CsvJob { path: string; file: string; key: CsvSourceKey }
export type CsvWorkerMessage =
  | { header: CsvHeaderInfo }
  | { items: CsvItem<unknown>[] }
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
  const source: CsvSource = csvSources.find((s) => s.key === job.key)!;
  let sent = 0;
  try {
    let batch: CsvItem<unknown>[] = [];
    const post = async () => {
      port.postMessage({ items: batch } satisfies CsvWorkerMessage);
      batch = [];
      sent++;
      while (sent - acked >= IN_FLIGHT) await new Promise<void>((resolve) => { wake = resolve; });
    };
    for await (const item of readCsvSource(job.path, job.file, source, (header) => port.postMessage({ header } satisfies CsvWorkerMessage))) {
      batch.push(item);
      if (batch.length >= 2000) await post();
    }
    if (batch.length) await post();
    port.postMessage({ done: true } satisfies CsvWorkerMessage);
  } catch (err) {
    port.postMessage({ error: (err as Error).message, inputError: err instanceof InputError } satisfies CsvWorkerMessage);
  }
}
