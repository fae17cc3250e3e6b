/**
 * Cuts an LVBAG extract file into the text of its `<…:stand>` records without parsing the whole
 * document: a scan for the record's open and close tags, so memory stays bounded by one record and a
 * file of any size streams through. Given a reader, it reads each record as it finds it, which also
 * tells where the record ends (no search for the close tag), wherever that can be told in one pass.
 * The prolog is checked first: any DOCTYPE or entity declaration is refused before a single record
 * is read (no entity is ever expanded).
 */
import { NEAR_END, viewOf, type XmlBytes } from './xml-record.ts';

/** A record longer than this is refused; real records (a Pand with a detailed polygon) stay far below. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const MAX_PROLOG_CHARS = 1024 * 1024;

/**
 * Reads a record in place as it is cut (see `parseRecordAt`): what it reads and where the record
 * ends, or null when the record is to be cut at its end tag first.
 */
export type RecordReader<T> = (bytes: XmlBytes, start: number) => { value: T; end: number } | null;

/**
 * What {@link cutRecordsInto} hands on, as it finds it, in the file's order: the root element's local
 * name, records (read in place by `read` where it can, else cut at their end tag), and records that
 * cannot be cut.
 */
export interface CutSink {
  root(localName: string): void;
  /**
   * Reads the record at `start` in place, as the `position`-th record (1-based), and returns where it
   * ends, or -1 (having taken nothing) where it is to be cut at its end tag and handed to `record`
   * instead. Null: every record is cut.
   */
  read: ((bytes: XmlBytes, start: number, position: number) => number) | null;
  /** A record cut at its end tag: its bytes (a view of the chunk's, valid during the call only). */
  record(xml: Buffer, position: number): void;
  broken(position: number, message: string): void;
}

export type CutEvent<T = never> =
  | { kind: 'root'; localName: string }
  /** A record cut at its end tag: its bytes (a view of the chunk's, not a copy). */
  | { kind: 'record'; position: number; xml: Buffer }
  /**
   * A record the reader read in place while cutting: what it read. No view of its bytes is made (a
   * Buffer view is an object of its own, and nearly every record is read in place).
   */
  | { kind: 'read'; position: number; read: T }
  | { kind: 'broken'; position: number; message: string };

export class HostileXmlError extends Error {
  override readonly name = 'HostileXmlError';
}

const DECLARATION = /<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;
const NOT_DTD = 'contains a DOCTYPE or entity declaration; BAG extracts have none, so the file is refused unread';

/** Refuses DTDs: a DOCTYPE or an ENTITY declaration anywhere is an attack or a mistake, never data. */
function assertNoDtd(text: string): void {
  const i = text.indexOf('<!');
  if (i === -1) return;
  if (DECLARATION.test(text)) throw new HostileXmlError(NOT_DTD);
}

/**
 * Hands the root element's local name, then every record, to `sink` (see {@link CutSink}), and
 * yields (nothing) after each chunk: a chunk's records are handed on before the next chunk is read,
 * and the caller can hand on what it made of them. A record that never closes (a truncated file) is
 * broken, with its position (1-based record number).
 *
 * Only the prolog is decoded to text here (to find the root and the records' tag; the reader reads
 * the records' bytes). Every `<!` in the bytes is looked at once, and a declaration
 * refuses the file (thrown, with the records before it handed on); comments and CDATA pass. What is
 * left of a chunk (part of a record, or a whole one that ends too near the chunk's end to be read in
 * place) is carried over: joined with just the head of the next chunk that completes it (and a little
 * room after it), so a chunk's bytes are not copied again (cutting took 1.50 µs of CPU a record with
 * every chunk copied whole, 1.26 µs without). A record longer than a chunk waits as copies of its
 * chunks, joined once when its end comes (see `CutState.pending`).
 */
export async function* cutRecordsInto(chunks: AsyncIterable<Buffer>, sink: CutSink): AsyncGenerator<void> {
  const st: CutState = { carry: Buffer.alloc(0), pending: [], carriedBytes: 0, rootSeen: false, scan: { openTag: null, closeTag: null, position: 0, sink } };
  for await (const chunk of chunks) {
    cutChunk(chunk, st);
    yield;
  }
  settlePending(st);
  const { carry, scan: s } = st;
  if (!st.rootSeen) throw new HostileXmlError('is empty or has no root element');
  // The file's last records, carried over for want of room after them (see scanRecords), cut here.
  const pos = scanRecords(carry, 0, s, false);
  if (s.openTag !== null && findOpen(carry, s.openTag, pos) !== -1) {
    s.position++;
    sink.broken(s.position, 'file ends inside this record (truncated file)');
  }
}

/**
 * {@link cutRecordsInto} as events, a chunk's as one array (a generator step per record costs a
 * promise per record here and in every reader after; see `readCsvChunks`): the root, then every
 * record, as what `read` read where it read the record in place, else as a view of the file's bytes
 * (valid until the next step), then a broken record where the file is truncated.
 */
export async function* cutRecords<T = never>(chunks: AsyncIterable<Buffer>, read?: RecordReader<T>): AsyncGenerator<CutEvent<T>[]> {
  let out: CutEvent<T>[] = [];
  const sink: CutSink = {
    root: (localName) => { out.push({ kind: 'root', localName }); },
    read: read === undefined ? null : (bytes, start, position) => {
      const r = read(bytes, start);
      if (r === null) return -1;
      out.push({ kind: 'read', position, read: r.value });
      return r.end;
    },
    record: (xml, position) => { out.push({ kind: 'record', position, xml }); },
    broken: (position, message) => { out.push({ kind: 'broken', position, message }); },
  };
  try {
    for await (const _ of cutRecordsInto(chunks, sink)) if (out.length) { yield out; out = []; }
  } catch (err) {
    // The records before a refused declaration are handed on first.
    if (out.length) yield out;
    throw err;
  }
  if (out.length) yield out;
}

interface CutState {
  /** What is left of the chunks so far: the start of a record, or of the prolog. */
  carry: Buffer;
  /**
   * Copies of the chunks after `carry` while it is a record longer than a chunk: kept apart and joined
   * once, when the record's end tag comes (joining them at every chunk made a record of n chunks cost
   * n² / 2 chunks of copying and searching: 5.6 s for a record of 15 MB in chunks of 120 KB).
   */
  pending: Buffer[];
  /** Bytes in `carry` and `pending` together. */
  carriedBytes: number;
  rootSeen: boolean;
  scan: ScanState;
}

/** `pending` joined to `carry`. */
function settlePending(st: CutState): void {
  if (st.pending.length === 0) return;
  st.carry = Buffer.concat([st.carry, ...st.pending]);
  st.pending = [];
}

/** The last `k` bytes of `parts` run together. */
function tailOf(parts: readonly Buffer[], k: number): Buffer {
  const out: Buffer[] = [];
  for (let i = parts.length - 1; i >= 0 && k > 0; i--) {
    const p = parts[i]!;
    const take = Math.min(k, p.length);
    out.unshift(p.subarray(p.length - take));
    k -= take;
  }
  return Buffer.concat(out);
}

/**
 * Whether `chunk` only adds to the record carried (a record that starts the carry, has not ended, and
 * does not end in this chunk, not even with an end tag split between the carry and the chunk), so
 * that it can wait unscanned: scanning it now would find nothing. A record longer than the limit is
 * scanned, which reports it.
 */
function onlyLengthens(st: CutState, chunk: Buffer): boolean {
  const { openTag, closeTag } = st.scan;
  if (openTag === null || closeTag === null || st.carriedBytes + chunk.length > MAX_RECORD_BYTES) return false;
  if (chunk.indexOf(closeTag) !== -1 || findOpen(st.carry, openTag, 0) !== 0) return false;
  const k = closeTag.length - 1;
  return Buffer.concat([tailOf([st.carry, ...st.pending], k), chunk.subarray(0, k)]).indexOf(closeTag) === -1;
}

/** Hands the next chunk's records on. */
function cutChunk(chunk: Buffer, st: CutState): void {
  const s = st.scan;
  if (st.rootSeen && st.carry.length && onlyLengthens(st, chunk)) {
    st.pending.push(Buffer.from(chunk)); // a copy: the source may fill its buffer again
    st.carriedBytes += chunk.length;
    return;
  }
  settlePending(st);
  let bytes = chunk;
  let pos = 0;
  if (st.carry.length && s.closeTag !== null) {
    const close = chunk.indexOf(s.closeTag);
    if (close === -1) bytes = Buffer.concat([st.carry, chunk]); // a record longer than the chunk
    else {
      // The carried record, completed by the head of this chunk up to its first close tag (a
      // close tag split between the two ends the carried record, and the head holds the next
      // one too): the head ends with a close tag, so none of it is left over, and scanning goes
      // on in the chunk itself. Its records are read in place like the chunk's own, with some of
      // the chunk after them for room (see scanRecords), up to the cut. Nothing is left over here
      // (no carryNearEnd: the scan goes on from the cut, so a record left over would be lost).
      const cut = close + s.closeTag.length;
      scanRecords(Buffer.concat([st.carry, chunk.subarray(0, Math.min(chunk.length, cut + 2 * NEAR_END))]), 0, s, true, st.carry.length + cut);
      pos = cut;
    }
  } else if (st.carry.length) bytes = Buffer.concat([st.carry, chunk]);
  if (!st.rootSeen) {
    const text = bytes.toString('latin1', 0, Math.min(bytes.length, MAX_PROLOG_CHARS + 1024));
    const root = findRoot(text);
    if (root === null) {
      if (bytes.length > MAX_PROLOG_CHARS) throw new HostileXmlError('has no root element in its first megabyte');
      st.carry = Buffer.from(bytes);
      return;
    }
    assertNoDtd(text.slice(0, root.index));
    st.rootSeen = true;
    pos = root.index;
    s.sink.root(root.localName);
  }
  if (s.openTag === null) {
    const prefix = recordPrefix(bytes, pos);
    if (prefix !== null) {
      s.openTag = Buffer.from(`<${prefix}stand`, 'latin1');
      s.closeTag = Buffer.from(`</${prefix}stand>`, 'latin1');
    }
  }
  pos = scanRecords(bytes, pos, s, bytes === chunk, bytes.length, bytes === chunk);
  // Keep only what can still start a record: the tail after the last complete one.
  const keep = s.openTag === null ? 64 : s.openTag.length;
  const keepFrom = (s.openTag === null || bytes.indexOf(s.openTag, pos) === -1) && bytes.length - pos > keep ? bytes.length - keep : pos;
  st.carry = Buffer.from(bytes.subarray(keepFrom)); // a copy: the chunk itself can go
  st.carriedBytes = st.carry.length;
}

interface ScanState { openTag: Buffer | null; closeTag: Buffer | null; position: number; sink: CutSink }

/**
 * Hands the complete records of `bytes` from `pos` on to the sink and returns where the first
 * incomplete one starts (or where scanning stopped). A declaration is refused (thrown) before the
 * record holding it, or after it, is handed on.
 *
 * `inPlace`: read each record as it is found (`s.read`), which also tells where it ends, instead of
 * searching for its end tag and parsing it after: one pass over its bytes instead of two (the search
 * took a tenth of a parser thread's time). Also for a record carried over, joined with the head of
 * the next chunk that completes it and some of that chunk after it (the parser reads nothing within
 * NEAR_END of the end of its bytes): then only the records that start before `limit`, where the
 * head ends. Not for bytes joined from more chunks (a record longer than a chunk): those are searched.
 *
 * `carryNearEnd` (a chunk as read): a record the reader gave up on that ends within NEAR_END of the
 * chunk's end is not cut and parsed alone but left over, to be read in place once joined with the
 * next chunk's head. Reading the 1M bench's BAG on one thread, some one record in a hundred was cut
 * so (those near a 120 KB chunk's end), and read in place instead the read took 5.8-5.9 s against
 * 6.1-6.3 (3-4 % less at 100k, runs alternating; forty-fourth session).
 */
function scanRecords(bytes: Buffer, pos: number, s: ScanState, inPlace: boolean, limit = bytes.length, carryNearEnd = false): number {
  const { openTag, closeTag, sink } = s;
  const read = inPlace ? sink.read : null;
  let view: XmlBytes | null = null;
  if (openTag === null || closeTag === null) return pos;
  // The next "<!" not yet looked at.
  let bang = findBang(bytes, pos);
  const checkDeclarations = (upTo: number) => {
    while (bang !== -1 && bang < upTo) {
      if (DECLARATION.test(bytes.toString('latin1', bang, Math.min(bytes.length, bang + 64)))) throw new HostileXmlError(NOT_DTD);
      bang = findBang(bytes, bang + 2);
    }
  };
  for (;;) {
    const start = findOpen(bytes, openTag, pos);
    if (start === -1 || start >= limit) return pos;
    if (read !== null) {
      // A declaration before the record refuses the file before the record is read (a record read
      // in place holds none: the parser gives up on any "<!" in it, and it is cut and searched).
      checkDeclarations(start);
      const end = read((view ??= viewOf(bytes)), start, s.position + 1);
      if (end !== -1) {
        s.position++;
        checkDeclarations(end);
        pos = end;
        continue;
      }
    }
    const end = bytes.indexOf(closeTag, start);
    if (end === -1) {
      if (bytes.length - start > MAX_RECORD_BYTES) {
        s.position++;
        sink.broken(s.position, `record is longer than ${MAX_RECORD_BYTES} bytes; skipped`);
        const next = findOpen(bytes, openTag, start + openTag.length);
        pos = next === -1 ? bytes.length : next;
        continue;
      }
      return start;
    }
    const stop = end + closeTag.length;
    // The parser gave up on a record that ends near the chunk's end for want of room ahead (NEAR_END):
    // carried over, it is read in place with the next chunk's head after it, not parsed alone.
    if (read !== null && carryNearEnd && bytes.length - stop < NEAR_END) return start;
    s.position++;
    checkDeclarations(stop);
    sink.record(bytes.subarray(start, stop), s.position);
    pos = stop;
  }
}

/**
 * The next "<!" from `from` on, or -1. Found by its "!", a byte that records hardly hold: a search
 * for one byte runs at memory speed, while the search for the two-byte string over every byte of the
 * extract took a third as long as the XML parser itself (in a CPU profile of the reader).
 */
function findBang(bytes: Buffer, from: number): number {
  for (let i = bytes.indexOf(33, from + 1); i !== -1; i = bytes.indexOf(33, i + 1)) if (bytes[i - 1] === 60) return i - 1;
  return -1;
}

/**
 * The namespace prefix of the first record's tag (`<sl:stand>` gives "sl:", `<stand>` ""), or null
 * when no record starts in buf after `from`.
 */
function recordPrefix(buf: Buffer, from: number): string | null {
  for (let i = buf.indexOf('stand', from); i !== -1; i = buf.indexOf('stand', i + 1)) {
    const after = buf[i + 5];
    if (!(after === 62 || after === 32 || after === 9 || after === 10 || after === 13)) continue;
    let lt = i - 1;
    if (buf[lt] === 58 /* : */) {
      // A prefix: name characters back to "<", starting with a letter or "_".
      lt--;
      while (lt >= from && /[\w.-]/.test(String.fromCharCode(buf[lt]!))) lt--;
      if (!/[A-Za-z_]/.test(String.fromCharCode(buf[lt + 1] ?? 0))) continue;
    }
    if (lt >= from && buf[lt] === 60 /* < */) return buf.toString('latin1', lt + 1, i);
  }
  return null;
}

const isSpace = (c: number | undefined) => c === 32 || c === 9 || c === 10 || c === 13;

/** The next record's open tag (`<sl:stand` followed by white space or ">"), or -1. */
function findOpen(buf: Buffer, openTag: Buffer, from: number): number {
  // The usual case, looked at in place: the next record starts after the last one and some white
  // space (which holds no "<", so indexOf would find the same). A native search for every record
  // cost more in the call than in the search.
  let i = from;
  while (isSpace(buf[i])) i++;
  let k = 0;
  while (k < openTag.length && buf[i + k] === openTag[k]) k++;
  if (k === openTag.length) {
    const c = buf[i + k];
    if (c === 62 /* > */ || isSpace(c)) return i;
    if (c === undefined) return -1; // tag cut at the chunk boundary: wait for more
  }
  for (i = buf.indexOf(openTag, from); i !== -1; i = buf.indexOf(openTag, i + 1)) {
    const c = buf[i + openTag.length];
    if (c === 62 /* > */ || isSpace(c)) return i;
    if (c === undefined) return -1;
  }
  return -1;
}

function findRoot(buf: string): { index: number; localName: string } | null {
  const re = /<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/g;
  // Skip comments and processing instructions before the root.
  let i = 0;
  for (;;) {
    const lt = buf.indexOf('<', i);
    if (lt === -1) return null;
    if (buf.startsWith('<?', lt)) { const e = buf.indexOf('?>', lt); if (e === -1) return null; i = e + 2; continue; }
    if (buf.startsWith('<!--', lt)) { const e = buf.indexOf('-->', lt); if (e === -1) return null; i = e + 3; continue; }
    if (buf.startsWith('<!', lt)) {
      // A DOCTYPE before the root: refuse now, before looking further.
      assertNoDtd(buf.slice(lt, lt + 64));
      i = lt + 2;
      continue;
    }
    re.lastIndex = lt;
    const m = re.exec(buf);
    if (!m || m.index !== lt) return null;
    // The name may be cut by the chunk's end, also just after its prefix's colon: wait for more.
    const after = buf[lt + m[0].length];
    if (after === undefined || after === ':') return null;
    return { index: lt, localName: m[2]! };
  }
}
