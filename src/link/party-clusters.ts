/**
 * The union-find behind party linking, on typed arrays: at national scale (ten million mentions and
 * more) a mention costs a few bytes here, not an object. Mentions are numbered 0..n-1 in key order; a
 * cluster's root is its earliest mention, so party ids never depend on the order of merges.
 *
 * A merge is refused when it would join two KvK numbers or two birth dates, so every cluster carries
 * at most one of each, kept at its root.
 */
import { arraysInOneBlock, type ArrayBlock } from '../util/arrays-in-one-block.ts';
import { compareNames } from './names/compare-names.ts';
import type { NormalisedName } from './names/normalise-name.ts';

export const PARTY_KINDS = ['unknown', 'person', 'organisation'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];
const UNKNOWN = 0;
const PERSON = 1;
const ORGANISATION = 2;

/** The reasons a mention joined its party; a code per mention, the rare composed reasons aside. */
const REASONS = ['eigen vermelding', 'KvK-nummer gelijk', 'naam en geboortedatum gelijk', 'naam gelijk na normalisatie'] as const;
const OWN = 0;
/** The reason of a mention that joined no other: a party of its own, or the first of its party. */
export const OWN_REASON: string = REASONS[OWN];
const SAME_KVK = 1;
const SAME_NAME_BIRTH = 2;
const SAME_NAME = 3;
const COMPOSED = 255;

/** KvK numbers (8 digits) and dates (YYYY-MM-DD) as integers; -1 stands for none. */
export function kvkCode(kvk: string | null): number {
  if (kvk === null) return -1;
  if (!/^\d{8}$/.test(kvk)) throw new Error(`party linking expects 8-digit KvK numbers, got ${JSON.stringify(kvk)}`);
  return Number(kvk);
}
const kvkOfCode = (c: number): string | null => (c < 0 ? null : String(c).padStart(8, '0'));
export function dateCode(d: string | null): number {
  if (d === null) return -1;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`party linking expects YYYY-MM-DD dates, got ${JSON.stringify(d)}`);
  return Number(d.replaceAll('-', ''));
}
function dateOfCode(c: number): string | null {
  if (c < 0) return null;
  const s = String(c).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
}

export class PartyClusters {
  private readonly parent: Int32Array;
  private readonly kvk: Int32Array;
  private readonly birth: Int32Array;
  /** The mention's own birth date: `birth` is the cluster's, at its root. */
  private readonly ownBirth: Int32Array;
  private readonly kinds: Uint8Array;
  private readonly reasons: Uint8Array;
  /** What `summarise` counted (mentions per party, by root), to be released with the rest. */
  private counted: ArrayBlock<{ counts: 'i32' }> | null = null;
  private readonly releaseArrays: () => Promise<void>;
  private readonly composed = new Map<number, string>();

  constructor(readonly n: number) {
    // One block, 18 bytes a mention (102 MB at 4M units).
    const { arrays: a, release } = arraysInOneBlock(n, { parent: 'i32', kvk: 'i32', birth: 'i32', ownBirth: 'i32', kinds: 'u8', reasons: 'u8' });
    this.releaseArrays = release;
    this.parent = a.parent;
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.kvk = a.kvk.fill(-1);
    this.birth = a.birth.fill(-1);
    this.ownBirth = a.ownBirth.fill(-1);
    this.kinds = a.kinds;
    this.reasons = a.reasons;
  }

  /** Frees the arrays (see arrays-in-one-block.ts): nothing may be asked of this after. */
  async release(): Promise<void> {
    await this.releaseArrays();
    await this.counted?.release();
  }

  /** Records mention i before any linking. */
  set(i: number, kvk: number, birth: number, kind: PartyKind): void {
    this.kvk[i] = kvk;
    this.birth[i] = birth;
    this.ownBirth[i] = birth;
    this.kinds[i] = PARTY_KINDS.indexOf(kind);
  }

  kindOf(i: number): PartyKind { return PARTY_KINDS[this.kinds[i]!]!; }

  /** Before linking: mention i's own KvK number as a number (null: none). */
  ownKvk(i: number): number | null { return this.kvk[i]! < 0 ? null : this.kvk[i]!; }

  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]!]!;
      i = p[i]!;
    }
    return i;
  }

  reason(i: number): string {
    const code = this.reasons[i]!;
    return code === COMPOSED ? this.composed.get(i)! : REASONS[code]!;
  }

  /** Merges the clusters of i and j unless that would join two KvK numbers or two birth dates. */
  private union(i: number, j: number, reason: number | string): boolean {
    const a = this.find(i);
    const b = this.find(j);
    if (a === b) return true;
    const { kvk, birth } = this;
    if (kvk[a]! >= 0 && kvk[b]! >= 0 && kvk[a] !== kvk[b]) return false;
    if (birth[a]! >= 0 && birth[b]! >= 0 && birth[a] !== birth[b]) return false;
    const [root, child] = a < b ? [a, b] : [b, a];
    this.parent[child] = root;
    if (kvk[root]! < 0) kvk[root] = kvk[child]!;
    if (birth[root]! < 0) birth[root] = birth[child]!;
    const joining = Math.max(i, j);
    if (this.reasons[joining] === OWN) {
      if (typeof reason === 'number') this.reasons[joining] = reason;
      else {
        this.reasons[joining] = COMPOSED;
        this.composed.set(joining, reason);
      }
    }
    return true;
  }

  /** One KvK number, one party: members ascending. */
  linkSameKvk(members: readonly number[]): void {
    for (let x = 1; x < members.length; x++) this.union(members[0]!, members[x]!, SAME_KVK);
  }

  /**
   * Equal normalised names: each member joins the first earlier member it may join (never a person
   * with an organisation; the birth-date and KvK guards of `union`).
   */
  linkSameName(members: readonly number[]): void {
    const { kinds, ownBirth } = this;
    for (let x = 1; x < members.length; x++) {
      const i = members[x]!;
      for (let y = 0; y < x; y++) {
        const j = members[y]!;
        if ((kinds[i] === PERSON && kinds[j] === ORGANISATION) || (kinds[i] === ORGANISATION && kinds[j] === PERSON)) continue;
        const reason = ownBirth[i]! >= 0 && ownBirth[j]! >= 0 ? SAME_NAME_BIRTH : SAME_NAME;
        if (this.union(i, j, reason)) break;
      }
    }
  }

  /**
   * Natural persons with the same surname and the same known birth date whose names only fit
   * (initials, an extra given name, a missing tussenvoegsel). `norms` go with `members`.
   */
  linkFittingPersons(members: readonly number[], norms: readonly NormalisedName[]): void {
    for (let x = 1; x < members.length; x++) {
      for (let y = 0; y < x; y++) {
        const i = members[x]!;
        const j = members[y]!;
        if (this.find(i) === this.find(j)) break;
        const cmp = compareNames(norms[x]!, norms[y]!, 'person');
        if (cmp.compatible && this.union(i, j, `${cmp.reasons.filter((r) => r !== 'achternaam gelijk').join(', ')}; achternaam en geboortedatum gelijk`)) break;
      }
    }
  }

  /**
   * What each party (by its root) is once linking is done: its KvK number and birth date, its kind (the
   * root's own, else the first known kind among its mentions) and how many mentions it has.
   * Overwrites the mentions' kinds with their parties': call it once, after all linking.
   */
  summarise(): { kvk: (root: number) => string | null; geboortedatum: (root: number) => string | null; kind: (root: number) => PartyKind; mentions: (root: number) => number } {
    // Counted once linking is done, when the block keys are gone (see link-parties.ts).
    this.counted ??= arraysInOneBlock(this.n, { counts: 'i32' });
    const { counts } = this.counted.arrays;
    counts.fill(0);
    for (let i = 0; i < this.n; i++) {
      const r = this.find(i);
      counts[r]!++;
      if (this.kinds[r] === UNKNOWN) this.kinds[r] = this.kinds[i]!;
    }
    return {
      kvk: (r) => kvkOfCode(this.kvk[r]!),
      geboortedatum: (r) => dateOfCode(this.birth[r]!),
      kind: (r) => PARTY_KINDS[this.kinds[r]!]!,
      mentions: (r) => counts[r]!,
    };
  }
}
