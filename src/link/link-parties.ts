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
 * every pair. Mentions are processed in a fixed order (their key, `source:id`), so the same input
 * links the same way.
 *
 * Memory stays flat in the number of mentions: they are read a page at a time from a numbered
 * temporary table, the clusters live in typed arrays (`party-clusters.ts`), blocks are found by
 * sorting key hashes (`hashed-groups.ts`), and the token index is sorted by the database.
 */
import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import type { Writer } from '../db/engine.ts';
import { hashedGroups, keyHash } from './hashed-groups.ts';
import { arraysInOneBlock } from '../util/arrays-in-one-block.ts';
import { normaliseName, type NormalisedName } from './names/normalise-name.ts';
import { surnameKey, type NameFacts } from './names/name-facts.ts';
import { nameFactsHere, nameFactsInWorker, type NameFactsSource } from './names/name-facts-source.ts';
import { OWN_REASON, PARTY_KINDS, PartyClusters, dateCode, kvkCode, type PartyKind } from './party-clusters.ts';
import { workerCount } from '../util/worker-count.ts';

export type { PartyKind };

export interface Mention {
  source: string;
  id: string;
  naam: string;
  kvk: string | null;
  geboortedatum: string | null;
  kind: PartyKind;
}

/** Mentions numbered 0..n-1 in key order, read a range or a pick at a time. */
interface MentionStore {
  readonly n: number;
  /** Mentions from..to-1, in order. */
  range(from: number, to: number): Promise<Mention[]>;
  /** The mentions with these numbers, in the order given. */
  pick(seqs: readonly number[]): Promise<Mention[]>;
}

/**
 * Mentions per page. Small enough that a page's objects (mentions, normalised names, rows) die in V8's
 * young generation: with 20,000 they outlived it and went to the old one, whose collections let the
 * 1M bench's RSS swing by 200-300 MB in this stage (peak 1.89-1.97 GB; with 5,000 and the smaller
 * temporary page cache 1.73 GB, and the stage no slower: 26.9 s against 28.6-31.3 s).
 */
const PAGE = 5_000;
const keyOfMention = (m: Mention) => `${m.source}:${m.id}`;
/** Pages whose names are being normalised while this thread works through the current one. */
const LOOKAHEAD = 2;

function kindOf(m: Mention, organisation: boolean): PartyKind {
  if (m.kind !== 'unknown') return m.kind;
  if (m.kvk || organisation) return 'organisation';
  if (m.geboortedatum) return 'person';
  return 'unknown';
}

/** The block of a natural person whose name may only fit: surname and birth date. */
const personBlock = (m: Mention, surname: string) => `${surname}|${m.geboortedatum}`;

interface Normalised { mention: Mention; norm: NormalisedName }

/**
 * What the first pass over the mentions may keep of each page: the mentions, the facts of their names
 * and the kind clustering gave each (an index into PARTY_KINDS).
 */
type PageSink = (from: number, page: readonly Mention[], facts: NameFacts, kinds: Uint8Array) => Promise<void>;

/**
 * Links the mentions of `store` into clusters: KvK numbers first, then equal names, then fitting
 * persons. `names` normalises each page of the first pass (the next page's names are asked for
 * before this page is worked through, so a worker thread normalises while this thread works);
 * `onPage` sees every page with the facts of its names and the mentions' kinds.
 */
async function cluster(store: MentionStore, hash: (key: string) => number, pageSize: number, names: NameFactsSource, onPage?: PageSink): Promise<PartyClusters> {
  const { n } = store;
  const c = new PartyClusters(n);
  // Block keys as 32-bit hashes (0: none), each array given back as soon as its blocks are linked
  // (see arrays-in-one-block.ts): at the name pass, the most, 30-34 bytes a mention are live.
  const nameKeyBlock = arraysInOneBlock(n, { keys: 'u32' });
  const personKeyBlock = arraysInOneBlock(n, { keys: 'u32' });
  const nameKeys = nameKeyBlock.arrays.keys;
  const personKeys = personKeyBlock.arrays.keys;
  // The kinds of the page being worked through, handed to onPage (which must not keep the array).
  const kinds = new Uint8Array(pageSize);
  // A hash function given for tests may return 0: "no key" is kept for mentions without one.
  const nonZero = (h: number) => (h >>> 0) || 1;
  const read = async (from: number) => {
    const page = await store.range(from, Math.min(n, from + pageSize));
    const facts = names.facts(page.map((m) => m.naam));
    // Awaited only once the page before is done: a failure meanwhile (or after an error elsewhere
    // ends the pass) must not count as an unhandled rejection, which would end the process.
    facts.catch(() => undefined);
    return { page, facts };
  };
  // Pages asked for ahead: the thread normalises the next ones while this one is worked through.
  const ahead: Awaited<ReturnType<typeof read>>[] = [];
  let asked = 0;
  const askAhead = async () => {
    while (asked < n && ahead.length < LOOKAHEAD) { ahead.push(await read(asked)); asked += pageSize; }
  };
  await askAhead();
  for (let from = 0; from < n; from += pageSize) {
    const { page, facts: pending } = ahead.shift()!;
    const facts = await pending;
    await askAhead();
    for (let k = 0; k < page.length; k++) {
      const m = page[k]!;
      const i = from + k;
      const kind = kindOf(m, facts.organisation[k] === 1);
      kinds[k] = PARTY_KINDS.indexOf(kind);
      c.set(i, kvkCode(m.kvk), dateCode(m.geboortedatum), kind);
      if (facts.compact[k]) nameKeys[i] = nonZero(hash(facts.compact[k]!));
      if (kind !== 'organisation' && m.geboortedatum && facts.surname[k]) personKeys[i] = nonZero(hash(personBlock(m, facts.surname[k]!)));
    }
    await onPage?.(from, page, facts, kinds);
  }
  {
    // KvK numbers (8 digits) fit in 32 bits as they are: no collisions, nothing to check.
    const kvkKeyBlock = arraysInOneBlock(n, { keys: 'u32' });
    const kvkKeys = kvkKeyBlock.arrays.keys;
    for (let i = 0; i < n; i++) kvkKeys[i] = (c.ownKvk(i) ?? -1) + 1;
    for await (const g of hashedGroups(kvkKeys)) c.linkSameKvk(g.members);
    await kvkKeyBlock.release();
  }
  const fetch = async (seqs: readonly number[]): Promise<Normalised[]> => (await store.pick(seqs)).map((mention) => ({ mention, norm: normaliseName(mention.naam) }));
  for await (const g of hashedGroups(nameKeys, { fetch, keyOf: (x) => x.norm.compact })) c.linkSameName(g.members);
  await nameKeyBlock.release();
  for await (const g of hashedGroups(personKeys, { fetch, keyOf: (x) => personBlock(x.mention, surnameKey(x.norm)) })) {
    c.linkFittingPersons(g.members, g.items.map((x) => x.norm));
  }
  await personKeyBlock.release();
  return c;
}

export interface LinkedMention {
  mention: Mention;
  norm: NormalisedName;
  /** The party's id: the key of its first mention. */
  party: string;
  reason: string;
}
interface Party { party_id: string; kind: PartyKind; naam: string; kvk_nummer: string | null; geboortedatum: string | null; mentions: number }

/**
 * Every mention with its party, a page at a time in key order, and each party once, on the page of
 * its first mention (whose key is the party's id and whose name is the party's name).
 */
async function* linked(store: MentionStore, c: PartyClusters, pageSize: number): AsyncGenerator<{ mentions: LinkedMention[]; parties: Party[] }> {
  const party = c.summarise();
  for (let from = 0; from < store.n; from += pageSize) {
    const page = await store.range(from, Math.min(store.n, from + pageSize));
    const roots = page.map((_, k) => c.find(from + k));
    // A party's first mention may sit on an earlier page: those keys are fetched, not kept.
    const earlier = [...new Set(roots.filter((r) => r < from))].sort((a, b) => a - b);
    const keyOfRoot = new Map<number, string>();
    (await store.pick(earlier)).forEach((m, k) => keyOfRoot.set(earlier[k]!, keyOfMention(m)));
    const mentions: LinkedMention[] = [];
    const parties: Party[] = [];
    for (let k = 0; k < page.length; k++) {
      const m = page[k]!;
      const i = from + k;
      const root = roots[k]!;
      const key = root === i ? keyOfMention(m) : root >= from ? keyOfMention(page[root - from]!) : keyOfRoot.get(root)!;
      mentions.push({ mention: m, norm: normaliseName(m.naam), party: key, reason: c.reason(i) });
      if (root === i) {
        parties.push({ party_id: key, kind: party.kind(i), naam: m.naam, kvk_nummer: party.kvk(i), geboortedatum: party.geboortedatum(i), mentions: party.mentions(i) });
      }
    }
    yield { mentions, parties };
  }
}

const byKey = (a: Mention, b: Mention) => { const x = keyOfMention(a); const y = keyOfMention(b); return x < y ? -1 : x > y ? 1 : 0; };

/**
 * Links mentions into parties, in memory. Pure: the same mentions, in any order, give the same
 * parties and reasons; the result is in key order. (`hash` and `pageSize` are for tests: a worse hash
 * or another page size must not change the result.)
 */
export async function linkMentions(input: readonly Mention[], options: { hash?: (key: string) => number; pageSize?: number } = {}): Promise<(LinkedMention & { kind: PartyKind })[]> {
  const sorted = [...input].sort(byKey);
  const store: MentionStore = {
    n: sorted.length,
    range: async (from, to) => sorted.slice(from, to),
    pick: async (seqs) => seqs.map((s) => sorted[s]!),
  };
  const pageSize = options.pageSize ?? PAGE;
  const c = await cluster(store, options.hash ?? keyHash, pageSize, nameFactsHere());
  const kinds = sorted.map((_, i) => c.kindOf(i));
  const out: (LinkedMention & { kind: PartyKind })[] = [];
  for await (const page of linked(store, c, pageSize)) for (const l of page.mentions) out.push({ ...l, kind: kinds[out.length]! });
  await c.release();
  return out;
}

/**
 * The run's mentions in a temporary table, numbered in key order by the database. Keys compare as
 * bytes on both engines (SQLite's BINARY, PostgreSQL's "C" collation), which is JavaScript's order for
 * the ASCII ids of the input contract.
 */
async function mentionTable(w: Writer, runKey: number): Promise<MentionStore> {
  const { db } = w;
  const byteOrder = w.kind === 'postgres' ? sql`COLLATE "C"` : sql`COLLATE BINARY`;
  await sql`DROP TABLE IF EXISTS vib_link_mention`.execute(db);
  await sql`CREATE TEMPORARY TABLE vib_link_mention (seq integer PRIMARY KEY, source text NOT NULL, id text NOT NULL, naam text NOT NULL, kvk text, geboortedatum text, kind text NOT NULL)`.execute(db);
  const mentions = sql`SELECT 'personen.csv' AS source, persoon_id AS id, naam, kvk_nummer AS kvk, geboortedatum,
        CASE soort WHEN 'natuurlijk_persoon' THEN 'person' ELSE 'organisation' END AS kind FROM persoon WHERE run_key = ${runKey}
      UNION ALL SELECT 'kvk.csv', CAST(line AS text), naam, kvk_nummer, NULL, 'organisation' FROM kvk WHERE run_key = ${runKey}
      UNION ALL SELECT bron || '.csv', aanvraag_id, aanvrager_naam, aanvrager_kvk, aanvrager_geboortedatum, 'unknown' FROM aanvraag WHERE run_key = ${runKey}
      UNION ALL SELECT 'signalen.csv', signaal_id, naam, kvk_nummer, geboortedatum, 'unknown' FROM signaal WHERE run_key = ${runKey}`;
  if (w.kind === 'sqlite') {
    // SQLite numbers rows inserted without a rowid one above the largest so far, in the order the
    // SELECT gives them: after a placeholder at -1 the mentions get 0..n-1 in key order. Cheaper than
    // row_number(), which makes SQLite copy the sorted rows once more into a window's table (at 1M,
    // 1.4M mentions: this statement 3.9 s that way).
    await sql`INSERT INTO vib_link_mention (seq, source, id, naam, kind) VALUES (-1, '', '', '', '')`.execute(db);
    await boundedSort(w, () => sql`INSERT INTO vib_link_mention (source, id, naam, kvk, geboortedatum, kind)
      SELECT source, id, naam, kvk, geboortedatum, kind FROM (${mentions}) m ORDER BY source || ':' || id ${byteOrder}`.execute(db));
    await sql`DELETE FROM vib_link_mention WHERE seq = -1`.execute(db);
  } else {
    await sql`INSERT INTO vib_link_mention (seq, source, id, naam, kvk, geboortedatum, kind)
      SELECT row_number() OVER (ORDER BY source || ':' || id ${byteOrder}) - 1, source, id, naam, kvk, geboortedatum, kind FROM (${mentions}) m`.execute(db);
  }
  const n = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM vib_link_mention`.execute(db)).rows[0]!.n);
  // Read as arrays: a million mentions twice over, where rows as objects cost twice the time.
  const mention = (r: unknown[]): Mention => ({
    source: r[0] as string, id: r[1] as string, naam: r[2] as string, kvk: r[3] as string | null, geboortedatum: r[4] as string | null, kind: r[5] as PartyKind,
  });
  return {
    n,
    range: async (from, to) => (await w.selectArrays(sql`SELECT source, id, naam, kvk, geboortedatum, kind FROM vib_link_mention
      WHERE seq >= ${from} AND seq < ${to} ORDER BY seq`)).map(mention),
    async pick(seqs) {
      const found = new Map<number, Mention>();
      for (let s = 0; s < seqs.length; s += 5_000) {
        const part = seqs.slice(s, s + 5_000);
        const rows = await w.selectArrays(sql`SELECT source, id, naam, kvk, geboortedatum, kind, seq FROM vib_link_mention
          WHERE seq IN (${sql.join(part)})`);
        for (const r of rows) found.set(Number(r[6]), mention(r));
      }
      return seqs.map((s) => found.get(s)!);
    },
  };
}

/**
 * Runs `fn` with SQLite's sorter allowed a helper thread for each core beside this one (`PRAGMA
 * threads`): a sort that spills to disk then sorts its runs in parallel. On two cores, link-parties in
 * the 1M bench took 69.0 s without a helper, 59.0 s with one and 53.0 s with two, but two lifted the
 * peak RSS from 1.93 to 2.11 GB (each thread fills a sort list of its own; one: 1.97 GB). Only for sorts
 * whose ties cannot change a result: keys here are unique, and the token index keeps one of identical
 * rows.
 */
async function withSorterThreads<T>(w: Writer, fn: () => Promise<T>): Promise<T> {
  if (w.kind !== 'sqlite' || availableParallelism() < 2) return fn();
  return withPragma(w, 'threads', Math.min(8, availableParallelism() - 1), fn);
}

/** Runs `fn` with a numeric SQLite pragma set to `value`, and sets it back to what it was after. */
async function withPragma<T>(w: Writer, name: 'threads' | 'cache_size', value: number, fn: () => Promise<T>): Promise<T> {
  const before = Number(Object.values((await sql.raw(`PRAGMA ${name}`).execute(w.db)).rows[0] as object)[0]);
  await sql.raw(`PRAGMA ${name} = ${value}`).execute(w.db);
  try {
    return await fn();
  } finally {
    await sql.raw(`PRAGMA ${name} = ${before}`).execute(w.db);
  }
}

/**
 * The page cache while a large sort runs (KB). SQLite's sorter keeps as much in memory as the page
 * cache may hold (up to 512 MB) before it spills to its temporary file, so its memory grew with the
 * country: at 1M the token index's sort lifted the stage's peak RSS by 440 MB, and at 4M numbering the
 * mentions (5.7M rows, ≈ 570 MB to sort) took link-parties from 1.74 to 2.12 GB. With the cache at
 * 64 MB for these statements the sorter spills in runs of that size and merges them; at 1M the token
 * sort took the same time within the machine's noise (52-66 s against 57-62 s unbounded).
 */
const SORT_CACHE_KB = 64 * 1024;

/** Runs a statement with a large sort: a bounded page cache (SQLite) and the sorter's helper threads. */
async function boundedSort<T>(w: Writer, fn: () => Promise<T>): Promise<T> {
  if (w.kind !== 'sqlite') return fn();
  return withPragma(w, 'cache_size', -SORT_CACHE_KB, () => withSorterThreads(w, fn));
}

/** The tables party linking writes before its token index (`party_token`). */
export const PARTY_TABLES: readonly string[] = ['party', 'party_link'];

/**
 * Reads every party mention of a run, links them, and stores `party`, `party_link` and `party_token`.
 * `w` must be a run's transaction (`writeTransaction`): the temporary tables live on its connection.
 * (The screen uses {@link linkPartiesTokensLater}: the same, with the token index left for later.)
 *
 * The mentions are read and their names normalised once, while clustering: each name's compact form
 * and index tokens go to a scratch table then. What clustering decides (each mention's party and
 * reason, each party's summary) goes to a second one, for the parties of more than one mention, and
 * the database joins the three into the stored tables. Reading the mentions a second time,
 * normalising them again and binding every row of party_link and party from here took longer: at 1M
 * (1.4M mentions) linkParties alone took 26.1-28.1 s that way and 17.6-19.7 s this way (interleaved
 * runs on one database; the stored rows identical).
 */
export async function linkParties(w: Writer, runKey: number, options: LinkOptions = {}): Promise<{ mentions: number; parties: number }> {
  const { indexTokens, ...linked } = await linkPartiesTokensLater(w, runKey, options);
  await indexTokens();
  return linked;
}

/**
 * {@link linkParties} without the token index, which `indexTokens` builds (on the same connection, before
 * its transaction ends): only the applicant check reads it, so the screen builds it while the rule
 * thread evaluates rules (at 1M units 4 s of this thread's time, at 10M about 40). Until then the
 * connection keeps two temporary tables; a second linkParties on it drops them.
 */
export async function linkPartiesTokensLater(w: Writer, runKey: number, options: LinkOptions = {}): Promise<{ mentions: number; parties: number; indexTokens: () => Promise<number> }> {
  // Started first: the thread loads its code while the database numbers the mentions.
  const names = (options.nameThread ?? workerCount() > 0) ? nameFactsInWorker() : nameFactsHere();
  let linked: { mentions: number; parties: number };
  try {
    linked = await linkWith(w, runKey, names, options.pageSize ?? PAGE);
  } finally {
    await names.close();
  }
  let done = false;
  return {
    ...linked,
    indexTokens: async () => {
      if (done) throw new Error('the token index of this linking was built already');
      done = true;
      return indexTokens(w, runKey);
    },
  };
}

export interface LinkOptions {
  /**
   * Names normalised on a thread of their own (default: unless VIB_PARSE_WORKERS is 0). At 1M units
   * (1.4M mentions), three rounds alternating on one database: the clustering pass 8.4-10.0 -> 7.1-7.6
   * s, linkParties 20.7-21.9 -> 18.7-19.7 s, its main thread's CPU 19.7-21.0 -> 14.1-15.8 s.
   */
  nameThread?: boolean;
  /** Mentions per page (for tests: a smaller page must not change the result). */
  pageSize?: number;
}

async function linkWith(w: Writer, runKey: number, names: NameFactsSource, pageSize: number): Promise<{ mentions: number; parties: number }> {
  const store = await mentionTable(w, runKey);
  const { db } = w;
  await sql`DROP TABLE IF EXISTS vib_link_name`.execute(db);
  await sql`DROP TABLE IF EXISTS vib_link_party`.execute(db);
  // A mention's kind as clustering set it (an index into PARTY_KINDS): a party of one mention has it.
  await sql`CREATE TEMPORARY TABLE vib_link_name (seq integer PRIMARY KEY, naam_norm text NOT NULL, tokens text NOT NULL, kind integer NOT NULL)`.execute(db);
  // A mention's tokens go in as one row, a JSON array the database unpacks while it sorts them into
  // the index (json_each, json_array_elements_text): 1.4M rows to bind at 1M instead of 6.7M (linkParties
  // alone 62-69 -> 57-60 s when this was measured, the index identical).
  const c = await cluster(store, keyHash, pageSize, names, (from, page, facts, kinds) =>
    w.appendRows('vib_link_name', ['seq', 'naam_norm', 'tokens', 'kind'], page.map((_, k) => [from + k, facts.compact[k], facts.tokens[k], kinds[k]])));
  // The mentions of parties of more than one: each one's party (the number of its first mention) and
  // reason, a party's own row also its summary. A party of one mention (nearly all of them: 1.40M of
  // the 1M bench's 1.42M mentions) has no row: it is its own, with the mention's KvK number, birth
  // date and kind (1.4M rows fewer to bind).
  await sql`CREATE TEMPORARY TABLE vib_link_party (seq integer PRIMARY KEY, root integer NOT NULL, reason text NOT NULL,
    kind text, kvk text, geboortedatum text, mentions integer)`.execute(db);
  const party = c.summarise();
  let parties = 0;
  for (let from = 0; from < store.n; from += pageSize) {
    const rows: unknown[][] = [];
    for (let i = from; i < Math.min(store.n, from + pageSize); i++) {
      const root = c.find(i);
      if (root !== i) { rows.push([i, root, c.reason(i), null, null, null, null]); continue; }
      parties++;
      const mentions = party.mentions(i);
      if (mentions > 1) rows.push([i, i, c.reason(i), party.kind(i), party.kvk(i), party.geboortedatum(i), mentions]);
    }
    if (rows.length) await w.appendRows('vib_link_party', ['seq', 'root', 'reason', 'kind', 'kvk', 'geboortedatum', 'mentions'], rows);
  }
  // Given back before the joins and the token index's sort below and after: see arrays-in-one-block.ts.
  await c.release();
  // PostgreSQL plans the joins below from statistics, which temporary tables only have when asked.
  if (w.kind === 'postgres') await sql`ANALYZE vib_link_mention, vib_link_name, vib_link_party`.execute(db);
  // A party's id is the key of its first mention, its name that mention's name.
  await sql`INSERT INTO party_link (run_key, source, mention_id, party_id, naam_norm, reason, naam)
    SELECT CAST(${runKey} AS integer), m.source, m.id, CASE WHEN f.seq IS NULL THEN m.source || ':' || m.id ELSE f.source || ':' || f.id END,
      n.naam_norm, coalesce(p.reason, ${OWN_REASON}), m.naam
    FROM vib_link_mention m
    JOIN vib_link_name n ON n.seq = m.seq
    LEFT JOIN vib_link_party p ON p.seq = m.seq
    LEFT JOIN vib_link_mention f ON f.seq = p.root
    ORDER BY m.seq`.execute(db);
  // Its number, the number of that mention: numbers sort as the ids do (mentions are numbered in key order).
  const ownKind = sql.raw(`CASE n.kind ${PARTY_KINDS.map((k, i) => `WHEN ${i} THEN '${k}'`).join(' ')} END`);
  await sql`INSERT INTO party (run_key, party_id, kind, naam, kvk_nummer, geboortedatum, mentions, party_no)
    SELECT CAST(${runKey} AS integer), m.source || ':' || m.id, coalesce(p.kind, ${ownKind}), m.naam,
      CASE WHEN p.seq IS NULL THEN m.kvk ELSE p.kvk END, CASE WHEN p.seq IS NULL THEN m.geboortedatum ELSE p.geboortedatum END,
      coalesce(p.mentions, 1), m.seq
    FROM vib_link_mention m
    JOIN vib_link_name n ON n.seq = m.seq
    LEFT JOIN vib_link_party p ON p.seq = m.seq
    WHERE p.seq IS NULL OR p.root = p.seq
    ORDER BY m.seq`.execute(db);
  await sql`DROP TABLE vib_link_mention`.execute(db);
  return { mentions: store.n, parties };
}

/**
 * The token index (`party_token`) of a run's parties, from the temporary tables linkWith left: each
 * mention's tokens under its party's number. Returns the rows stored.
 */
async function indexTokens(w: Writer, runKey: number): Promise<number> {
  const { db } = w;
  let rows: bigint | undefined;
  // The token index in key order: at national scale it outgrows the page cache, and rows inserted at
  // random would each touch a random page (a b-tree keyed by token took 31 s of random inserts at 1M,
  // 6.7M rows; sorting once, 17 s less). Parties by number, not id (0013-party-number.ts): at 1M a
  // 149 MB index instead of 275, and no lookup of each row's first mention. Repeated tokens of a
  // party fall out: SQLite ignores the repeats of the index's key, PostgreSQL sorts them out.
  if (w.kind === 'sqlite') {
    rows = (await boundedSort(w, () => sql`INSERT OR IGNORE INTO party_token (run_key, token, party_no)
      SELECT CAST(${runKey} AS integer), j.value, coalesce(p.root, n.seq)
      FROM vib_link_name n LEFT JOIN vib_link_party p ON p.seq = n.seq, json_each(n.tokens) j
      ORDER BY 2, 3`.execute(db))).numAffectedRows;
  } else {
    rows = (await sql`INSERT INTO party_token (run_key, token, party_no)
      SELECT DISTINCT CAST(${runKey} AS integer), j.token COLLATE "C", coalesce(p.root, n.seq)
      FROM vib_link_name n LEFT JOIN vib_link_party p ON p.seq = n.seq
      CROSS JOIN LATERAL json_array_elements_text(n.tokens::json) AS j(token) ORDER BY 2, 3`.execute(db)).numAffectedRows;
  }
  for (const t of ['vib_link_name', 'vib_link_party']) await sql`DROP TABLE ${sql.table(t)}`.execute(db);
  return Number(rows ?? 0);
}
