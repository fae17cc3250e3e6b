/**
 * Checkpoints a SQLite database's write-ahead log on a worker thread, beside the thread that writes.
 * A screening commits in stages (see ScreeningWriter.commitStage); after each commit the pages it
 * wrote are copied into the database file here, on the core the writer leaves idle, instead of in the
 * final commit on the writer's thread (at 1M units 3.5-6.6 s, at 10M 28-35 s; the copying is mostly
 * the kernel's). A failed or partial checkpoint costs nothing but speed: the writer checkpoints
 * what is left at the end.
 */
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /** Asks for a checkpoint of everything committed so far (one more after the one running, at most). */
  request(): void;
  /** Resolves when no checkpoint runs or waits. */
  idle(): Promise<void>;
  /** Stops the thread (after the checkpoint running, if any, has finished). */
  close(): Promise<void>;
}

export function startCheckpointer(path: string, busyTimeoutMs: number): Checkpointer {
  const worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { path, busyTimeoutMs } });
  // Never what keeps the process alive: a screening that fails stops without waiting for it.
  worker.unref();
  let running = false;
  let pending = false;
  let failed: Error | null = null;
  let waiters: (() => void)[] = [];
  const next = () => {
    if (pending && !failed) {
      pending = false;
      running = true;
      worker.postMessage('checkpoint');
      return;
    }
    running = false;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };
  // A checkpoint that failed (the thread could not open the database, say) is only a lost speed-up.
  worker.on('message', () => next());
  worker.on('error', (err) => { failed = err; pending = false; next(); });
  worker.on('exit', () => { failed ??= new Error('checkpointer stopped'); pending = false; next(); });
  return {
    request() {
      if (failed) return;
      if (running) { pending = true; return; }
      running = true;
      worker.postMessage('checkpoint');
    },
    idle() {
      return running ? new Promise<void>((resolve) => waiters.push(resolve)) : Promise.resolve();
    },
    async close() {
      await this.idle();
      await worker.terminate();
    },
  };
}
