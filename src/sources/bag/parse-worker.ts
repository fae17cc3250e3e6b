/**
 * Worker thread of the BAG reader: reads one XML file (or a zip entry, inflating it), cuts and parses
 * its records, and posts them back in packed batches (`item-codec.ts`: arrays handed over, not
 * cloned; quick to read), so parsing runs on the second core while the main thread loads the database.
 */
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import type { BagItem } from './read-bag.ts';
import { parseFileBatches } from './parse-file.ts';
import { encodeItems, packedItemsTransfer } from './item-codec.ts';
import { xmlChunks, type XmlLocation } from './xml-location.ts';

/** A file to parse; no location for the files recognised by name alone (side files, mutation files). */
export interface ParseJob { id: number; location?: XmlLocation; file: string; kind: string }

/**
 * Records a post. Small enough that a batch's packed texts (some 90 characters a record) and typed
 * arrays stay below V8's and malloc's thresholds for memory of their own (128 KB): batches of 2,000
 * made strings of about 180 KB, each in fresh memory on both threads (see CHUNK in
 * `xml-location.ts` for what that cost).
 */
const BATCH = 500;

function post(job: ParseJob, batch: readonly BagItem[], done: boolean): void {
  const items = encodeItems(job.file, batch);
  parentPort!.postMessage({ id: job.id, items, done }, packedItemsTransfer(items));
}

parentPort!.on('message', async (job: ParseJob) => {
  try {
    const bytes = job.location ? xmlChunks(job.location) : Readable.from([]);
    let batch: BagItem[] = [];
    for await (const items of parseFileBatches(bytes, job.file, job.kind)) {
      for (const item of items) batch.push(item);
      if (batch.length >= BATCH) { post(job, batch, false); batch = []; }
    }
    post(job, batch, true);
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message, done: true });
  }
});
