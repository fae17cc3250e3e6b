/**
 * Reads one file of the extract: cuts its records, parses each, and yields records, rejects and
 * counts of what was skipped. Runs in a worker thread or in the main thread alike.
 */
import { cutRecords, HostileXmlError } from './cut-records.ts';
import { parseBagRecord, readBagRecordAt } from './parse-bag-record.ts';
import type { BagItem } from './read-bag.ts';
import type { Reject } from '../reject.ts';

const STAND_ROOTS = new Set(['bagStand']);

/**
 * Lets go of the input where it was not read to its end: a read stream holds its file open from the
 * start. (A generator opens nothing before its first chunk, and an iteration that stops early closes
 * it.)
 */
function close(input: AsyncIterable<Buffer>): void {
  (input as { destroy?: () => void }).destroy?.();
}

/**
 * Reads one file, a chunk at a time: the items of each chunk's records as one array (no promise per
 * record; see `cutRecords`), then the counts of what was skipped.
 */
export async function* parseFileBatches(input: AsyncIterable<Buffer>, file: string, kind: string): AsyncGenerator<BagItem[]> {
  if (kind === 'side-file') { yield [{ kind: 'skipped', file, what: 'side file (not records)', count: 0 }]; close(input); return; }
  const fileReject = (message: string, reason: Reject['reason'] = 'invalid-xml', position = 0): BagItem => ({
    kind: 'reject', reject: { file, position, column: null, value: null, reason, message: `${file}: ${message}` },
  });
  if (kind === 'mutaties') { yield [fileReject('is a mutation file (mutatielevering); only stand extracts are read')]; close(input); return; }
  const skipped = new Map<string, number>();
  const skip = (what: string) => skipped.set(what, (skipped.get(what) ?? 0) + 1);
  const readsRecords = kind !== 'inactief' && kind !== 'niet-bag';
  try {
    chunks: for await (const events of cutRecords(input, readsRecords ? readBagRecordAt : undefined)) {
      const out: BagItem[] = [];
      for (const ev of events) {
        if (ev.kind === 'root') {
          if (!STAND_ROOTS.has(ev.localName)) {
            yield [fileReject(`root element is "${ev.localName}", not an LVBAG stand extract (bagStand)`)];
            break chunks;
          }
          continue;
        }
        if (ev.kind === 'broken') { out.push(fileReject(`record ${ev.position}: ${ev.message}`, 'invalid-xml', ev.position)); continue; }
        if (!readsRecords) { skip(kind); continue; }
        const parsed = ev.kind === 'read' ? ev.read : parseBagRecord(ev.xml);
        if (parsed.ok === true) out.push({ kind: 'record', file, position: ev.position, record: parsed.record });
        else if (parsed.ok === 'skip') skip(`${parsed.objectType} (${parsed.why})`);
        else out.push(fileReject(`record ${ev.position}: ${parsed.message}`, parsed.reason, ev.position));
      }
      if (out.length) yield out;
    }
  } catch (err) {
    if (err instanceof HostileXmlError) yield [fileReject(`refused: ${err.message}`)];
    else yield [fileReject(`could not be read: ${(err as Error).message}`)];
  } finally {
    close(input);
  }
  const counts = [...skipped].sort().map(([what, count]): BagItem => ({ kind: 'skipped', file, what, count }));
  if (counts.length) yield counts;
}
