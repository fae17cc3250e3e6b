/**
 * Finds and scores the parties a check query may mean. KvK numbers match exactly; names go through
 * the normalisation shared with party linking, candidates come from the token index (rarest tokens
 * first, never a scan of all parties), and fuse.js ranks them. Every candidate ends up accepted (with
 * a score and reasons) or rejected (with why).
 */
import Fuse from 'fuse.js';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { compareNames, type NameKind } from '../link/names/compare-names.ts';
import { looksLikeOrganisation, normaliseName } from '../link/names/normalise-name.ts';
import { nameTokens } from '../link/names/name-tokens.ts';
import { MATCH_THRESHOLD } from '../link/names/match-pairs.ts';

export interface CheckQuery {
  naam: string | null;
  geboortedatum: string | null;
  kvk: string | null;
  adres: { postcode: string; huisnummer: number } | null;
}

export interface PartyRow { party_id: string; naam: string; kind: 'person' | 'organisation' | 'unknown'; kvk_nummer: string | null; geboortedatum: string | null }
export interface Scored { party: PartyRow; score: number; reasons: string[]; matchedName: string; accepted: boolean; why: string }

const MAX_CANDIDATES = 200;
const TOKEN_COUNT_CAP = 1000;

async function addressesOf(db: Db, runKey: number, partyIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!partyIds.length) return out;
  const rows = await sql<{ party_id: string; postcode: string; huisnummer: number }>`
    SELECT l.party_id, p.postcode, p.huisnummer FROM party_link l
    JOIN persoon p ON p.run_key = l.run_key AND p.persoon_id = l.mention_id
    WHERE l.run_key = ${runKey} AND l.source = 'personen.csv' AND l.party_id IN (${sql.join(partyIds)}) AND p.postcode IS NOT NULL`.execute(db);
  for (const r of rows.rows) out.set(r.party_id, [...(out.get(r.party_id) ?? []), `${r.postcode} ${r.huisnummer}`]);
  return out;
}

export async function findCandidates(db: Db, runKey: number, q: CheckQuery): Promise<Scored[]> {
  const scored: Scored[] = [];
  if (q.kvk) {
    // Sorted here, not in SQL: an ORDER BY party_id tempts SQLite to walk the primary key of all parties.
    const parties = (await db.selectFrom('party').select(['party_id', 'naam', 'kind', 'kvk_nummer', 'geboortedatum'])
      .where('run_key', '=', runKey).where('kvk_nummer', '=', q.kvk).execute()).sort((a, b) => (a.party_id < b.party_id ? -1 : 1));
    for (const p of parties) scored.push({ party: p as PartyRow, score: 1, reasons: ['KvK-nummer gelijk'], matchedName: p.naam, accepted: true, why: '' });
    if (!q.naam) return scored;
  }
  if (!q.naam) return scored;
  const norm = normaliseName(q.naam);
  const kind: NameKind = q.geboortedatum ? 'person' : q.kvk || looksLikeOrganisation(norm) ? 'organisation' : 'unknown';
  const tokens = nameTokens(norm);
  if (tokens.length === 0) return scored;
  // Rarest tokens first: a common given name must not flood the candidate set.
  // Counted up to a cap: at a million parties a common surname has tens of thousands of rows, and
  // "common" is all the ranking needs to know.
  const freq: { token: string; n: number }[] = [];
  for (const token of tokens) {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM party_token WHERE run_key = ${runKey} AND token = ${token} LIMIT ${TOKEN_COUNT_CAP}) t`.execute(db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n > 0) freq.push({ token, n });
  }
  const byRarity = freq.sort((a, b) => a.n - b.n || (a.token < b.token ? -1 : 1)).map((f) => f.token);
  // Parties by number (their order is the ids' order), a token's first ones until the set is full.
  const numbers = new Set<number>();
  for (const token of byRarity) {
    if (numbers.size >= MAX_CANDIDATES) break;
    const rows = await db.selectFrom('party_token').select('party_no').where('run_key', '=', runKey).where('token', '=', token)
      .orderBy('party_no').limit(MAX_CANDIDATES - numbers.size + 1).execute();
    for (const r of rows) numbers.add(Number(r.party_no));
  }
  if (!numbers.size) return scored;
  const already = new Set(scored.map((s) => s.party.party_id));
  const parties = (await db.selectFrom('party').select(['party_id', 'naam', 'kind', 'kvk_nummer', 'geboortedatum'])
    .where('run_key', '=', runKey).where('party_no', 'in', [...numbers]).execute())
    .filter((p) => !already.has(p.party_id)).sort((a, b) => (a.party_id < b.party_id ? -1 : 1));
  const candidateIds = parties.map((p) => p.party_id);
  if (!candidateIds.length) return scored;
  const names = await db.selectFrom('party_link').select(['party_id', 'naam']).where('run_key', '=', runKey).where('party_id', 'in', candidateIds)
    .orderBy('party_id').orderBy('source').orderBy('mention_id').execute();
  const namesOf = new Map<string, string[]>();
  for (const n of names) if (n.naam) namesOf.set(n.party_id, [...new Set([...(namesOf.get(n.party_id) ?? []), n.naam])]);
  // fuse.js ranks the candidates by overall string closeness: the tie-breaker between equal scores.
  const fuse = new Fuse(parties.map((p) => ({ id: p.party_id, text: (namesOf.get(p.party_id) ?? [p.naam]).map((n) => normaliseName(n).core.join(' ')).join(' | ') })), { keys: ['text'], includeScore: true, threshold: 1, ignoreLocation: true });
  const fuseRank = new Map(fuse.search(norm.core.join(' ')).map((r) => [r.item.id, 1 - (r.score ?? 1)]));
  const addresses = q.adres ? await addressesOf(db, runKey, candidateIds) : new Map<string, string[]>();
  for (const p of parties as PartyRow[]) {
    let best = { score: -1, reasons: [] as string[], name: p.naam };
    for (const n of namesOf.get(p.party_id) ?? [p.naam]) {
      const c = compareNames(norm, normaliseName(n), p.kind === 'unknown' ? kind : p.kind);
      if (c.score > best.score) best = { score: c.score, reasons: c.reasons, name: n };
    }
    let score = best.score;
    const reasons = [...best.reasons];
    let why = '';
    if (q.kvk && p.kvk_nummer && p.kvk_nummer !== q.kvk) why = `ander KvK-nummer (${p.kvk_nummer})`;
    if (q.geboortedatum && p.geboortedatum) {
      if (p.geboortedatum === q.geboortedatum) { reasons.push('geboortedatum gelijk'); score = Math.min(1, score + 0.05); }
      else why ||= `andere geboortedatum (${p.geboortedatum})`;
    } else if (q.geboortedatum && p.kind !== 'organisation') reasons.push('geboortedatum onbekend bij kandidaat');
    if (q.geboortedatum && p.kind === 'organisation') why ||= 'kandidaat is een organisatie, de vraag een persoon';
    if (q.adres) {
      const key = `${q.adres.postcode} ${q.adres.huisnummer}`;
      if ((addresses.get(p.party_id) ?? []).includes(key)) { reasons.push('adres gelijk'); score = Math.min(1, score + 0.05); }
    }
    if (!why && score < MATCH_THRESHOLD) why = `naam lijkt onvoldoende (score ${score.toFixed(2)} < ${MATCH_THRESHOLD})`;
    scored.push({ party: p, score: Math.round(score * 1000) / 1000, reasons, matchedName: best.name, accepted: !why, why });
  }
  return scored.sort((a, b) => Number(b.accepted) - Number(a.accepted) || b.score - a.score
    || (fuseRank.get(b.party.party_id) ?? 0) - (fuseRank.get(a.party.party_id) ?? 0) || (a.party.party_id < b.party.party_id ? -1 : 1));
}
