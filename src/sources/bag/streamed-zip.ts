/**
 * A zip that can only be read front to back: one stored compressed inside another zip (the official
 * extract's per-type zips, where the outer zip deflates them). There is no seeking in a deflate
 * stream, so such a zip is read in passes over its bytes instead of into memory:
 *
 * 1. one pass keeps just the tail, where the central directory is, and lists the entries from it
 *    (yauzl parses it, ZIP64 included, from a reader that serves that tail);
 * 2. later passes cut entries out as the bytes stream past: an entry's compressed bytes (small: one
 *    file of 10,000 records) go to a parser thread, a zip inside it is itself a streamed zip.
 *
 * Memory is the tail plus the entries in flight, whatever the zip's size; the price is inflating the
 * outer entry once more per pass (two, when entries come in name order, as zip tools write them).
 */
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { checkedEntryStream, type ZipEntryFacts } from './xml-location.ts';

export interface StreamedZip {
  /** The zip's bytes from the first, anew for each pass (errors, such as a damaged entry, come as the stream's). */
  open(): Readable;
}

/** The central directory is looked for in this much of the end first (it takes about 80 bytes an entry). */
const TAIL = 8 << 20;

/** The facts of an entry that reading it checks. */
export function entryFacts(entry: yauzl.Entry): ZipEntryFacts {
  return { method: entry.compressionMethod, encrypted: entry.isEncrypted(), size: entry.uncompressedSize, crc32: entry.crc32 };
}

/** Reads a stream's bytes forward: skip to an offset, take a number of bytes. */
class ByteCursor {
  private chunk: Buffer = Buffer.alloc(0);
  /** Offset, in the stream, of the next byte. */
  offset = 0;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  private async fill(what: string): Promise<void> {
    while (this.chunk.length === 0) {
      const next = await this.it.next();
      if (next.done) throw new Error(`the zip ends at byte ${this.offset}, inside ${what}`);
      this.chunk = next.value;
    }
  }

  async skipTo(target: number, what: string): Promise<void> {
    if (target < this.offset) throw new Error(`${what} at byte ${target} overlaps the entry before it`);
    while (this.offset < target) {
      await this.fill(what);
      const n = Math.min(this.chunk.length, target - this.offset);
      this.chunk = this.chunk.subarray(n);
      this.offset += n;
    }
  }

  /** The next `n` bytes, in a buffer of their own (so it can be handed to a thread). */
  async take(n: number, what: string): Promise<Uint8Array> {
    const out = new Uint8Array(n);
    for (let k = 0; k < n;) {
      await this.fill(what);
      const m = Math.min(this.chunk.length, n - k);
      out.set(this.chunk.subarray(0, m), k);
      this.chunk = this.chunk.subarray(m);
      this.offset += m;
      k += m;
    }
    return out;
  }

  /** The next `n` bytes as they come (views of the stream's chunks). */
  async *pass(n: number, what: string): AsyncGenerator<Buffer> {
    for (let k = 0; k < n;) {
      await this.fill(what);
      const m = Math.min(this.chunk.length, n - k);
      yield this.chunk.subarray(0, m);
      this.chunk = this.chunk.subarray(m);
      this.offset += m;
      k += m;
    }
  }

  /** Reads the local header of `entry` (from its offset) and stops where its data begin. */
  async toData(entry: yauzl.Entry): Promise<void> {
    const what = `the local header of ${entry.fileName}`;
    await this.skipTo(entry.relativeOffsetOfLocalHeader, what);
    const header = Buffer.from(await this.take(30, what));
    if (header.readUInt32LE(0) !== 0x04034b50) throw new Error(`no local header where the directory puts ${entry.fileName}`);
    await this.skipTo(this.offset + header.readUInt16LE(26) + header.readUInt16LE(28), what);
  }
}

/** Serves yauzl the reads it makes of the kept tail; a read before it says where the tail must start. */
class TailReader extends yauzl.RandomAccessReader {
  wantedFrom: number | null = null;
  constructor(private readonly tail: Buffer, private readonly tailStart: number) { super(); }
  override _readStreamForRange(start: number, end: number): Readable {
    if (start < this.tailStart) {
      this.wantedFrom = Math.min(this.wantedFrom ?? start, start);
      return Readable.from((async function* () { throw new Error('the central directory starts before the bytes kept of it'); })());
    }
    return Readable.from([this.tail.subarray(start - this.tailStart, end - this.tailStart)]);
  }
}

/** One pass: the size of the zip and its last bytes from `keepFrom` (or its last `tailBytes` or more). */
async function tailOf(zip: StreamedZip, keepFrom: number | null, tailBytes: number): Promise<{ size: number; tail: Buffer; tailStart: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  for await (const chunk of zip.open() as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (keepFrom !== null) {
      if (size > keepFrom) { const cut = chunk.subarray(Math.max(0, chunk.length - (size - keepFrom))); chunks.push(cut); kept += cut.length; }
      continue;
    }
    chunks.push(chunk);
    kept += chunk.length;
    while (chunks.length > 1 && kept - chunks[0]!.length >= tailBytes) kept -= chunks.shift()!.length;
  }
  return { size, tail: Buffer.concat(chunks), tailStart: size - kept };
}

/** Every entry of an opened zip (opened with `lazyEntries`), in the order of its directory. */
export function zipEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => { entries.push(e); zip.readEntry(); });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

async function listEntries(reader: TailReader, size: number): Promise<yauzl.Entry[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromRandomAccessReader(reader, size, { lazyEntries: true, autoClose: false }, (err, z) => (err || !z ? reject(err ?? new Error('zip')) : resolve(z))));
  try {
    return await zipEntries(zip);
  } finally {
    zip.close();
  }
}

/**
 * The entries of a streamed zip, from its central directory: one pass keeping `tailBytes` of the end,
 * and a second keeping the whole directory where that was too little.
 */
export async function streamedZipEntries(zip: StreamedZip, tailBytes = TAIL): Promise<yauzl.Entry[]> {
  let keepFrom: number | null = null;
  for (;;) {
    const { size, tail, tailStart } = await tailOf(zip, keepFrom, tailBytes);
    const reader = new TailReader(tail, tailStart);
    try {
      return await listEntries(reader, size);
    } catch (err) {
      if (reader.wantedFrom === null || keepFrom !== null) throw err;
      keepFrom = reader.wantedFrom;
    }
  }
}

/**
 * Cuts `entries` (local headers at increasing offsets) out of one pass over the zip: each entry's
 * compressed bytes as they are stored, in a buffer of their own. An error ends the pass; the entries
 * yielded before it are good.
 */
export async function* cutEntries(zip: StreamedZip, entries: yauzl.Entry[]): AsyncGenerator<{ entry: yauzl.Entry; bytes: Uint8Array }> {
  const stream = zip.open();
  try {
    const cursor = new ByteCursor(stream[Symbol.asyncIterator]());
    for (const entry of entries) {
      await cursor.toData(entry);
      yield { entry, bytes: await cursor.take(entry.compressedSize, `the data of ${entry.fileName}`) };
    }
  } finally {
    stream.destroy();
  }
}

/** A zip stored in a streamed zip is a streamed zip too: each pass streams the outer one to it. */
export function innerStreamedZip(zip: StreamedZip, entry: yauzl.Entry): StreamedZip {
  return {
    open: () => {
      // Opened when first read, so a stream never read (an entry refused before) opens nothing.
      async function* raw(): AsyncGenerator<Buffer> {
        const stream = zip.open();
        try {
          const cursor = new ByteCursor(stream[Symbol.asyncIterator]());
          await cursor.toData(entry);
          yield* cursor.pass(entry.compressedSize, `the data of ${entry.fileName}`);
        } finally {
          stream.destroy();
        }
      }
      return checkedEntryStream(Readable.from(raw(), { objectMode: false }), entryFacts(entry));
    },
  };
}
