/**
 * The BAG's verblijfsobject ids as one sorted array in shared memory, so that the CSV reader threads
 * can tell, while they read, which rows name a vbo_id the BAG does not have (`address-not-in-bag`).
 * Looking each distinct vbo_id of each table up in `bag_vbo` after the loads took link-addresses 1.5 s
 * at 1M units and 24 s at 10M (the lookups walk bag_vbo's 2 GB of rows once per table); a binary
 * search here costs a reader thread about 0.1 µs a row.
 *
 * A CSV vbo_id is 16 digits (`schemas/fields.ts`), so only 16-digit ids are kept, each as two 32-bit
 * words: its first eight digits and its last eight, as numbers. (As one number a 16-digit id is not
 * exact in a double above 2^53, about 9.007 × 10^15, and the bench's ids start at 9999….) Read as
 * unsigned 64-bit integers the pairs sort as the ids do, so the native sort of a BigUint64Array
 * sorts them, and no BigInt is made per id.
 */

/** Where the first and the last eight digits sit in a pair of 32-bit words read as one 64-bit integer. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** The last eight digits of the id {@link firstHalf} was last given. */
let lastLow = 0;

/** The first eight digits of a 16-digit id as a number (the last eight in `lastLow`), or -1 if `id` is not 16 digits. */
function firstHalf(id: string): number {
  if (id.length !== 16) return -1;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 8; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    hi = hi * 10 + d;
  }
  for (let i = 8; i < 16; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    lo = lo * 10 + d;
  }
  lastLow = lo;
  return hi;
}

/** What a thread needs to search the ids: the shared words and how many ids they hold. */
export interface SharedVboIds { buffer: SharedArrayBuffer; size: number }

/** A sorted set of 16-digit BAG ids, shared between threads. */
export class VboIds {
  private readonly words: Uint32Array;
  readonly size: number;

  constructor(shared: SharedVboIds) {
    this.words = new Uint32Array(shared.buffer, 0, shared.size * 2);
    this.size = shared.size;
  }

  /** For posting to a thread (the memory is shared, not copied). */
  get shared(): SharedVboIds { return { buffer: this.words.buffer as SharedArrayBuffer, size: this.size }; }

  /** Whether `id` is one of the ids; an id that is not 16 digits never is. */
  has(id: string): boolean {
    const hi = firstHalf(id);
    if (hi < 0) return false;
    const lo = lastLow;
    const w = this.words;
    let from = 0;
    let to = this.size;
    while (from < to) {
      const mid = (from + to) >>> 1;
      const h = w[2 * mid + HI]!;
      const l = w[2 * mid + LO]!;
      if (h === hi && l === lo) return true;
      if (h < hi || (h === hi && l < lo)) from = mid + 1;
      else to = mid;
    }
    return false;
  }
}

/**
 * Pairs per chunk while ids are added: the array grows without copying what it holds. A chunk is 64
 * MB of address space, of which only the pages written take memory (8 MB at 1M units); freeing a
 * block of under 32 MB would raise glibc's threshold for serving large blocks with their own mappings
 * (returned to the system when freed) to its size, and leave later blocks up to that size in the
 * heap, where freed memory lingers.
 */
const CHUNK = 1 << 23;

/** Collects ids (in any order, with repeats) and builds a {@link VboIds}. */
export class VboIdsBuilder {
  private readonly chunks: Uint32Array[] = [];
  private current: Uint32Array;
  private at = 0;
  private prevHi = -1;
  private prevLo = -1;
  private inOrder = true;

  /** `chunk`: pairs per chunk (for tests: the ids must not depend on it). */
  constructor(private readonly chunk = CHUNK) {
    this.current = new Uint32Array(2 * chunk);
  }

  /** Adds an id; one that is not 16 digits is left out (no CSV vbo_id can name it). */
  add(id: string): void {
    const hi = firstHalf(id);
    if (hi < 0) return;
    const lo = lastLow;
    // The voorkomens of an object follow each other in the extract: most repeats stop here.
    if (hi === this.prevHi && lo === this.prevLo) return;
    if (hi < this.prevHi || (hi === this.prevHi && lo < this.prevLo)) this.inOrder = false;
    this.prevHi = hi;
    this.prevLo = lo;
    if (this.at === this.chunk) {
      this.chunks.push(this.current);
      this.current = new Uint32Array(2 * this.chunk);
      this.at = 0;
    }
    this.current[2 * this.at + HI] = hi;
    this.current[2 * this.at + LO] = lo;
    this.at++;
  }

  build(): VboIds {
    const n = this.chunks.length * this.chunk + this.at;
    const words = new Uint32Array(new SharedArrayBuffer(Math.max(1, n) * 8));
    this.chunks.forEach((c, k) => words.set(c, 2 * k * this.chunk));
    words.set(this.current.subarray(0, 2 * this.at), 2 * this.chunks.length * this.chunk);
    this.chunks.length = 0;
    this.current = new Uint32Array(0);
    // Ids added in order are strictly increasing (a repeat that follows its id is not added): sorted
    // and without repeats as they are. Otherwise sorted, and the repeats, now side by side, dropped.
    let size = n;
    if (!this.inOrder) {
      new BigUint64Array(words.buffer, 0, n).sort();
      size = 0;
      for (let i = 0; i < n; i++) {
        if (size > 0 && words[2 * i]! === words[2 * (size - 1)]! && words[2 * i + 1]! === words[2 * (size - 1) + 1]!) continue;
        words[2 * size] = words[2 * i]!;
        words[2 * size + 1] = words[2 * i + 1]!;
        size++;
      }
    }
    return new VboIds({ buffer: words.buffer as SharedArrayBuffer, size });
  }
}
