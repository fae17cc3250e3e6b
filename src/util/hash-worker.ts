/** Worker thread of `sha256Files`: hashes each file it is sent and answers with its index. */
import { parentPort } from 'node:worker_threads';
import { sha256File } from './hash.ts';

parentPort!.on('message', async (job: { index: number; path: string }) => {
  try {
    parentPort!.postMessage({ index: job.index, sha256: await sha256File(job.path) });
  } catch (err) {
    parentPort!.postMessage({ index: job.index, error: (err as Error).message });
  }
});
