/**
 * Reads one file of the extract: cuts its records, parses each, and yields records, rejects and
 * counts of what was skipped. Runs in a worker thread or in the main thread alike.
 */
import type { Readable } from 'node:stream';
import { cutRecords, HostileXmlError } from './cut-records.ts';
import { parseBagRecord } from './parse-bag-record.ts';
import type { BagItem } from './read-bag.ts';
import type { Reject } from '../reject.ts';

const STAND_ROOTS = new Set(['bagStand']);

export async function* parseFileEvents(input: Readable, file: string, kind: string): AsyncGenerator<BagItem> {
  if (kind === 'side-file') { yield { kind: 'skipped', file, what: 'side file (not records)', count: 0 }; input.destroy(); return; }
  const fileReject = (message: string, reason: Reject['reason'] = 'invalid-xml', position = 0): BagItem => ({
    kind: 'reject', reject: { file, position, column: null, value: null, reason, message: `${file}: ${message}` },
  });
  if (kind === 'mutaties') { yield fileReject('is a mutation file (mutatielevering); only stand extracts are read'); input.destroy(); return; }
  const skipped = new Map<string, number>();
  try {
    for await (const ev of cutRecords(input as AsyncIterable<Buffer>)) {
      if (ev.kind === 'root') {
        if (!STAND_ROOTS.has(ev.localName)) {
          yield fileReject(`root element is "${ev.localName}", not an LVBAG stand extract (bagStand)`);
          break;
        }
        continue;
      }
      if (ev.kind === 'broken') { yield fileReject(`record ${ev.position}: ${ev.message}`, 'invalid-xml', ev.position); continue; }
      if (kind === 'inactief' || kind === 'niet-bag') {
        skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
        continue;
      }
      const out = parseBagRecord(ev.xml);
      if (out.ok === true) yield { kind: 'record', file, position: ev.position, record: out.record };
      else if (out.ok === 'skip') {
        const what = `${out.objectType} (${out.why})`;
        skipped.set(what, (skipped.get(what) ?? 0) + 1);
      } else yield fileReject(`record ${ev.position}: ${out.message}`, out.reason, ev.position);
    }
  } catch (err) {
    if (err instanceof HostileXmlError) yield fileReject(`refused: ${err.message}`);
    else yield fileReject(`could not be read: ${(err as Error).message}`);
  } finally {
    input.destroy();
  }
  for (const [what, count] of [...skipped].sort()) yield { kind: 'skipped', file, what, count };
}
