/**
 * Groups of mentions with equal keys, found without holding the keys in memory: each mention's key
 * is a number (a hash, or the key itself where it is a number; NaN for none). Mentions with equal
 * numbers are sorted next to each other; where the number is a hash, only those candidate groups have
 * their items fetched again and their real keys compared, so a hash collision never joins two keys.
 *
 * Groups of two or more come in the order of their first member, members ascending: the order the
 * linking rules are defined in.
 */

/** A 53-bit hash of a string (two 32-bit FNV-style lanes): collisions are rare, and checked anyway. */
export function keyHash(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

export interface KeyCheck<T> {
  /** The items of these members, in the same order. */
  fetch(members: readonly number[]): Promise<T[]>;
  /** An item's real key: the string that was hashed. */
  keyOf(item: T): string;
}

export interface Group<T> { members: number[]; items: T[] }

/**
 * The groups of members with equal keys. Without `check` the numbers are the keys themselves;
 * with it they are hashes, and candidates are fetched (about `batch` members at a time) and split by
 * their real keys.
 */
export async function* hashedGroups<T = never>(keys: Float64Array, check?: KeyCheck<T>, batch = 10_000): AsyncGenerator<Group<T>> {
  let count = 0;
  for (let i = 0; i < keys.length; i++) if (!Number.isNaN(keys[i])) count++;
  const order = new Int32Array(count);
  for (let i = 0, k = 0; i < keys.length; i++) if (!Number.isNaN(keys[i])) order[k++] = i;
  order.sort((a, b) => keys[a]! - keys[b]! || a - b);
  // Runs of equal numbers with two or more members: where each starts in `order` (by first member)
  // and where it ends.
  const starts: number[] = [];
  const endOf = new Int32Array(order.length);
  for (let s = 0; s < order.length;) {
    let e = s + 1;
    while (e < order.length && keys[order[e]!] === keys[order[s]!]) e++;
    if (e - s > 1) { starts.push(s); endOf[s] = e; }
    s = e;
  }
  starts.sort((a, b) => order[a]! - order[b]!);
  const members = (s: number) => Array.from(order.subarray(s, endOf[s]!));

  if (!check) {
    for (const s of starts) yield { members: members(s), items: [] };
    return;
  }
  // A collision splits a run into groups whose first members come later: they wait, in order, until
  // no run with an earlier first member is left.
  const waiting: Group<T>[] = [];
  for (let b = 0; b < starts.length;) {
    const chunk: number[][] = [];
    let size = 0;
    while (b < starts.length && size < batch) {
      const m = members(starts[b++]!);
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
