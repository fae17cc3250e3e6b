/**
 * Worker thread of the BAG reader: reads one XML file (or a zip entry, inflating it), cuts and parses
 * its records, and posts them back in packed batches (`item-codec.ts`: arrays handed over, not
 * cloned; quick to read; see `parseFilePacked`), so parsing runs on the second core while the main
 * thread loads the database.
 */
import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import { parseFilePacked } from './parse-file.ts';
import { packedItemsTransfer } from './item-codec.ts';
import { xmlChunks, type XmlLocation } from './xml-location.ts';

/** A file to parse; no location for the files recognised by name alone (side files, mutation files). */
export interface ParseJob { id: number; location?: XmlLocation; file: string; kind: string }

parentPort!.on('message', async (job: ParseJob) => {
  try {
    const bytes = job.location ? xmlChunks(job.location) : Readable.from([]);
    for await (const items of parseFilePacked(bytes, job.file, job.kind)) parentPort!.postMessage({ id: job.id, items }, packedItemsTransfer(items));
    parentPort!.postMessage({ id: job.id, done: true });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: (err as Error).message, done: true });
  }
});
