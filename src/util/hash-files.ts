/**
 * sha256 of many files, on reader threads when there is much to read: hashing is CPU work (about
 * 1.6 GB/s a core here), and the national inputs are tens of gigabytes, so one thread left the
 * second core idle for the whole stage.
 */
import { startTypescriptWorker } from './typescript-worker.ts';
import { sha256File } from './hash.ts';
import { workerCount } from './worker-count.ts';

/** Below this many bytes in all, a thread's start (about 0.1 s) costs more than it saves. */
const THREADS_FROM_BYTES = 64 * 1024 * 1024;

export interface HashOptions {
  /** Threads are used from this many bytes in all (default 64 MB), on a machine of more than one core. */
  threadsFromBytes?: number;
  /** At most this many threads (default one per core; one leaves a core to what the caller does meanwhile). */
  maxThreads?: number;
  /** Stops the hashing (the threads end, the promise rejects): for a run that failed meanwhile. */
  signal?: AbortSignal;
  /**
   * The threads run at a lower priority (`background-priority.mjs`): for hashing beside work that
   * others wait for, which then keeps its core while the hashing takes what is left.
   */
  background?: boolean;
}

/** The sha256 of each file, in the order given. `sizes` (bytes) decide what goes first: the largest. */
export async function sha256Files(paths: readonly string[], sizes: readonly number[], options: HashOptions = {}): Promise<string[]> {
  const { threadsFromBytes = THREADS_FROM_BYTES, maxThreads = workerCount(), signal, background = false } = options;
  const out = new Array<string>(paths.length);
  const threads = Math.min(maxThreads, paths.length);
  if (workerCount() < 2 || threads < 1 || sizes.reduce((a, b) => a + b, 0) < threadsFromBytes) {
    for (let i = 0; i < paths.length; i++) {
      signal?.throwIfAborted();
      out[i] = await sha256File(paths[i]!);
    }
    return out;
  }
  // Largest first, so no big file starts last and runs alone.
  const order = paths.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  let next = 0;
  const pool = Array.from({ length: threads }, () => startTypescriptWorker(new URL('./hash-worker.ts', import.meta.url), { workerData: { background } }));
  // One listener for the whole pool, removed when the hashing ends: a signal may outlive it.
  let stop: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => { stop = reject; });
  stopped.catch(() => undefined);
  const onAbort = () => stop(signal!.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Several threads take a file at a time, whichever is free. One thread gets every file at once:
    // it then hashes on while this thread is busy (a long SQL statement answers no message).
    await Promise.all(pool.map((w) => new Promise<void>((resolve, reject) => {
      let pending = 0;
      const give = () => {
        if (next >= order.length) { if (pending === 0) resolve(); return; }
        const index = order[next++]!;
        pending++;
        w.postMessage({ index, path: paths[index] });
      };
      w.on('message', (m: { index: number; sha256?: string; error?: string }) => {
        pending--;
        if (m.error !== undefined) { reject(new Error(m.error)); return; }
        out[m.index] = m.sha256!;
        give();
      });
      w.on('error', reject);
      stopped.catch(reject);
      if (threads === 1) while (next < order.length) give();
      else give();
    })));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return out;
}
