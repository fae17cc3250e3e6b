/**
 * Where the XML of one file of the extract is, as plain data that a parser thread can be sent: a file
 * on disk, an entry of a zip on disk (a byte range of the file: the zip's own file or an outer zip it
 * is stored in), or an entry's compressed bytes in memory (cut from a zip that can only be streamed,
 * `streamed-zip.ts`).
 * `openXml` turns any of them into a stream of the XML's bytes, so a parser thread inflates a zip's
 * entries itself: the loading thread neither inflates nor holds whole files.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createInflateRaw, crc32 } from 'node:zlib';

/** An entry of a zip, as its central directory describes it. */
export interface ZipEntryFacts {
  /** 0 stored, 8 deflated (the methods zips of the extract use; any other is refused when read). */
  method: number;
  encrypted: boolean;
  /**
   * The size of the XML and its CRC-32, checked as it is read: a damaged entry ends in an error (the
   * file's reject), also where the damage left well-formed XML that no parser would notice.
   */
  size: number;
  crc32: number;
}

export type XmlLocation =
  | { kind: 'file'; path: string }
  /** A file (a zip, or an entry of one) that could not be opened: read as an error saying why. */
  | { kind: 'unreadable'; message: string }
  | ({ kind: 'zip-range'; path: string; start: number; compressedSize: number } & ZipEntryFacts)
  | ({ kind: 'zip-bytes'; bytes: Uint8Array } & ZipEntryFacts);

/**
 * Bytes read (or inflated) at a time: 120 KB, below V8's largest regular object (128 KB). Chosen when
 * the parser read each chunk as one latin1 string (until the thirty-ninth session; it now reads texts
 * as bytes); a string of 128 KB or more goes to V8's large-object space
 * (from about 1 MB, node makes it an external string in memory of its own), fresh memory for every
 * chunk that the kernel maps page by page and the collector then has to sweep. With 1 MB chunks,
 * reading the 1M bench's BAG on two parser threads took 13.6-15.7 s (21-24 s of user CPU, 4.8-5.3 s
 * of system CPU, 360-420 thousand page faults); with 120 KB chunks and the smaller batches of
 * `parse-worker.ts`, 9.4-9.9 s (14.4-15.5 s user, 3.2-3.4 system, 130-150 thousand faults). More chunks
 * leave more records across a chunk's end, cut and parsed on their own: one VBO in fifty here.
 */
const CHUNK = 120 * 1024;

/**
 * Bytes a zip entry is inflated into at a time, handed on in chunks of {@link CHUNK} (views of it, so
 * the parser's strings stay below 128 KB). zlib's stream inflates each output buffer on libuv's thread
 * pool and hands it back to the reading thread, a thread switch or two each; eight times fewer
 * buffers took the system CPU of reading the 1M bench's BAG from the official zip (outer zip
 * deflated) from 2.19 to 1.15 s (medians of eight runs each, alternating; all threads' CPU 27.2 and
 * 27.0 s, within the noise; thirty-sixth session). Inflating whole entries on the parser thread
 * (`inflateRawSync` into a buffer of the entry's size) saved the switches but cost as much in fresh
 * pages, one 15 MB buffer an entry.
 */
const INFLATED_CHUNK = 8 * CHUNK;

/** A stream that fails when first read: opening problems become the file's reject, not a crash. */
function failing(message: string): Readable {
  return Readable.from((async function* () { throw new Error(message); })());
}

/** The entry's bytes as they come out of `raw`, inflated where deflated, with their size and CRC checked. */
export function checkedEntryStream(raw: Readable, entry: ZipEntryFacts): Readable {
  if (entry.encrypted) { raw.destroy(); return failing('the zip entry is encrypted'); }
  if (entry.method !== 0 && entry.method !== 8) { raw.destroy(); return failing(`the zip entry uses compression method ${entry.method}; only stored and deflated are read`); }
  let data: Readable = raw;
  if (entry.method === 8) {
    const inflate = createInflateRaw({ chunkSize: INFLATED_CHUNK });
    raw.on('error', (err) => inflate.destroy(err));
    inflate.on('close', () => raw.destroy());
    data = raw.pipe(inflate);
  }
  async function* checked(): AsyncGenerator<Buffer> {
    let n = 0;
    let crc = 0;
    for await (const chunk of data as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > entry.size) throw new Error(`the zip entry holds more than the ${entry.size} bytes its directory gives`);
      crc = crc32(chunk, crc);
      if (chunk.length <= CHUNK) yield chunk;
      else for (let i = 0; i < chunk.length; i += CHUNK) yield chunk.subarray(i, Math.min(i + CHUNK, chunk.length));
    }
    if (n !== entry.size) throw new Error(`the zip entry holds ${n} bytes, not the ${entry.size} its directory gives (truncated?)`);
    if (crc >>> 0 !== entry.crc32 >>> 0) throw new Error('the zip entry is damaged (its CRC-32 does not match)');
  }
  return Readable.from(checked(), { objectMode: false });
}

/**
 * A file's bytes, read in the calling thread with plain blocking reads: for a parser thread, which
 * has nothing else to do meanwhile. A read stream hands every read to libuv's thread pool and every
 * chunk through the stream's machinery, a thread switch or two a chunk: reading the 1M bench's BAG
 * (2.5M records, 3.6 GB) on two parser threads took 8.0-8.3 s and 15.4-15.7 s of CPU with read
 * streams, 6.9-7.0 s and 13.6-13.7 s with these reads (three runs each, interleaved).
 *
 * Every chunk is read into the same buffer: a chunk's bytes hold only until the next chunk is asked
 * for, which is all `cutRecords` needs (it copies what it keeps, and a chunk's records
 * are parsed before the next chunk is read). A fresh buffer a chunk is memory to allocate, fault in
 * and collect again: the 1M bench's BAG on two parser threads, eight runs each interleaved
 * (thirty-first session), 7.44 s and 14.2 s of CPU (2.2 s of it in the kernel) with fresh buffers,
 * 6.95 s and 13.3 s (1.9 s) refilling one. Zip entries still stream: their bytes are inflated as they
 * come.
 */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) return;
      yield n === CHUNK ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The XML's bytes, for the thread that parses them: a file is read with blocking reads into one
 * buffer, refilled for every chunk ({@link fileChunks}; nothing is opened until the first chunk is
 * asked for), so a chunk's bytes hold only until the next one is asked for; anything else as
 * {@link openXml} streams it. Errors come as the iteration's error.
 */
export function xmlChunks(loc: XmlLocation): AsyncIterable<Buffer> {
  return loc.kind === 'file' ? fileChunks(loc.path) : (openXml(loc) as AsyncIterable<Buffer>);
}

/** The XML's bytes. Errors (a missing file, a damaged entry) come as the stream's error. */
export function openXml(loc: XmlLocation): Readable {
  switch (loc.kind) {
    case 'file':
      // A stream may hold chunks until they are read, so not fileChunks' one buffer.
      return createReadStream(loc.path, { highWaterMark: CHUNK });
    case 'unreadable':
      return failing(loc.message);
    case 'zip-range':
      return checkedEntryStream(loc.compressedSize === 0
        ? Readable.from([])
        : createReadStream(loc.path, { start: loc.start, end: loc.start + loc.compressedSize - 1, highWaterMark: CHUNK }), loc);
    case 'zip-bytes':
      return checkedEntryStream(Readable.from([Buffer.from(loc.bytes.buffer, loc.bytes.byteOffset, loc.bytes.byteLength)]), loc);
  }
}
