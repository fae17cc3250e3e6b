/**
 * Groups of mentions with equal keys, found without holding the keys in memory: each mention's key
 * is a 32-bit number (a hash, or the key itself where it is a small number; 0 for none). Mentions with
 * equal numbers are sorted next to each other; where the number is a hash, only those candidate groups
 * have their items fetched again and their real keys compared, so a hash collision never joins two
 * keys (a 32-bit hash of ten million names collides some ten thousand times: that many extra fetches).
 *
 * Groups of two or more come in the order of their first member, members ascending: the order the
 * linking rules are defined in.
 *
 * Memory: at national scale this runs over fourteen million mentions, so it costs 4 bytes per
 * mention for the sorted order and 4 more while a radix sort runs, each given back when done with
 * (see arrays-in-one-block.ts; a comparison sort of a typed array with a comparator takes two 8-byte
 * work arrays per element in V8), and the runs are found again by binary search instead of being kept.
 */
import { arraysInOneBlock } from '../util/arrays-in-one-block.ts';

/** A 32-bit hash of a string (two FNV-style lanes folded), never 0: 0 means "no key". */
export function keyHash(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return ((h1 ^ Math.imul(h2, 0x85ebca6b)) >>> 0) || 1;
}

/** `order` (ascending member numbers) sorted by their keys, stably: LSD radix, two passes of 16 bits through `tmp` (as long). */
function sortByKey(order: Int32Array, tmp: Int32Array, keys: Uint32Array): void {
  const counts = new Uint32Array(65536);
  let from: Int32Array = order;
  let to: Int32Array = tmp;
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < from.length; i++) counts[(keys[from[i]!]! >>> shift) & 0xffff]!++;
    for (let b = 0, sum = 0; b < 65536; b++) { const c = counts[b]!; counts[b] = sum; sum += c; }
    for (let i = 0; i < from.length; i++) { const m = from[i]!; to[counts[(keys[m]! >>> shift) & 0xffff]!++] = m; }
    [from, to] = [to, from];
  }
  // Two passes: the sorted order is back in `order`.
}

/** Where the run of `key` starts in `order` (sorted by key). */
function runStart(order: Int32Array, keys: Uint32Array, key: number): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[order[mid]!]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface KeyCheck<T> {
  /** The items of these members, in the same order. */
  fetch(members: readonly number[]): Promise<T[]>;
  /** An item's real key: the string that was hashed. */
  keyOf(item: T): string;
}

export interface Group<T> { members: number[]; items: T[] }

/**
 * The groups of members with equal keys (0: no key). Without `check` the numbers are the keys
 * themselves; with it they are hashes, and candidates are fetched (about `batch` members at a time)
 * and split by their real keys.
 */
export async function* hashedGroups<T = never>(keys: Uint32Array, check?: KeyCheck<T>, batch = 10_000): AsyncGenerator<Group<T>> {
  let count = 0;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) count++;
  // The order, and the sort's work array while the sort runs: given back as soon as they are done
  // with (see arrays-in-one-block.ts).
  const sorted = arraysInOneBlock(count, { order: 'i32' });
  try {
    const { order } = sorted.arrays;
    for (let i = 0, k = 0; i < keys.length; i++) if (keys[i] !== 0) order[k++] = i;
    const work = arraysInOneBlock(count, { tmp: 'i32' });
    sortByKey(order, work.arrays.tmp, keys);
    await work.release();
    yield* groupsInOrder(order, keys, check, batch);
  } finally {
    await sorted.release();
  }
}

async function* groupsInOrder<T>(order: Int32Array, keys: Uint32Array, check: KeyCheck<T> | undefined, batch: number): AsyncGenerator<Group<T>> {
  // The first member of each run of two or more, ascending: the order groups come in.
  const startsRun = (s: number) => s + 1 < order.length && keys[order[s]!] === keys[order[s + 1]!] && (s === 0 || keys[order[s - 1]!] !== keys[order[s]!]);
  let runs = 0;
  for (let s = 0; s < order.length; s++) if (startsRun(s)) runs++;
  const firsts = new Int32Array(runs);
  for (let s = 0, r = 0; s < order.length; s++) if (startsRun(s)) firsts[r++] = order[s]!;
  firsts.sort();
  const members = (first: number) => {
    const key = keys[first]!;
    const out: number[] = [];
    for (let s = runStart(order, keys, key); s < order.length && keys[order[s]!] === key; s++) out.push(order[s]!);
    return out;
  };

  if (!check) {
    for (const first of firsts) yield { members: members(first), items: [] };
    return;
  }
  // A collision splits a run into groups whose first members come later: they wait, in order, until
  // no run with an earlier first member is left.
  const waiting: Group<T>[] = [];
  for (let b = 0; b < firsts.length;) {
    const chunk: number[][] = [];
    let size = 0;
    while (b < firsts.length && size < batch) {
      const m = members(firsts[b++]!);
      chunk.push(m);
      size += m.length;
    }
    const items = await check.fetch(chunk.flat());
    let at = 0;
    for (const m of chunk) {
      const byKey = new Map<string, Group<T>>();
      for (const member of m) {
        const item = items[at++]!;
        const key = check.keyOf(item);
        const g = byKey.get(key);
        if (g) { g.members.push(member); g.items.push(item); } else byKey.set(key, { members: [member], items: [item] });
      }
      const groups = [...byKey.values()].filter((g) => g.members.length > 1);
      while (waiting.length && waiting[0]!.members[0]! < m[0]!) yield waiting.shift()!;
      for (const g of groups) {
        if (g.members[0] === m[0]) yield g;
        else {
          const pos = waiting.findIndex((w) => w.members[0]! > g.members[0]!);
          waiting.splice(pos === -1 ? waiting.length : pos, 0, g);
        }
      }
    }
  }
  yield* waiting;
}
