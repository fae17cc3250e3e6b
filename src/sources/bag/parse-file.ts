/**
 * Reads one file of the extract: cuts its records, parses and maps each into packed batches
 * (`item-codec.ts`), with the rejects and, at the end, counts of what was skipped. Runs in a worker
 * thread or in the main thread alike.
 */
import { cutRecordsInto, HostileXmlError, type CutSink } from './cut-records.ts';
import { parseBagRecordInto, readBagRecordInto, type Refusal, type StandOut } from './parse-bag-record.ts';
import { decodeItems, ItemWriter, type PackedItems } from './item-codec.ts';
import type { BagItem } from './read-bag.ts';
import type { Reject } from '../reject.ts';

const STAND_ROOTS = new Set(['bagStand']);

/**
 * Items a batch holds at least (the chunk that reaches it is added whole). Small enough that a
 * batch's packed texts (some 90 characters a record) and typed arrays stay below V8's and malloc's
 * thresholds for memory of their own (128 KB): batches of 2,000 made strings of about 180 KB, each in
 * fresh memory on both threads (see CHUNK in `xml-location.ts` for what that cost).
 */
export const BATCH = 500;

/**
 * Lets go of the input where it was not read to its end: a read stream holds its file open from the
 * start. (A generator opens nothing before its first chunk, and an iteration that stops early closes
 * it.)
 */
function close(input: AsyncIterable<Buffer>): void {
  (input as { destroy?: () => void }).destroy?.();
}

/**
 * Reads one file, a chunk at a time, into batches of about {@link BATCH} items, packed: records
 * written as they are mapped, with no object made for each (see `ItemWriter`), and rejects in their
 * place among them; then the counts of what was skipped.
 */
export async function* parseFilePacked(input: AsyncIterable<Buffer>, file: string, kind: string): AsyncGenerator<PackedItems> {
  // Room for a batch and the chunk that completes it (some 85 records of 120 KB) without growing.
  const writer = new ItemWriter(BATCH + 200);
  const fileReject = (message: string, reason: Reject['reason'] = 'invalid-xml', position = 0): Extract<BagItem, { kind: 'reject' }> => ({
    kind: 'reject', reject: { file, position, column: null, value: null, reason, message: `${file}: ${message}` },
  });
  if (kind === 'side-file' || kind === 'mutaties') {
    writer.other(kind === 'side-file'
      ? { kind: 'skipped', file, what: 'side file (not records)', count: 0 }
      : fileReject('is a mutation file (mutatielevering); only stand extracts are read'));
    yield writer.take(file);
    close(input);
    return;
  }
  const skipped = new Map<string, number>();
  const skip = (what: string) => skipped.set(what, (skipped.get(what) ?? 0) + 1);
  const readsRecords = kind !== 'inactief' && kind !== 'niet-bag';
  let wrongRoot = false;
  const out: StandOut = {
    writer,
    refused(position: number, why: Refusal) {
      if (why.ok === 'skip') skip(`${why.objectType} (${why.why})`);
      else writer.other(fileReject(`record ${position}: ${why.message}`, why.reason, position));
    },
  };
  const sink: CutSink = {
    root(localName) {
      if (STAND_ROOTS.has(localName)) return;
      wrongRoot = true;
      writer.other(fileReject(`root element is "${localName}", not an LVBAG stand extract (bagStand)`));
    },
    // A file of records not read (inactief, niet-BAG) is only counted; after a wrong root, nothing is read.
    read: readsRecords ? (bytes, start, position) => (wrongRoot ? -1 : readBagRecordInto(bytes, start, position, out)) : null,
    record(xml, position) {
      if (wrongRoot) return;
      if (readsRecords) parseBagRecordInto(xml, position, out);
      else skip(kind);
    },
    broken(position, message) {
      if (!wrongRoot) writer.other(fileReject(`record ${position}: ${message}`, 'invalid-xml', position));
    },
  };
  try {
    for await (const _ of cutRecordsInto(input, sink)) {
      if (wrongRoot) break;
      if (writer.items >= BATCH) yield writer.take(file);
    }
  } catch (err) {
    if (err instanceof HostileXmlError) writer.other(fileReject(`refused: ${err.message}`));
    else writer.other(fileReject(`could not be read: ${(err as Error).message}`));
  } finally {
    close(input);
  }
  for (const [what, count] of [...skipped].sort()) writer.other({ kind: 'skipped', file, what, count });
  if (writer.items) yield writer.take(file);
}

/** {@link parseFilePacked}, unpacked: batches of items. */
export async function* parseFileBatches(input: AsyncIterable<Buffer>, file: string, kind: string): AsyncGenerator<BagItem[]> {
  for await (const packed of parseFilePacked(input, file, kind)) yield decodeItems(packed);
}
