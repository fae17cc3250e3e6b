/**
 * Worker thread of `sha256Files`: hashes each file it is sent, one after the other in the order sent,
 * and answers with its index. Jobs may all be sent at once: the thread then needs no answer from its
 * caller between files (whose thread may be busy in a long database statement).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sha256File } from './hash.ts';
import { lowerThreadPriority } from './background-priority.mjs';

// Hashing beside a screen gives way to it (see `sha256Files`).
if ((workerData as { background?: boolean } | null)?.background) lowerThreadPriority();

let queue = Promise.resolve();
parentPort!.on('message', (job: { index: number; path: string }) => {
  queue = queue.then(async () => {
    try {
      parentPort!.postMessage({ index: job.index, sha256: await sha256File(job.path) });
    } catch (err) {
      parentPort!.postMessage({ index: job.index, error: (err as Error).message });
    }
  });
});
