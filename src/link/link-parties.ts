/**
 * Party linking: owners, buyers, sellers, lenders, applicants, KvK establishments and signals name
 * parties in different files. Each mention is put in one party, and the reason is recorded:
 *
 * - the same KvK number → the same party; two different KvK numbers → never the same party;
 * - otherwise the names, normalised (one implementation, `names/`): equal → the same party, except that
 *   known birth dates on both sides must agree; a name that only *fits* (initials, extra given name)
 *   links natural persons only when both birth dates are known and equal.
 *
 * Candidates come from blocks (KvK number, compact name, surname + birth date), never from comparing
 * every pair. Mentions are processed in a fixed order, so the same input links the same way.
 */
import type { Db } from '../db/database.ts';
import type { Writer } from '../db/engine.ts';
import { compareNames } from './names/compare-names.ts';
import { looksLikeOrganisation, normaliseName, type NormalisedName } from './names/normalise-name.ts';

export type PartyKind = 'person' | 'organisation' | 'unknown';

export interface Mention {
  source: string;
  id: string;
  naam: string;
  kvk: string | null;
  geboortedatum: string | null;
  kind: PartyKind;
}

interface Node extends Mention { norm: NormalisedName; key: string }

class Clusters {
  private parent: number[];
  readonly kvk: (string | null)[];
  readonly birth: (string | null)[];
  readonly reason: string[];

  constructor(private readonly nodes: Node[]) {
    this.parent = nodes.map((_, i) => i);
    this.kvk = nodes.map((n) => n.kvk);
    this.birth = nodes.map((n) => n.geboortedatum);
    this.reason = nodes.map(() => 'eigen vermelding');
  }

  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }

  /** Merges the clusters of i and j unless that would join two KvK numbers or two birth dates. */
  union(i: number, j: number, reason: string): boolean {
    const a = this.find(i);
    const b = this.find(j);
    if (a === b) return true;
    if (this.kvk[a] && this.kvk[b] && this.kvk[a] !== this.kvk[b]) return false;
    if (this.birth[a] && this.birth[b] && this.birth[a] !== this.birth[b]) return false;
    // The root is the earliest mention, so party ids do not depend on merge order.
    const [root, child] = a < b ? [a, b] : [b, a];
    this.parent[child] = root;
    this.kvk[root] = this.kvk[root] ?? this.kvk[child]!;
    this.birth[root] = this.birth[root] ?? this.birth[child]!;
    const joining = Math.max(i, j);
    if (this.reason[joining] === 'eigen vermelding') this.reason[joining] = reason;
    return true;
  }
}

function kindOf(m: Omit<Mention, 'kind'> & { kind?: PartyKind }, norm: NormalisedName): PartyKind {
  if (m.kind && m.kind !== 'unknown') return m.kind;
  if (m.kvk || looksLikeOrganisation(norm)) return 'organisation';
  if (m.geboortedatum) return 'person';
  return 'unknown';
}

/**
 * The groups of equal keys with more than one member, members in ascending order, groups in the
 * order their keys first occur. Chained through a typed array: at national scale nearly every key
 * is a singleton, and an array per key would be a million allocations for nothing.
 */
function* groups(items: readonly number[], key: (i: number) => string | null, n: number): Generator<number[]> {
  const last = new Map<string, number>();
  const prev = new Int32Array(n).fill(-1);
  for (const it of items) {
    const k = key(it);
    if (k === null) continue;
    const p = last.get(k);
    if (p !== undefined) prev[it] = p;
    last.set(k, it);
  }
  for (const tail of last.values()) {
    if (prev[tail] === -1) continue;
    const members: number[] = [];
    for (let j = tail; j !== -1; j = prev[j]!) members.push(j);
    yield members.reverse();
  }
}

/** Links mentions into parties. Pure: the same mentions give the same parties and reasons. */
export function linkMentions(mentions: Mention[]): { party: string; reason: string; norm: NormalisedName; mention: Mention }[] {
  const nodes: Node[] = mentions
    .map((m) => {
      const norm = normaliseName(m.naam);
      return { source: m.source, id: m.id, naam: m.naam, kvk: m.kvk, geboortedatum: m.geboortedatum, norm, kind: kindOf(m, norm), key: `${m.source}:${m.id}` };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const c = new Clusters(nodes);
  const idx = nodes.map((_, i) => i);

  for (const members of groups(idx, (i) => nodes[i]!.kvk, nodes.length)) {
    for (const m of members.slice(1)) c.union(members[0]!, m, 'KvK-nummer gelijk');
  }
  for (const members of groups(idx, (i) => (nodes[i]!.norm.compact ? nodes[i]!.norm.compact : null), nodes.length)) {
    for (let x = 1; x < members.length; x++) {
      const i = members[x]!;
      for (let y = 0; y < x; y++) {
        const j = members[y]!;
        const a = nodes[i]!;
        const b = nodes[j]!;
        if ((a.kind === 'person' && b.kind === 'organisation') || (a.kind === 'organisation' && b.kind === 'person')) continue;
        const bothBirth = a.geboortedatum && b.geboortedatum;
        const reason = bothBirth ? 'naam en geboortedatum gelijk' : 'naam gelijk na normalisatie';
        if (c.union(i, j, reason)) break;
      }
    }
  }
  // Natural persons whose names only fit (initials, an extra given name, a missing tussenvoegsel):
  // linked only when both birth dates are known and equal.
  const persons = idx.filter((i) => nodes[i]!.kind !== 'organisation' && nodes[i]!.geboortedatum && nodes[i]!.norm.surname.length);
  for (const members of groups(persons, (i) => `${nodes[i]!.norm.surname.join('')}|${nodes[i]!.geboortedatum}`, nodes.length)) {
    for (let x = 1; x < members.length; x++) {
      for (let y = 0; y < x; y++) {
        const i = members[x]!;
        const j = members[y]!;
        if (c.find(i) === c.find(j)) break;
        const cmp = compareNames(nodes[i]!.norm, nodes[j]!.norm, 'person');
        if (cmp.compatible && c.union(i, j, `${cmp.reasons.filter((r) => r !== 'achternaam gelijk').join(', ')}; achternaam en geboortedatum gelijk`)) break;
      }
    }
  }
  return nodes.map((n, i) => ({ party: nodes[c.find(i)]!.key, reason: c.reason[i]!, norm: n.norm, mention: n }));
}

/**
 * The index keys of a name for candidate retrieval: its tokens (initials excluded), its compact form,
 * and the first four letters of each longer token (so spelling variants meet).
 */
export function nameTokens(n: NormalisedName): string[] {
  const out = new Set<string>();
  if (n.compact) out.add(`c:${n.compact}`);
  for (const t of n.core) {
    if (t.length < 2) continue;
    out.add(`t:${t}`);
    if (t.length >= 5) out.add(`p:${t.slice(0, 4)}`);
  }
  return [...out];
}

/** Reads every party mention of a run, links them, and stores `party` and `party_link`. */
export async function linkParties(engine: Writer, runId: string): Promise<{ mentions: number; parties: number }> {
  const db: Db = engine.db;
  const mentions: Mention[] = [];
  for (const p of await db.selectFrom('persoon').select(['persoon_id', 'soort', 'naam', 'geboortedatum', 'kvk_nummer']).where('run_id', '=', runId).execute()) {
    mentions.push({ source: 'personen.csv', id: p.persoon_id, naam: p.naam, kvk: p.kvk_nummer, geboortedatum: p.geboortedatum, kind: p.soort === 'natuurlijk_persoon' ? 'person' : 'organisation' });
  }
  for (const k of await db.selectFrom('kvk').select(['line', 'naam', 'kvk_nummer']).where('run_id', '=', runId).execute()) {
    mentions.push({ source: 'kvk.csv', id: String(k.line), naam: k.naam, kvk: k.kvk_nummer, geboortedatum: null, kind: 'organisation' });
  }
  for (const a of await db.selectFrom('aanvraag').select(['bron', 'aanvraag_id', 'aanvrager_naam', 'aanvrager_kvk', 'aanvrager_geboortedatum']).where('run_id', '=', runId).execute()) {
    mentions.push({ source: `${a.bron}.csv`, id: a.aanvraag_id, naam: a.aanvrager_naam, kvk: a.aanvrager_kvk, geboortedatum: a.aanvrager_geboortedatum, kind: 'unknown' });
  }
  for (const s of await db.selectFrom('signaal').select(['signaal_id', 'naam', 'kvk_nummer', 'geboortedatum']).where('run_id', '=', runId).execute()) {
    mentions.push({ source: 'signalen.csv', id: s.signaal_id, naam: s.naam, kvk: s.kvk_nummer, geboortedatum: s.geboortedatum, kind: 'unknown' });
  }
  const linked = linkMentions(mentions);
  mentions.length = 0; // the linked nodes carry what is needed: let the mention objects go
  const parties = new Map<string, { kind: PartyKind; naam: string; kvk: string | null; geboortedatum: string | null; mentions: number }>();
  for (const l of linked) {
    const p = parties.get(l.party);
    if (!p) parties.set(l.party, { kind: l.mention.kind, naam: l.mention.naam, kvk: l.mention.kvk, geboortedatum: l.mention.geboortedatum, mentions: 1 });
    else {
      p.mentions++;
      p.kvk ??= l.mention.kvk;
      p.geboortedatum ??= l.mention.geboortedatum;
      if (p.kind === 'unknown') p.kind = l.mention.kind;
    }
  }
  // Rows go in in key order and in chunks: at national scale the indexes outgrow the page cache (an
  // insert at random would touch a random page), and ten million row arrays at once would dwarf the data.
  // `linked` is in mention order; a party's id is its first mention's, so `parties` is in id order too.
  const insertChunked = async <T>(table: string, columns: string[], items: Iterable<T>, row: (t: T) => unknown[]) => {
    let chunk: unknown[][] = [];
    for (const it of items) {
      chunk.push(row(it));
      if (chunk.length === 10_000) { await engine.insertRows(table, columns, chunk); chunk = []; }
    }
    if (chunk.length) await engine.insertRows(table, columns, chunk);
  };
  await insertChunked('party_link', ['run_id', 'source', 'mention_id', 'party_id', 'naam_norm', 'reason', 'naam'], linked,
    (l) => [runId, l.mention.source, l.mention.id, l.party, l.norm.compact, l.reason, l.mention.naam]);
  await insertChunked('party', ['run_id', 'party_id', 'kind', 'naam', 'kvk_nummer', 'geboortedatum', 'mentions'], parties,
    ([id, p]) => [runId, id, p.kind, p.naam, p.kvk, p.geboortedatum, p.mentions]);
  const partyCount = parties.size;
  parties.clear();
  const byToken = new Map<string, string[]>();
  for (const l of linked) {
    for (const t of nameTokens(l.norm)) {
      const list = byToken.get(t);
      if (list) list.push(l.party);
      else byToken.set(t, [l.party]);
    }
  }
  const tokenRows = function* () {
    for (const token of [...byToken.keys()].sort()) {
      const ids = byToken.get(token)!.sort();
      for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) yield [token, ids[i]!] as const;
    }
  };
  await insertChunked('party_token', ['run_id', 'token', 'party_id'], tokenRows(), ([token, id]) => [runId, token, id]);
  return { mentions: linked.length, parties: partyCount };
}
