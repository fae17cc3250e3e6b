/**
 * Reads the `bag/` part of an input folder: LVBAG 2.0 extract XML files in any sub-folder, or the
 * official zip (zips nested in zips), in a stable order. Yields parsed voorkomens, rejects (per file
 * and record) and counts of what was recognised and deliberately skipped (in-onderzoek marks are
 * kept; inactief and niet-BAG side files, Ligplaats and Standplaats are counted, not loaded).
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { BagRecord } from './bag-records.ts';
import type { Reject } from '../reject.ts';
import { parseFileBatches } from './parse-file.ts';
import { parseInWorkers } from './parse-pool.ts';
import { workerCount } from '../../util/worker-count.ts';
import { openXml, xmlChunks, type XmlLocation } from './xml-location.ts';
import { cutEntries, entryFacts, innerStreamedZip, streamedZipEntries, zipEntries, type StreamedZip } from './streamed-zip.ts';

export type BagItem =
  | { kind: 'record'; file: string; position: number; record: BagRecord }
  | { kind: 'reject'; reject: Reject }
  | { kind: 'skipped'; file: string; what: string; count: number };

/** What a file of the extract is, from its name (the LVBAG naming scheme). */
export type BagFileKind = 'stand' | 'in-onderzoek' | 'inactief' | 'niet-bag' | 'side-file' | 'mutaties';

export function classifyBagFile(name: string): BagFileKind {
  const base = (name.split(/[\\/!]/).pop() ?? name).toUpperCase();
  if (base.startsWith('LEVERINGSDOCUMENT') || base.startsWith('GEM-WPL-RELATIE')) return 'side-file';
  const m = /^\d{4}(IO|IA|NB)?(MUT|VBO|NUM|OPR|WPL|PND|LIG|STA)/.exec(base);
  if (m?.[2] === 'MUT') return 'mutaties';
  if (m?.[1] === 'IO') return 'in-onderzoek';
  if (m?.[1] === 'IA') return 'inactief';
  if (m?.[1] === 'NB') return 'niet-bag';
  return 'stand';
}

export interface XmlSource {
  /** Name relative to the input folder, `!` between a zip and its entry. */
  file: string;
  /** Where its bytes are: plain data, sent as it is to a parser thread, which opens it itself. */
  location: XmlLocation;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function relName(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/**
 * Where a zip's bytes are: a file on disk (from `base`, `size` bytes: an inner zip stored uncompressed
 * in an outer one is a range of the outer file), or a stream (an inner zip stored compressed).
 */
type ZipBytes = { path: string; base: number; size: number | null } | { streamed: StreamedZip };

/** Reads a range of a file: yauzl's random access into a zip that sits inside another zip. */
class FileRangeReader extends yauzl.RandomAccessReader {
  constructor(private readonly path: string, private readonly base: number) { super(); }
  override _readStreamForRange(start: number, end: number): Readable {
    if (end <= start) return Readable.from([]);
    return createReadStream(this.path, { start: this.base + start, end: this.base + end - 1 });
  }
}

function openZip(bytes: { path: string; base: number; size: number | null }): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: yauzl.ZipFile) => (err || !zip ? reject(err ?? new Error('zip')) : resolve(zip));
    if (bytes.size === null) yauzl.open(bytes.path, { lazyEntries: true, autoClose: false }, done);
    else yauzl.fromRandomAccessReader(new FileRangeReader(bytes.path, bytes.base), bytes.size, { lazyEntries: true, autoClose: false }, done);
  });
}

/** The entries the extract is made of (XML files and zips of them), in name order. */
function wantedEntries(entries: yauzl.Entry[]): yauzl.Entry[] {
  return entries
    .filter((e) => isZip(e) || e.fileName.toLowerCase().endsWith('.xml'))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
}

const isZip = (e: yauzl.Entry) => e.fileName.toLowerCase().endsWith('.zip');

/** A zip or an entry of one that cannot be read: one reject of its own, not the end of the run. */
function unreadable(file: string, err: unknown): XmlSource {
  return { file, location: { kind: 'unreadable', message: `not a readable zip: ${(err as Error).message}` } };
}

/** Where an entry's data are in the file on disk of `zip` (whose bytes start at `outer.base`). */
async function entryRange(zip: yauzl.ZipFile, outer: { path: string; base: number }, entry: yauzl.Entry): Promise<Extract<XmlLocation, { kind: 'zip-range' }>> {
  const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
  return { kind: 'zip-range', path: outer.path, start: outer.base + fileDataStart, compressedSize: entry.compressedSize, ...entryFacts(entry) };
}

/**
 * The bytes of a zip inside a zip on disk. Stored uncompressed (zipping a zip gains nothing, so that
 * is the usual way), it is a range of the outer file: read in place, so a national object-type zip
 * of gigabytes costs no memory. Stored compressed, it has no random access: it is streamed
 * (`streamed-zip.ts`), inflated from its place in the file anew for each pass.
 */
export async function innerZipBytes(zip: yauzl.ZipFile, outer: { path: string; base: number }, entry: yauzl.Entry): Promise<ZipBytes> {
  const range = await entryRange(zip, outer, entry);
  if (entry.compressionMethod === 0 && !entry.isEncrypted()) return { path: outer.path, base: range.start, size: entry.compressedSize };
  return { streamed: { open: () => openXml(range) } };
}

/** Every XML file inside a zip, nested zips opened in turn, entries in name order. */
async function* zipSources(bytes: ZipBytes, name: string): AsyncGenerator<XmlSource> {
  if ('streamed' in bytes) {
    yield* streamedZipSources(bytes.streamed, name);
    return;
  }
  let zip: yauzl.ZipFile;
  let entries: yauzl.Entry[];
  try {
    zip = await openZip(bytes);
  } catch (err) {
    yield unreadable(name, err);
    return;
  }
  try {
    try {
      entries = wantedEntries(await zipEntries(zip));
    } catch (err) {
      yield unreadable(name, err);
      return;
    }
    for (const entry of entries) {
      const inner = `${name}!${entry.fileName}`;
      // An XML file's place in the file (a parser thread reads and inflates it there), or a zip in turn.
      let found: XmlLocation | ZipBytes;
      try {
        found = isZip(entry) ? await innerZipBytes(zip, bytes, entry) : await entryRange(zip, bytes, entry);
      } catch (err) {
        yield unreadable(inner, err);
        continue;
      }
      if ('kind' in found) yield { file: inner, location: found };
      else yield* zipSources(found, inner);
    }
  } finally {
    zip.close();
  }
}

/**
 * Every XML file inside a streamed zip, in name order: XML entries are cut out in passes over the
 * stream, one pass for each run of entries whose data come one after another (one run when name and
 * stream order agree, as zip tools write them). A zip inside is streamed in turn.
 */
async function* streamedZipSources(zip: StreamedZip, name: string): AsyncGenerator<XmlSource> {
  let entries: yauzl.Entry[];
  try {
    entries = wantedEntries(await streamedZipEntries(zip));
  } catch (err) {
    yield unreadable(name, err);
    return;
  }
  let i = 0;
  while (i < entries.length) {
    const first = entries[i]!;
    if (isZip(first)) {
      yield* streamedZipSources(innerStreamedZip(zip, first), `${name}!${first.fileName}`);
      i++;
      continue;
    }
    let end = i + 1;
    while (end < entries.length && !isZip(entries[end]!) && entries[end]!.relativeOffsetOfLocalHeader > entries[end - 1]!.relativeOffsetOfLocalHeader) end++;
    try {
      for await (const { entry, bytes } of cutEntries(zip, entries.slice(i, end))) {
        i++;
        yield { file: `${name}!${entry.fileName}`, location: { kind: 'zip-bytes', bytes, ...entryFacts(entry) } };
      }
    } catch (err) {
      // The entry the pass failed at is rejected; the next pass starts after it.
      yield unreadable(`${name}!${entries[i]!.fileName}`, err);
      i++;
    }
  }
}

async function* xmlSources(bagDir: string, inputRoot: string): AsyncGenerator<XmlSource> {
  const files = (await listFiles(bagDir)).sort();
  for (const path of files) {
    const file = relName(inputRoot, path);
    const lower = path.toLowerCase();
    if (lower.endsWith('.xml')) yield { file, location: { kind: 'file', path } };
    else if (lower.endsWith('.zip')) yield* zipSources({ path, base: 0, size: null }, file);
  }
}

/**
 * Reads every file of the extract in order (results come out in file order whatever the threads do),
 * in batches. Parsing runs in worker threads (VIB_PARSE_WORKERS, default: one per core; 0 parses in
 * this thread). Never throws for bad content: that becomes rejects.
 */
export async function* readBagBatches(bagDir: string, inputRoot: string, workers = workerCount()): AsyncGenerator<BagItem[]> {
  if (workers === 0) {
    for await (const src of xmlSources(bagDir, inputRoot)) {
      yield* parseFileBatches(xmlChunks(src.location), src.file, classifyBagFile(src.file));
    }
    return;
  }
  yield* parseInWorkers(xmlSources(bagDir, inputRoot), workers);
}

/** {@link readBagBatches} one item at a time. */
export async function* readBag(bagDir: string, inputRoot: string, workers = workerCount()): AsyncGenerator<BagItem> {
  for await (const batch of readBagBatches(bagDir, inputRoot, workers)) yield* batch;
}
