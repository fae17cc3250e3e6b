/**
 * `csvRowBatches` on a worker thread: the same batches in the same order, while the caller's thread
 * is free to load the database. Errors keep their kind: a header problem is still an InputError.
 * Threads are taken from a `CsvReaderThreads` and given back after a file read to its end, so one
 * load starts a thread per core, not per file (a thread's start cost about half a second of CPU
 * through tsx, and still loads the schemas from its bundle: see `typescript-worker.ts`).
 */
import type { Worker } from 'node:worker_threads';
import type { CsvSource } from '../sources/csv/csv-sources.ts';
import type { CsvHeaderInfo } from '../sources/csv/read-csv-source.ts';
import { InputError } from '../util/input-error.ts';
import { readerThreadOptions } from '../util/worker-count.ts';
import { startTypescriptWorker } from '../util/typescript-worker.ts';
import { unpackRowBatch, type CsvRowBatch } from './csv-rows.ts';
import type { CsvJob, CsvWorkerMessage } from './csv-batch-worker.ts';
import type { VboIds } from './vbo-ids.ts';

/** The CSV reader threads of one load; `close` ends them all. */
export class CsvReaderThreads {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  /** Threads started, for the tests: a file read to its end gives its thread to the next. */
  started = 0;

  take(): Worker {
    const reused = this.idle.pop();
    if (reused) return reused;
    const worker = startTypescriptWorker(new URL('./csv-batch-worker.ts', import.meta.url), readerThreadOptions());
    this.started++;
    this.all.add(worker);
    // A thread that ends while idle is not handed out again (its error goes to the job it was on).
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      this.all.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }

  /** A thread whose job ended cleanly: ready for the next file. */
  give(worker: Worker): void { this.idle.push(worker); }

  /** A thread left mid-file or failed: ended, never reused. */
  async discard(worker: Worker): Promise<void> {
    this.all.delete(worker);
    await worker.terminate();
  }

  async close(): Promise<void> {
    const all = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }
}

export async function* csvRowBatchesInWorker(threads: CsvReaderThreads, path: string, file: string, source: CsvSource, runKey: number, onHeader?: (info: CsvHeaderInfo) => void, bagIds?: VboIds): AsyncGenerator<CsvRowBatch> {
  const worker = threads.take();
  const inbox: CsvWorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  let finished = false;
  const onMessage = (m: CsvWorkerMessage) => { inbox.push(m); wake?.(); };
  const onError = (err: Error) => { failure = err; wake?.(); };
  const onExit = (code: number) => { failure ??= new Error(`it ended (exit code ${code})`); wake?.(); };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  worker.postMessage({ path, file, key: source.key, runKey, bagIds: bagIds?.shared ?? null } satisfies CsvJob);
  try {
    for (;;) {
      while (inbox.length === 0 && !failure) await new Promise<void>((resolve) => { wake = resolve; });
      if (failure) throw new Error(`CSV reader thread failed: ${(failure as Error).message}`);
      const m = inbox.shift()!;
      if ('header' in m) onHeader?.(m.header);
      else if ('batch' in m) {
        worker.postMessage('ack');
        yield unpackRowBatch(m.batch);
      } else if ('error' in m) {
        finished = true;
        throw m.inputError ? new InputError(m.error) : new Error(m.error);
      } else {
        finished = true;
        return;
      }
    }
  } finally {
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    // The thread's job ended (read to its end, or refused with a message): it can read the next file.
    if (finished && !failure) threads.give(worker);
    else await threads.discard(worker);
  }
}
