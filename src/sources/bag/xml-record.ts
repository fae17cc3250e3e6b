/**
 * A small, strict XML parser for one extract record (`<sl:stand>…</sl:stand>`): elements by local
 * name, their text, no attributes kept. It checks what makes XML well-formed for this purpose (tags
 * balanced and properly named, attributes quoted, only the predefined and numeric character
 * references) and refuses any DTD.
 *
 * It reads the record's UTF-8 bytes, not a decoded string: one pass over a byte array, where each
 * byte costs a fraction of what a string's character does, and only texts become strings (the few
 * with non-ASCII bytes decoded as UTF-8). Tag names are read once per distinct name and found again
 * by a hash of their bytes. Markup met before after the same tag (see `Run`) is compared as a whole
 * and done as last time. Measured on LVBAG VBO records (the bench's `read+parse` stage) this is what
 * lets a national extract be read in minutes.
 */
export interface XmlElement {
  /** Local name (namespace prefix dropped: files do not always use the same prefixes). */
  name: string;
  children: XmlElement[];
  /**
   * The text, where it is not a span (see `ts`); read it by {@link textOf} or {@link fullText}.
   */
  text: string;
  /**
   * A plain text (one piece of ASCII without character references, what nearly every text of the
   * extract is) is not made a string by the parser: it is `src.b[ts, te)` (`ts` -1: no span), for
   * the reader to hand on as bytes or make a string of where it needs one.
   */
  ts: number;
  te: number;
  src: XmlBytes | null;
}

export class XmlRecordError extends Error {
  override readonly name = 'XmlRecordError';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The line of `at`, counted from the record's start at `from`. */
function lineOf(b: Uint8Array, from: number, at: number): number {
  let n = 1;
  for (let j = from; j < at; j++) if (b[j] === 10) n++;
  return n;
}

/** A text with its character references replaced (after UTF-8 decoding: a reference is a character, not a byte). */
function decodeReferences(s: string, b: Uint8Array, from: number, at: number): string {
  return s.replace(/&([^;&\s]*);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw new XmlRecordError(`bare "&" at line ${lineOf(b, from, at)}`);
    if (ent in ENTITIES) return ENTITIES[ent]!;
    const num = /^#(\d+)$/.exec(ent) ?? /^#x([0-9a-fA-F]+)$/.exec(ent);
    if (num) {
      const code = parseInt(num[1]!, ent[1] === 'x' ? 16 : 10);
      if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    }
    throw new XmlRecordError(`unknown entity "&${ent};" at line ${lineOf(b, from, at)}`);
  });
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/**
 * 1 for the bytes a tag name may hold after its first (letters, digits, _ - . :), by byte value: one
 * load instead of five range checks, on most of a record's bytes.
 */
const NAME_CHAR = new Uint8Array(256);
for (let c = 0; c < 256; c++) NAME_CHAR[c] = (c >= 48 && c <= 58) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46 ? 1 : 0;

function isNameChar(c: number): boolean {
  return NAME_CHAR[c] === 1;
}

/**
 * A tag name, its local part and its bytes; whether the last `ignore` set seen holds its local part;
 * and the start tags that last came right after this one's start and after its end.
 */
interface TagName {
  qname: string; local: string; bytes: Uint8Array; length: number; words: Float64Array; w0: number; w1: number; w2: number; last: number; ignoreSet: ReadonlySet<string> | null; ignored: boolean;
  afterStart: TagName | null; afterEnd: TagName | null;
  /** The markup runs that last followed this tag's start and its end (see {@link Run}). */
  runAfterStart: Run | null; runAfterEnd: Run | null;
  /** As a record's tag: the records of it read before, as their runs (see {@link Step}). */
  learnt: Learnt | null;
}
const tagNames = new Map<number, TagName[]>();
let tagNameCount = 0;
/** Bounded: a hostile file could name every element differently. */
const MAX_TAG_NAMES = 4096;

/**
 * The name's bytes eight at a time, as doubles (little-endian), as `sameName` reads the record. Two
 * doubles are equal exactly when their bits are, except NaNs (never equal) and the two zeros (equal
 * to each other): a tag name's bytes are ASCII letters, digits and ". - _ :", so its doubles are
 * neither (a NaN needs 0x7f or 0xff in its last byte, a zero all bytes 0 but the sign), and a
 * record's bytes that are such a double never equal one of them, as they should not.
 */
function wordsOf(name: Uint8Array): Float64Array {
  const dv = new DataView(name.buffer, name.byteOffset, name.byteLength);
  return Float64Array.from({ length: name.length >> 3 }, (_, i) => dv.getFloat64(i * 8, true));
}

/**
 * The name's last eight bytes as a double, where it has eight or more (they overlap its last word
 * where its length is not a multiple of eight); else 0, which no ASCII name's bytes make.
 */
function lastOf(name: Uint8Array): number {
  return name.length >= 8 ? new DataView(name.buffer, name.byteOffset + name.length - 8, 8).getFloat64(0, true) : 0;
}

/**
 * Whether the record holds the tag name `t` at `at` (`at + t.length` within the record): eight
 * bytes a load through the record's DataView (the first three words kept in fields of the name's own,
 * not read from its array), the name's tail as the eight bytes that end it (overlapping its last
 * word), a name shorter than eight byte by byte. Tags are most of a record's bytes (1,316 of a bench
 * VBO's 1,519), and each name is compared twice (start and end tag): parsing LVBAG records took 7-8 %
 * less time eight bytes a load than four, and the tail as one load instead of four bytes and then one
 * at a time took the tail from a third of this function's time to a ninth (thirtieth session, line
 * ticks of a CPU profile).
 */
function sameName(dv: DataView, b: Uint8Array, at: number, t: TagName): boolean {
  const len = t.length;
  if (len < 8) {
    const name = t.bytes;
    for (let k = 0; k < len; k++) if (b[at + k] !== name[k]) return false;
    return true;
  }
  // The first three words from fields of their own (LVBAG's names have four at most).
  if (dv.getFloat64(at, true) !== t.w0) return false;
  if (len >= 16 && dv.getFloat64(at + 8, true) !== t.w1) return false;
  if (len >= 24 && dv.getFloat64(at + 16, true) !== t.w2) return false;
  if (len >= 32) {
    const w = t.words;
    for (let i = 3, k = 24; i < w.length; i++, k += 8) if (dv.getFloat64(at + k, true) !== w[i]) return false;
  }
  return (len & 7) === 0 || dv.getFloat64(at + len - 8, true) === t.last;
}

/**
 * The same characters as an internalized string (V8 keeps one copy of each property name, and of
 * each string literal): element names, compared with the callers' literals by `child` a dozen
 * times a record, are then told apart by pointer instead of by their characters.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0]!;
}

/** The tag name in buf[start, end) (`dv` a view of buf), whose bytes hash to h. */
function tagName(dv: DataView, buf: Buffer, start: number, end: number, h: number): TagName {
  const bucket = tagNames.get(h);
  if (bucket) for (const t of bucket) if (t.length === end - start && sameName(dv, buf, start, t)) return t;
  const qname = buf.toString('latin1', start, end);
  const colon = qname.lastIndexOf(':');
  const bytes = Uint8Array.from(buf.subarray(start, end));
  const words = wordsOf(bytes);
  const t: TagName = {
    qname, local: internalized(colon === -1 ? qname : qname.slice(colon + 1)), bytes, length: bytes.length,
    words, w0: words[0] ?? 0, w1: words[1] ?? 0, w2: words[2] ?? 0, last: lastOf(bytes),
    ignoreSet: null, ignored: false, afterStart: null, afterEnd: null, runAfterStart: null, runAfterEnd: null, learnt: null,
  };
  if (tagNameCount < MAX_TAG_NAMES) {
    tagNameCount++;
    if (bucket) bucket.push(t);
    else tagNames.set(h, [t]);
  }
  return t;
}

/** End of the name that starts at i (i itself when none does). */
function nameEnd(b: Uint8Array, i: number, end: number): number {
  if (i >= end || !isNameStart(b[i]!)) return i;
  let j = i + 1;
  while (j < end && isNameChar(b[j]!)) j++;
  return j;
}

/** Shared by every element without children until its first child arrives (most elements are leaves). */
const NO_CHILDREN = Object.freeze([]) as unknown as XmlElement[];

const ROOT_TAG: TagName = { qname: '', local: '', bytes: new Uint8Array(0), length: 0, words: new Float64Array(0), w0: 0, w1: 0, w2: 0, last: 0, ignoreSet: null, ignored: false, afterStart: null, afterEnd: null, runAfterStart: null, runAfterEnd: null, learnt: null };

/**
 * Whether none of the four bytes in `v` (a word of a text) is "<" (0x3c), "&" (0x26) or above 127.
 * A byte of `x` is zero exactly where `(x - 0x01010101) & ~x` sets the byte's top bit, as long as no
 * byte of `x` is above 127 (the first test rules that out for `v`, so for its XORs too). Reading a
 * text four bytes a load instead of one took a tenth off the parser's own time (forty-third session,
 * CPU profiles of the 1M bench's BAG read in one thread).
 */
function plainWord(v: number): boolean {
  const lt = v ^ 0x3c3c3c3c, amp = v ^ 0x26262626;
  return ((v | ((lt - 0x01010101) & ~lt) | ((amp - 0x01010101) & ~amp)) & 0x80808080) === 0;
}

/** Eight spaces as a double (as `sameName` reads a name: a normal number, neither a NaN nor a zero). */
const EIGHT_SPACES = new DataView(new Uint8Array(8).fill(32).buffer).getFloat64(0, true);

/** Where {@link parseRecordAt} stops reading: this many bytes before the end of its bytes. */
export const NEAR_END = 1024;

/** Stands in for every element inside an ignored one: never read, never changed. */
const IGNORED: XmlElement = { name: '#ignored', children: NO_CHILDREN, text: '', ts: -1, te: -1, src: null };
const NOTHING_IGNORED: ReadonlySet<string> = new Set();

/**
 * Parses one record from its UTF-8 bytes (a string is encoded first); throws {@link XmlRecordError}
 * with a line number (counted from the record's start) when it is not well-formed.
 *
 * `ignore`: local names of elements the caller never reads. They and everything inside them are
 * checked as strictly as the rest but left out of the tree: no element, no text.
 */
export function parseXmlRecord(xml: Uint8Array | string, ignore: ReadonlySet<string> = NOTHING_IGNORED): XmlElement {
  const b: Buffer = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : Buffer.isBuffer(xml) ? xml : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
  return parse(viewOf(b), 0, ignore, false)!;
}

/** Bytes as the parser reads them: one by one, and eight at a time (`dv`). */
export interface XmlBytes { b: Buffer; dv: DataView }

/** The parser's view of a buffer. */
export function viewOf(b: Buffer): XmlBytes {
  return { b, dv: new DataView(b.buffer, b.byteOffset, b.length) };
}

/** Adds `s` to the element's text (a span, where it is one, first becomes a string). */
function appendText(el: XmlElement, s: string): void {
  if (el.ts !== -1) {
    el.text = el.src!.b.toString('latin1', el.ts, el.te);
    el.ts = -1;
    el.src = null;
  }
  el.text += s;
}

/**
 * Parses the record that starts at `start` in `bytes` (a chunk of a file, holding more records) and
 * finds where it ends, in one pass: the element starting there, and the offset just past its end tag.
 * Null where that cannot be told in one pass: the element does not end within the bytes, or is not
 * well-formed (the caller then cuts the record at its end tag and parses it alone, which gives the
 * error with its line), or holds what could hide an end tag of its own name from the parser but not
 * from a search for it: a comment, CDATA, a processing instruction or a declaration, an element of
 * the same name inside, or an end tag with white space before its ">". So where this succeeds,
 * the record ends where the first end tag of its name does, as a cutter searching for it finds.
 *
 * The element is read before the next call, not kept: a record of a shape met before gets the tree
 * of the last such record again, its texts replaced (see {@link Step}).
 */
export function parseRecordAt(bytes: XmlBytes, start: number, ignore: ReadonlySet<string>): { element: XmlElement; end: number } | null {
  try {
    const element = parse(bytes, start, ignore, true);
    return element && { element, end: parsedEnd };
  } catch (err) {
    if (err instanceof XmlRecordError) return null;
    throw err;
  }
}

/** Where the last record `parse` read to its end (with `untilRootEnd`) ended. */
let parsedEnd = 0;

/** What a tag of a {@link Run} does: opens an element, closes the innermost one, or is an empty element. */
const START = 0, END = 1, EMPTY = 2;

/**
 * A run of markup as the parser last met it after a tag: tags, and the white space between them, up
 * to the next text (or the record's end). Records of one kind repeat their markup, only their texts
 * differ: where the bytes after that tag are the run's again, byte for byte (compared eight at a
 * load), the parser does what the run's tags did last time (checking each end tag against the open
 * element, as it would) instead of reading them one by one.
 */
interface Run {
  len: number;
  /** The run's bytes as doubles, eight at a time, and its last eight bytes (see `sameName`). */
  words: Float64Array;
  last: number;
  tags: TagName[];
  kinds: Uint8Array;
  /** The record's own tag when the run was read (a run holds no element of that name). */
  recordTag: TagName;
  /** Whether the run ended the record (else a text followed it). */
  ends: boolean;
  /** Another run met after the same tag (records of one kind differ in an optional element or two). */
  next: Run | null;
}

/** Runs kept for one tag: the most recently met first. */
const MAX_RUNS = 4;

/**
 * Whether a run of these bytes can be compared as doubles: printable ASCII and white space only, so
 * that no eight of them make a NaN or a zero (see `wordsOf`).
 */
function plainBytes(b: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) { const c = b[k]!; if (c > 126 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) return false; }
  return true;
}

/** The runs met after `key`'s start (or its end), the most recently met first. */
function runsAfter(key: TagName, ended: boolean): Run | null {
  return ended ? key.runAfterEnd : key.runAfterStart;
}

function setRunsAfter(key: TagName, ended: boolean, first: Run): void {
  if (ended) key.runAfterEnd = first;
  else key.runAfterStart = first;
}

/**
 * Keeps the run read from `start` to `end` as the first of those met after `key` (its start or end);
 * `tags` and `kinds` (the recording's own arrays) become the run's.
 */
function keepRun(b: Buffer, start: number, end: number, key: TagName, keyEnded: boolean, tags: TagName[], kinds: number[], recordTag: TagName, ends: boolean): void {
  const len = end - start;
  if (len < 8 || tags.length === 0 || !plainBytes(b, start, end)) return;
  const bytes = b.subarray(start, end);
  const run: Run = { len, words: wordsOf(bytes), last: lastOf(bytes), tags, kinds: Uint8Array.from(kinds), recordTag, ends, next: runsAfter(key, keyEnded) };
  // Drop the least recently met beyond MAX_RUNS.
  let r: Run = run;
  for (let k = 1; k < MAX_RUNS && r.next !== null; k++) r = r.next;
  r.next = null;
  setRunsAfter(key, keyEnded, run);
}

/**
 * The run met after `key`'s start (or end) whose bytes the record holds at `at`, moved to the front of
 * those kept; null where none is. A run must end NEAR_END before the bytes do (as any tag read there
 * must) and have been met in a record of the same tag. A run that a text followed is not one where
 * the record goes on with markup right after it: `</a><b>` kept where `</a><b>x` was met is a prefix
 * of `</a><b><c>y`, and taken there it would leave the rest to be read tag by tag and not kept (so
 * records of that shape would never be read by runs alone, nor learnt as steps).
 */
function matchingRun(dv: DataView, at: number, n: number, key: TagName, keyEnded: boolean, recordTag: TagName): Run | null {
  let run = runsAfter(key, keyEnded);
  let before: Run | null = null;
  while (run !== null && !(run.recordTag === recordTag && n - (at + run.len) >= NEAR_END && (run.ends || dv.getUint8(at + run.len) !== 60) && sameRun(dv, at, run))) { before = run; run = run.next; }
  if (run !== null && before !== null) {
    before.next = run.next;
    run.next = runsAfter(key, keyEnded);
    setRunsAfter(key, keyEnded, run);
  }
  return run;
}

/** Whether the record holds `run`'s bytes at `at` (`at + run.len` within the record). */
function sameRun(dv: DataView, at: number, run: Run): boolean {
  const w = run.words;
  for (let q = 0, k = at; q < w.length; q++, k += 8) if (dv.getFloat64(k, true) !== w[q]) return false;
  return (run.len & 7) === 0 || dv.getFloat64(at + run.len - 8, true) === run.last;
}

/** Whether runs and steps (see Step) are used: tests compare the parser with and without them. */
const using = { runs: true, steps: true };

/** `f()` with the parser not using `what` (for tests: it must change nothing). */
function without<T>(what: keyof typeof using, f: () => T): T {
  using[what] = false;
  try {
    return f();
  } finally {
    using[what] = true;
  }
}

/** `f()` with the parser reading no record by steps. */
export function withoutSteps<T>(f: () => T): T {
  return without('steps', f);
}

/** `f()` with the parser reading every tag one by one. */
export function withoutRuns<T>(f: () => T): T {
  return without('runs', f);
}

/**
 * A record read before, as the runs it was read by (see {@link Run}): every record of a kind that
 * starts with the same runs, one after each text, is the same tree but for its texts. Where a record
 * is read by runs alone (no tag read one by one, a text after every run but the last), its runs are
 * kept as a path of steps from its tag, with the tree it came to at the path's end and the element
 * each of its texts went into. A later record whose runs follow the path to that end is the same tree:
 * it gets that tree again, its texts put in place, with no element made and no tag of a run done
 * (which make a third of the parser's work on a record read by runs).
 *
 * A record is checked as it would be otherwise: its runs' bytes are compared as always, and its runs
 * done from the same start do the same (so what they checked when the path was learnt holds). Where
 * it leaves the path (another run, a tag read one by one, a blank where a text was), it is read the
 * usual way from its start. So the tree {@link parseRecordAt} gives is valid until its next call.
 */
interface Step {
  run: Run;
  /** The steps met after this one (after the text that follows this run). */
  next: Step[];
  /** Where this run ended the record: its tree, and the element each of its texts went into, in order. */
  done: { element: XmlElement; slots: XmlElement[] } | null;
}

/** The steps learnt from records of a tag, read with `ignore` (another set: they are learnt anew). */
interface Learnt { ignore: ReadonlySet<string>; steps: Step[]; count: number }

/**
 * Bounded, all tags together: a hostile file could give every record a shape of its own. And the
 * steps after one step, which a record tries one by one: records of a kind differ in an optional
 * element or two, not in dozens.
 */
const MAX_STEPS = 4096;
const MAX_BRANCHES = 16;
let stepCount = 0;

/**
 * The elements the texts of the last record went into (read by steps, or learnt): their spans are
 * let go of before the next record is read, so that the trees kept hold no chunk of a file.
 */
let heldSlots: XmlElement[] | null = null;

function letGoOfTexts(): void {
  if (heldSlots === null) return;
  for (const el of heldSlots) if (el !== IGNORED) { el.text = ''; el.ts = -1; el.te = -1; el.src = null; }
  heldSlots = null;
}
/** Most texts a record read by its steps may hold (where it holds more, it is read the usual way). */
const MAX_TEXTS = 256;
/** The texts of the record being read by its steps: where each is, and whether it has bytes above 127 (1) or a "&" (2). */
const textStart = new Int32Array(MAX_TEXTS);
const textEnd = new Int32Array(MAX_TEXTS);
const textMarks = new Uint8Array(MAX_TEXTS);
const HIGH = 1, AMP = 2;

/** Keeps a record read by runs alone (`runs`, and the element each text went into) as a path of `tag`'s steps. */
function learnSteps(tag: TagName, ignore: ReadonlySet<string>, runs: readonly Run[], slots: XmlElement[], element: XmlElement): void {
  heldSlots = slots;
  if (tag.learnt?.ignore !== ignore) {
    stepCount -= tag.learnt?.count ?? 0;
    tag.learnt = { ignore, steps: [], count: 0 };
  }
  const learnt = tag.learnt;
  let list = learnt.steps;
  let step: Step | null = null;
  for (const run of runs) {
    step = null;
    for (let q = 0; q < list.length; q++) if (sameRunBytes(list[q]!.run, run)) { step = list[q]!; break; }
    if (step === null) {
      if (stepCount >= MAX_STEPS || list.length >= MAX_BRANCHES) return;
      stepCount++;
      learnt.count++;
      step = { run, next: [], done: null };
      list.push(step);
    }
    list = step.next;
  }
  if (step !== null) step.done = { element, slots };
}

/**
 * Whether two runs are of the same bytes: a run after a tag that is dropped (see MAX_RUNS) and met
 * again is kept anew, as another object; steps are the same steps.
 */
function sameRunBytes(a: Run, c: Run): boolean {
  if (a === c) return true;
  if (a.len !== c.len || a.last !== c.last || a.recordTag !== c.recordTag) return false;
  for (let q = 0; q < a.words.length; q++) if (a.words[q] !== c.words[q]) return false;
  return true;
}

/**
 * Where the white space from `i` ends: a loop of its own (indented files hold more white space than
 * text), spaces eight at a load where a run of them is that long (Kadaster's files indent every
 * element by four a level).
 */
function spaceEnd(b: Buffer, dv: DataView, i: number, n: number): number {
  let j = i;
  while (j < n && isSpace(b[j]!)) {
    j++;
    while (j + 8 <= n && dv.getFloat64(j, true) === EIGHT_SPACES) j += 8;
  }
  return j;
}

/**
 * Where the text from `i` (not "<", not white space) ends, with its marks (HIGH, AMP) in `marks[0]`:
 * four bytes a load while none of them is "<", "&" or above 127 (see plainWord), then the bytes of
 * the word that ends the text one by one.
 */
function textEndAt(b: Buffer, dv: DataView, i: number, n: number, marks: Uint8Array): number {
  let j = i;
  let m = 0;
  while (j + 4 <= n && plainWord(dv.getInt32(j, true))) j += 4;
  for (; j < n; j++) {
    const c = b[j]!;
    if (c === 60) break;
    if (c >= 128) m |= HIGH;
    else if (c === 38) m |= AMP;
  }
  marks[0] = m;
  return j;
}
const markOut = new Uint8Array(1);

/**
 * Reads the record at `start` by the steps of the last record's tag (see {@link Step}): its tree
 * (`parsedEnd` set), null where {@link parseRecordAt} gives up on it, or undefined where it leaves
 * the steps (then it is read the usual way).
 */
function parseBySteps(bytes: XmlBytes, start: number, ignore: ReadonlySet<string>): XmlElement | null | undefined {
  const { b, dv } = bytes;
  const n = b.length;
  letGoOfTexts();
  const tag = ROOT_TAG.afterStart; // the tag of the last record read
  if (tag === null || tag.learnt?.ignore !== ignore || b[start] !== 60) return undefined;
  let i = start + 1 + tag.length;
  if (i >= n || b[i] !== 62 || !sameName(dv, b, start + 1, tag)) return undefined;
  i = spaceEnd(b, dv, i + 1, n);
  let list = tag.learnt.steps;
  let texts = 0;
  for (;;) {
    const lt = i;
    if (lt >= n || b[lt] !== 60) return undefined;
    if (n - lt < NEAR_END) return null;
    // The step whose run the record holds here (as `matchingRun` finds a run after a tag: where
    // a text followed the run, not where the record goes on with markup).
    let step: Step | null = null;
    for (let q = 0; q < list.length; q++) {
      const s = list[q]!, r = s.run;
      if (n - (lt + r.len) >= NEAR_END && (r.ends || b[lt + r.len] !== 60) && sameRun(dv, lt, r)) { step = s; break; }
    }
    if (step === null) return undefined;
    const run = step.run;
    i = lt + run.len;
    if (step.done !== null) {
      const { element, slots } = step.done;
      if (slots.length !== texts) return undefined; // learnt from a record with a text before its first run
      heldSlots = slots; // first: a text that throws leaves those before it in place
      for (let t = 0; t < texts; t++) putText(bytes, start, slots[t]!, textStart[t]!, textEnd[t]!, textMarks[t]!);
      parsedEnd = i;
      return element;
    }
    // A text follows every run but the record's last.
    const ts = i;
    const k = spaceEnd(b, dv, ts, n);
    if (k >= n) return null; // the bytes end inside the record
    if (b[k] === 60 || texts === MAX_TEXTS) return undefined; // a blank where a text was
    const j = textEndAt(b, dv, k, n, markOut);
    if (j >= n) return null;
    textStart[texts] = ts;
    textEnd[texts] = j;
    textMarks[texts] = markOut[0]!;
    texts++;
    i = j;
    list = step.next;
  }
}

/** Puts the text b[i, j) (with `marks`) into `into`, as the parser does with a text it meets. */
function putText(bytes: XmlBytes, start: number, into: XmlElement, i: number, j: number, marks: number): void {
  const b = bytes.b;
  const high = (marks & HIGH) !== 0, amp = (marks & AMP) !== 0;
  if (into === IGNORED) {
    if (amp) decodeReferences(b.toString(high ? 'utf8' : 'latin1', i, j), b, start, i); // checked all the same
  } else if (!high && !amp && into.ts === -1 && into.text === '') {
    into.ts = i;
    into.te = j;
    into.src = bytes;
  } else {
    const raw = b.toString(high ? 'utf8' : 'latin1', i, j);
    appendText(into, amp ? decodeReferences(raw, b, start, i) : raw);
  }
}

/** A new element `tag` in `parent`, or IGNORED where it or `parent` is not kept. */
function childElement(parent: XmlElement, tag: TagName, ignore: ReadonlySet<string>): XmlElement {
  if (tag.ignoreSet !== ignore) { tag.ignoreSet = ignore; tag.ignored = ignore.has(tag.local); }
  if (parent === IGNORED || tag.ignored) return IGNORED;
  const el: XmlElement = { name: tag.local, children: NO_CHILDREN, text: '', ts: -1, te: -1, src: null };
  if (parent.children === NO_CHILDREN) parent.children = [el];
  else parent.children.push(el);
  return el;
}

/**
 * Room for the open elements and their tag names by depth, made at once for each record rather than
 * grown an element at a time (deeper records grow it). Not kept from record to record: storing a
 * record's new elements into arrays that have outlived the young generation costs V8's write barrier
 * on every store, more than two new arrays a record (parsing VBO records 1.94-2.01 -> 1.84-1.88 µs).
 */
const STACK = 24;

/**
 * The parser. `untilRootEnd`: stop where the first element ends (and set `parsedEnd`), and give null
 * instead of reading anything that {@link parseRecordAt} does not read in one pass.
 */
function parse(bytes: XmlBytes, start: number, ignore: ReadonlySet<string>, untilRootEnd: boolean): XmlElement | null {
  const useRuns = untilRootEnd && using.runs;
  if (useRuns && using.steps) {
    const known = parseBySteps(bytes, start, ignore);
    if (known !== undefined) return known;
  }
  const { b, dv } = bytes;
  const n = b.length;
  const root: XmlElement = { name: '#root', children: [], text: '', ts: -1, te: -1, src: null };
  const els: XmlElement[] = new Array(STACK);
  const tags: TagName[] = new Array(STACK);
  els[0] = root;
  tags[0] = ROOT_TAG;
  let depth = 0; // the innermost open element is els[depth]
  // The last tag read, and whether it was an end (or self-closing) tag: what followed it last time is
  // the guess for the next start tag.
  let prev = ROOT_TAG;
  let prevEnded = false;
  // Runs (see Run): the next tag starts one (after a text, or the record's start tag); the run being
  // read tag by tag to be kept (recStart -1: none), and what it did.
  let runStart = true;
  // A record read by runs alone is learnt as steps (see Step): the runs it was read by, and the
  // element each text went into.
  let byRunsAlone = useRuns && using.steps;
  const stepRuns: Run[] = [];
  const slots: XmlElement[] = [];
  let recStart = -1;
  let recKey = ROOT_TAG;
  let recKeyEnded = false;
  let recTags: TagName[] = [];
  let recKinds: number[] = [];
  let i = start;
  while (i < n) {
    // Text up to the next tag: white space between tags is skipped (every text is read trimmed by
    // textOf, so it changes nothing); non-ASCII bytes and references are noted on the way (see
    // spaceEnd and textEndAt).
    let j = i;
    let blank = true;
    if (b[j] !== 60) {
      j = spaceEnd(b, dv, j, n);
      if (j < n && b[j] !== 60) {
        blank = false;
        j = textEndAt(b, dv, j, n, markOut);
      }
    }
    if (!blank) {
      if (depth === 0) throw new XmlRecordError(`text outside the record element at line ${lineOf(b, start, i)}`);
      if (recStart !== -1) { keepRun(b, recStart, i, recKey, recKeyEnded, recTags, recKinds, tags[1]!, false); recStart = -1; }
      runStart = true;
      const into = els[depth]!;
      if (byRunsAlone) slots.push(into);
      putText(bytes, start, into, i, j, markOut[0]!);
    }
    if (j >= n) break;
    const lt = j;
    // A tag this close to the end of the bytes may be cut off by it: the record is cut and read
    // whole instead, rather than read until an error (a thrown error and the line counted for its
    // message cost as much as reading the record; the last record of every chunk met it).
    if (untilRootEnd && n - lt < NEAR_END) return null;
    if (runStart && useRuns && depth >= 1) {
      runStart = false;
      const run = matchingRun(dv, lt, n, prev, prevEnded, tags[1]!);
      if (run !== null) {
        const rt: TagName[] = run.tags, rk: Uint8Array = run.kinds;
        for (let q = 0; q < rt.length; q++) {
          const tag = rt[q]!;
          const kind = rk[q]!;
          if (kind === END) {
            // Names compared as reading the tag compares them: the same bytes (a name is one object but
            // past MAX_TAG_NAMES).
            if (tags[depth] !== tag && tags[depth]!.qname !== tag.qname) return null;
            depth--;
            if (depth === 0) {
              parsedEnd = lt + run.len;
              if (byRunsAlone) { stepRuns.push(run); learnSteps(tags[1]!, ignore, stepRuns, slots, root.children[0]!); }
              return root.children[0]!;
            }
            continue;
          }
          const el = childElement(els[depth]!, tag, ignore);
          if (kind === START) {
            depth++;
            els[depth] = el;
            tags[depth] = tag;
          }
        }
        prev = rt[rt.length - 1]!;
        prevEnded = rk[rk.length - 1] !== START;
        i = lt + run.len;
        if (byRunsAlone) stepRuns.push(run);
        continue;
      }
      recStart = lt;
      recKey = prev;
      recKeyEnded = prevEnded;
      recTags = [];
      recKinds = [];
    }
    if (depth >= 1) byRunsAlone = false; // a tag read one by one
    const next = b[lt + 1];
    if (next === 47 /* / */) {
      const top = tags[depth]!;
      let k = lt + 2 + top.length;
      // The usual case: the end tag of the innermost element, compared byte by byte in place.
      if (depth > 0 && k <= n && sameName(dv, b, lt + 2, top) && (b[k] === 62 || !isNameChar(b[k] ?? 0))) {
        if (b[k] !== 62) while (k < n && isSpace(b[k]!)) k++;
        if (b[k] === 62 /* > */) {
          prev = top;
          prevEnded = true;
          depth--;
          i = k + 1;
          if (recStart !== -1) { recTags.push(top); recKinds.push(END); }
          if (untilRootEnd && depth === 0) {
            if (k !== lt + 2 + top.length) return null; // "</sl:stand >"
            if (recStart !== -1) keepRun(b, recStart, i, recKey, recKeyEnded, recTags, recKinds, tags[1]!, true);
            parsedEnd = i;
            return root.children[0]!;
          }
          continue;
        }
        throw new XmlRecordError(`malformed end tag </${top.qname} at line ${lineOf(b, start, lt)}`);
      }
      const e = nameEnd(b, lt + 2, n);
      let m = e;
      while (m < n && isSpace(b[m]!)) m++;
      const qname = b.toString('latin1', lt + 2, e);
      if (b[m] !== 62) throw new XmlRecordError(`malformed end tag </${qname} at line ${lineOf(b, start, lt)}`);
      throw new XmlRecordError(`end tag </${qname}> does not match <${top.qname || '(none)'}> at line ${lineOf(b, start, lt)}`);
    }
    if (untilRootEnd && (next === 33 /* ! */ || next === 63 /* ? */)) return null;
    if (next === 33 /* ! */) {
      if (b[lt + 2] === 45 && b[lt + 3] === 45) { // <!--
        const e = b.indexOf('-->', lt + 4);
        if (e === -1) throw new XmlRecordError(`unclosed comment at line ${lineOf(b, start, lt)}`);
        i = e + 3;
        continue;
      }
      if (b.toString('latin1', lt, Math.min(n, lt + 9)) === '<![CDATA[') {
        const e = b.indexOf(']]>', lt + 9);
        if (e === -1 || depth === 0) throw new XmlRecordError(`bad CDATA section at line ${lineOf(b, start, lt)}`);
        const into = els[depth]!;
        if (into !== IGNORED) appendText(into, b.toString('utf8', lt + 9, e));
        i = e + 3;
        continue;
      }
      throw new XmlRecordError(`declaration "<!" (DOCTYPE or ENTITY) at line ${lineOf(b, start, lt)} is not allowed`);
    }
    if (next === 63 /* ? */) {
      const e = b.indexOf('?>', lt + 2);
      if (e === -1) throw new XmlRecordError(`unclosed processing instruction at line ${lineOf(b, start, lt)}`);
      i = e + 2;
      continue;
    }
    // A start tag. Records of one kind repeat one sequence of tags, so the tag that followed the
    // previous one last time is compared in place first (one pass over the name's bytes); otherwise
    // the name is read with its hash and looked up (two passes).
    let k = lt + 1;
    const guess = prevEnded ? prev.afterEnd : prev.afterStart;
    let tag: TagName;
    if (guess !== null && k + guess.length < n && sameName(dv, b, k, guess) && !isNameChar(b[k + guess.length]!)) {
      tag = guess;
      k += guess.length;
    } else {
      if (k >= n || !isNameStart(b[k]!)) throw new XmlRecordError(`"<" not followed by a tag name at line ${lineOf(b, start, lt)}`);
      let h = b[k]!;
      for (k++; k < n; k++) {
        const c = b[k]!;
        if (!isNameChar(c)) break;
        h = (Math.imul(h, 31) + c) | 0;
      }
      tag = tagName(dv, b, lt + 1, k, h);
      if (prevEnded) prev.afterEnd = tag;
      else prev.afterStart = tag;
    }
    // Attributes: name = "value" | 'value', separated by white space.
    for (;;) {
      if (b[k] === 62 /* > */) break; // the usual case: no (more) attributes, no white space
      const ws = k;
      while (k < n && isSpace(b[k]!)) k++;
      const c = b[k];
      if (c === 62 /* > */ || (c === 47 /* / */ && b[k + 1] === 62)) break;
      if (k === ws || k >= n) throw new XmlRecordError(`malformed start tag <${tag.qname} at line ${lineOf(b, start, lt)}`);
      const an = nameEnd(b, k, n);
      if (an === k) throw new XmlRecordError(`malformed attribute in <${tag.qname} at line ${lineOf(b, start, lt)}`);
      k = an;
      while (k < n && isSpace(b[k]!)) k++;
      if (b[k] !== 61 /* = */) throw new XmlRecordError(`attribute without value in <${tag.qname} at line ${lineOf(b, start, lt)}`);
      k++;
      while (k < n && isSpace(b[k]!)) k++;
      const q = b[k];
      if (q !== 34 /* " */ && q !== 39 /* ' */) throw new XmlRecordError(`unquoted attribute value in <${tag.qname} at line ${lineOf(b, start, lt)}`);
      k++;
      while (k < n && b[k] !== q && b[k] !== 60) k++;
      if (k >= n || b[k] !== q) throw new XmlRecordError(`unclosed attribute value in <${tag.qname} at line ${lineOf(b, start, lt)}`);
      k++;
    }
    if (depth === 0 && root.children.length > 0) throw new XmlRecordError(`a second top-level element <${tag.qname}> at line ${lineOf(b, start, lt)}`);
    if (untilRootEnd) {
      // The record's own element self-closing, or an element of its name inside it.
      if (depth === 0 ? b[k] === 47 : tag.length === tags[1]!.length && sameName(dv, b, lt + 1, tags[1]!)) return null;
    }
    const el = childElement(els[depth]!, tag, ignore);
    prev = tag;
    if (recStart !== -1) { recTags.push(tag); recKinds.push(b[k] === 47 ? EMPTY : START); }
    if (b[k] === 47) { prevEnded = true; i = k + 2; } else {
      prevEnded = false;
      depth++;
      els[depth] = el;
      tags[depth] = tag;
      i = k + 1;
    }
  }
  if (untilRootEnd) return null; // the bytes end inside the element
  if (depth > 0) throw new XmlRecordError(`element <${tags[depth]!.qname}> is never closed`);
  if (root.children.length !== 1) throw new XmlRecordError('the record holds no element');
  return root.children[0]!;
}

/** The first child with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  // An index, not for…of: \`children\` is sometimes the frozen NO_CHILDREN, and an iterator over
  // arrays of two kinds is not optimised away (a parse of a record took 13 µs that way, not 7).
  const cs = el.children;
  for (let k = 0; k < cs.length; k++) if (cs[k]!.name === name) return cs[k];
  return undefined;
}

/** Follows a path of local names. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** White space as `String.prototype.trim` sees it, among bytes below 128. */
function isTrimmed(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Narrows the element's span to its text trimmed (as `trim` would: a span is ASCII), and says
 * whether a text is left. Only for an element with a span.
 */
export function trimSpan(el: XmlElement): boolean {
  const b = el.src!.b;
  let s = el.ts, e = el.te;
  while (s < e && isTrimmed(b[s]!)) s++;
  while (e > s && isTrimmed(b[e - 1]!)) e--;
  el.ts = s;
  el.te = e;
  return s < e;
}

/** The element's text as it stands in the XML (references replaced), untrimmed. */
export function fullText(el: XmlElement): string {
  return el.ts === -1 ? el.text : el.src!.b.toString('latin1', el.ts, el.te);
}

/** Trimmed text of an element; null when absent or empty. */
export function textOf(el: XmlElement | undefined): string | null {
  if (!el) return null;
  if (el.ts !== -1) return trimSpan(el) ? el.src!.b.toString('latin1', el.ts, el.te) : null;
  const s = el.text;
  if (s === '') return null;
  // Most texts start and end with a printable ASCII character, which `trim` keeps: then no call to
  // it (a call into V8's runtime per text, a dozen a record).
  const first = s.charCodeAt(0), last = s.charCodeAt(s.length - 1);
  if (first > 32 && first < 127 && last > 32 && last < 127) return s;
  const t = s.trim();
  return t === '' ? null : t;
}

/** Texts of all children with this local name. */
export function texts(el: XmlElement | undefined, name: string): string[] {
  if (!el) return [];
  const out: string[] = [];
  const cs = el.children;
  for (let k = 0; k < cs.length; k++) if (cs[k]!.name === name) { const t = textOf(cs[k]); if (t !== null) out.push(t); }
  return out;
}
