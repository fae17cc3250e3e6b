/**
 * One applicant check: find the parties, describe each match, log the check. Checks that concern a
 * natural person (a name query that is not an organisation's, or any person among the matches) need a
 * stated reason; the log records who asked, when, what, why and how many parties matched.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { CheckReport } from '../../schemas/check.ts';
import { InputError } from '../util/input-error.ts';
import { looksLikeOrganisation, normaliseName } from '../link/names/normalise-name.ts';
import { MATCH_THRESHOLD } from '../link/names/match-pairs.ts';
import { findCandidates, type CheckQuery } from './find-candidates.ts';
import { describeParty, type CheckRun } from './build-check-report.ts';

export interface CheckRequest {
  db: Db;
  query: CheckQuery;
  reden: string | null;
  who: string;
  runId?: string;
  now?: () => Date;
}

/** The latest completed run, or the one named. */
export async function resolveRun(db: Db, runId?: string): Promise<CheckRun> {
  let q = db.selectFrom('run').select(['run_id', 'run_key', 'peildatum']).where('finished_at', 'is not', null);
  if (runId) q = q.where('run_id', '=', runId);
  const run = await q.orderBy('started_at', 'desc').orderBy('run_id', 'desc').executeTakeFirst();
  if (!run) throw new InputError(runId ? `run ${runId} is not in this database` : 'this database holds no completed screening; run vib screen first');
  return run;
}

export async function runCheck(req: CheckRequest): Promise<CheckReport> {
  const { db, query } = req;
  const run = await resolveRun(db, req.runId);
  const nameIsPerson = query.naam !== null && !query.kvk && !looksLikeOrganisation(normaliseName(query.naam));
  if (nameIsPerson && !req.reden?.trim()) {
    throw new InputError('a check on a natural person needs a reason: add --reden "…" (it is logged for the privacy officer)');
  }
  const scored = await findCandidates(db, run.run_key, query);
  const accepted = scored.filter((s) => s.accepted);
  const involvesPerson = nameIsPerson || accepted.some((s) => s.party.kind === 'person');
  if (involvesPerson && !req.reden?.trim()) {
    throw new InputError('this check matches a natural person and needs a reason: add --reden "…" (it is logged for the privacy officer)');
  }
  const matches = [];
  for (const s of accepted) matches.push(await describeParty(db, run, s));
  const rejected = scored.filter((s) => !s.accepted).slice(0, 20).map((s) => ({
    party: { party_id: s.party.party_id, naam: s.party.naam, soort: s.party.kind, kvk_nummer: s.party.kvk_nummer, geboortedatum: s.party.geboortedatum },
    score: s.score, reasons: s.reasons, why: s.why,
  }));
  const now = (req.now ?? (() => new Date()))();
  await db.insertInto('check_log').values({
    check_id: randomUUID(), at: now.toISOString(), who: req.who, run_id: run.run_id,
    query: JSON.stringify({ naam: query.naam, geboortedatum: query.geboortedatum, kvk: query.kvk, adres: query.adres }),
    reden: req.reden?.trim() || null, natural_person: involvesPerson ? 1 : 0, matches: matches.length, rejected: rejected.length,
  }).execute();
  return {
    format: 'vastgoed-in-beeld/check@1',
    run_id: run.run_id,
    peildatum: run.peildatum,
    query: { naam: query.naam, geboortedatum: query.geboortedatum, kvk_nummer: query.kvk, adres: query.adres ? `${query.adres.postcode} ${query.adres.huisnummer}` : null },
    reden: req.reden?.trim() || null,
    threshold: MATCH_THRESHOLD,
    matches,
    rejected,
  };
}
