/**
 * Everything known about each matched party: units held now and in the last five years, transfers
 * as buyer and seller, mortgages given and received, permit and subsidy applications, establishments,
 * signals, and the register entries of those units; then the parties one step away (co-owners,
 * lenders, sellers, same postal address), each in brief. Queries are per party and indexed: a check
 * touches only what belongs to the parties found.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.ts';
import type { CheckMatch } from '../../schemas/check.ts';
import { addMonths } from '../util/dates.ts';
import { formatAddress, unitAddresses } from '../link/build-units.ts';
import type { PartyRow, Scored } from './find-candidates.ts';

async function mentions(db: Db, runKey: number, partyId: string) {
  return db.selectFrom('party_link').select(['source', 'mention_id']).where('run_key', '=', runKey).where('party_id', '=', partyId).orderBy('source').orderBy('mention_id').execute();
}

/** Lists in a check report hold at most this many rows (the most recent first); `totals` says how many there are. */
export const LIST_LIMIT = 100;
/** Counts stop here: "more than 10,000 mortgages" is all a reviewer needs to know of a bank. */
export const COUNT_CAP = 10_000;

async function cappedCount(db: Db, rows: RawBuilder<unknown>): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM (${rows} LIMIT ${COUNT_CAP + 1}) c`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

// An id no record has (ids are never empty): keeps IN () lists valid when a party has no mentions of a kind.
const none = [''];

/** The screening a check reads: its id (register, log) and its key (the working tables). */
export interface CheckRun { run_id: string; run_key: number; peildatum: string }

/** A related party in brief: current units, signals and register entries, counted in SQL. */
async function brief(db: Db, { run_id: runId, run_key: runKey, peildatum }: CheckRun, partyId: string): Promise<{ units: number; signals: string[]; register_entries: number }> {
  const [units, signals, entries] = await Promise.all([
    sql<{ n: number }>`SELECT count(DISTINCT r.vbo_id) AS n FROM party_link l
    JOIN recht r ON r.run_key = l.run_key AND r.persoon_id = l.mention_id AND r.ingangsdatum <= ${peildatum} AND (r.einddatum IS NULL OR r.einddatum > ${peildatum})
    WHERE l.run_key = ${runKey} AND l.party_id = ${partyId} AND l.source = 'personen.csv'`.execute(db),
    sql<{ mention_id: string }>`SELECT l.mention_id FROM party_link l JOIN signaal s ON s.run_key = l.run_key AND s.signaal_id = l.mention_id AND s.datum <= ${peildatum}
    WHERE l.run_key = ${runKey} AND l.party_id = ${partyId} AND l.source = 'signalen.csv' ORDER BY l.mention_id`.execute(db),
    sql<{ n: number }>`SELECT count(DISTINCT e.vbo_id) AS n FROM party_link l
    JOIN recht r ON r.run_key = l.run_key AND r.persoon_id = l.mention_id AND r.ingangsdatum <= ${peildatum} AND (r.einddatum IS NULL OR r.einddatum > ${peildatum})
    JOIN register_entry e ON e.run_id = ${runId} AND e.vbo_id = r.vbo_id
    WHERE l.run_key = ${runKey} AND l.party_id = ${partyId} AND l.source = 'personen.csv'`.execute(db),
  ]);
  return { units: Number(units.rows[0]?.n ?? 0), signals: signals.rows.map((r) => r.mention_id), register_entries: Number(entries.rows[0]?.n ?? 0) };
}

export async function describeParty(db: Db, run: CheckRun, s: Scored): Promise<CheckMatch> {
  const { run_id: runId, run_key: runKey, peildatum } = run;
  const ms = await mentions(db, runKey, s.party.party_id);
  const persons = ms.filter((m) => m.source === 'personen.csv').map((m) => m.mention_id);
  const ids = persons.length ? persons : none;
  const since5y = addMonths(peildatum, -60);
  const inIds = sql.join(ids);
  // Each list is the most recent LIST_LIMIT rows and a count capped at COUNT_CAP: a bank finances
  // hundreds of thousands of units, and a check must stay fast and readable for it too.
  const rightsWhere = sql`r.run_key = ${runKey} AND r.persoon_id IN (${inIds}) AND r.ingangsdatum <= ${peildatum} AND (r.einddatum IS NULL OR r.einddatum > ${since5y})`;
  const transfersFrom = sql`FROM transactie_partij tp JOIN transactie t ON t.run_key = tp.run_key AND t.transactie_id = tp.transactie_id
    WHERE tp.run_key = ${runKey} AND tp.persoon_id IN (${inIds}) AND t.datum <= ${peildatum}`;
  const lent = sql`FROM hypotheek WHERE run_key = ${runKey} AND hypotheekhouder_id IN (${inIds}) AND datum <= ${peildatum}`;
  const borrowed = sql`FROM hypotheek WHERE run_key = ${runKey} AND hypotheekgever_id IN (${inIds}) AND datum <= ${peildatum}`;
  const appMentions = ms.filter((m) => m.source === 'vergunningen.csv' || m.source === 'subsidies.csv');
  const kvkLines = ms.filter((m) => m.source === 'kvk.csv').map((m) => Number(m.mention_id));
  const sigIds = ms.filter((m) => m.source === 'signalen.csv').map((m) => m.mention_id);
  // The queries that do not depend on each other go out together: on PostgreSQL each is a round trip,
  // and the engine's pool runs them side by side (SQLite runs them one after the other, as before).
  const [rightRows, transfers, mortgages, unitsTotal, transfersTotal, lentTotal, borrowedTotal, applications, establishments, signals, signalLinkRows, runRow] = await Promise.all([
    sql<{ recht_id: string; vbo_id: string; soort_recht: string; aandeel: string; ingangsdatum: string; einddatum: string | null }>`
      SELECT r.recht_id, r.vbo_id, r.soort_recht, r.aandeel, r.ingangsdatum, r.einddatum FROM recht r WHERE ${rightsWhere}
      ORDER BY r.ingangsdatum DESC, r.recht_id LIMIT ${LIST_LIMIT}`.execute(db),
    sql<{ transactie_id: string; vbo_id: string; datum: string; koopsom: number | null; rol: 'koper' | 'verkoper' }>`
      SELECT DISTINCT t.transactie_id, t.vbo_id, t.datum, t.koopsom, tp.rol ${transfersFrom}
      ORDER BY t.datum DESC, t.transactie_id, tp.rol LIMIT ${LIST_LIMIT}`.execute(db),
    sql<{ hypotheek_id: string; vbo_id: string; datum: string; bedrag: number | null; einddatum: string | null; rol: 'geldverstrekker' | 'geldnemer' }>`
      SELECT * FROM (SELECT hypotheek_id, vbo_id, datum, bedrag, einddatum, 'geldverstrekker' AS rol ${lent} ORDER BY datum DESC, hypotheek_id LIMIT ${LIST_LIMIT}) l
      UNION ALL
      SELECT * FROM (SELECT hypotheek_id, vbo_id, datum, bedrag, einddatum, 'geldnemer' AS rol ${borrowed} ORDER BY datum DESC, hypotheek_id LIMIT ${LIST_LIMIT}) b
      ORDER BY datum DESC, hypotheek_id LIMIT ${LIST_LIMIT}`.execute(db),
    cappedCount(db, sql`SELECT 1 FROM recht r WHERE ${rightsWhere}`),
    cappedCount(db, sql`SELECT 1 ${transfersFrom}`),
    cappedCount(db, sql`SELECT 1 ${lent}`),
    cappedCount(db, sql`SELECT 1 ${borrowed}`),
    appMentions.length ? db.selectFrom('aanvraag').selectAll().where('run_key', '=', runKey)
      .where((eb) => eb.or(appMentions.map((m) => eb.and([eb('bron', '=', m.source.replace('.csv', '') as 'vergunningen'), eb('aanvraag_id', '=', m.mention_id)]))))
      .orderBy('datum_aanvraag').orderBy('aanvraag_id').execute() : [],
    kvkLines.length ? db.selectFrom('kvk').selectAll().where('run_key', '=', runKey).where('line', 'in', kvkLines).orderBy('line').execute() : [],
    sigIds.length ? db.selectFrom('signaal').selectAll().where('run_key', '=', runKey).where('signaal_id', 'in', sigIds).where('datum', '<=', peildatum).orderBy('datum').orderBy('signaal_id').execute() : [],
    db.selectFrom('party_link').select(['mention_id', 'reason']).where('run_key', '=', runKey).where('source', '=', 'signalen.csv').where('mention_id', 'in', sigIds.length ? sigIds : none).execute(),
    db.selectFrom('run').select('pipeline').where('run_key', '=', runKey).executeTakeFirst(),
  ]);
  const rights = rightRows.rows
    .sort((a, b) => (a.vbo_id < b.vbo_id ? -1 : a.vbo_id > b.vbo_id ? 1 : a.ingangsdatum < b.ingangsdatum ? -1 : a.ingangsdatum > b.ingangsdatum ? 1 : a.recht_id < b.recht_id ? -1 : 1));
  const totals = { units: unitsTotal, transfers: transfersTotal, mortgages: lentTotal + borrowedTotal };
  const signalLinks = new Map(signalLinkRows.map((r) => [r.mention_id, r.reason]));
  const pipeline = runRow?.pipeline ?? '';

  // The register entries of every unit the party is involved in (not only the listed ones), highest
  // first. A party with few records: list its units and look them up. A bank with tens of thousands:
  // go through the register (about one unit in a hundred) and ask per entry whether the party is in it.
  const appUnits = sql.join(applications.map((a) => a.vbo_id).filter((v): v is string => !!v).concat(none));
  const kvkIn = sql.join(kvkLines.length ? kvkLines : [-1]);
  const fewRecords = totals.units + totals.transfers + totals.mortgages < 2_000;
  const involvedIn = fewRecords
    ? sql`e.vbo_id IN (SELECT vbo_id FROM recht r WHERE ${rightsWhere}
        UNION SELECT t.vbo_id ${transfersFrom}
        UNION SELECT vbo_id ${lent} UNION SELECT vbo_id ${borrowed}
        UNION SELECT vbo_id FROM aanvraag WHERE run_key = ${runKey} AND vbo_id IN (${appUnits})
        UNION SELECT vbo_id FROM kvk WHERE run_key = ${runKey} AND line IN (${kvkIn}) AND vbo_id IS NOT NULL)`
    : sql`(EXISTS (SELECT 1 FROM recht r WHERE ${rightsWhere} AND r.vbo_id = e.vbo_id)
        OR EXISTS (SELECT 1 FROM transactie t JOIN transactie_partij tp ON tp.run_key = t.run_key AND tp.transactie_id = t.transactie_id
          WHERE t.run_key = ${runKey} AND t.vbo_id = e.vbo_id AND tp.persoon_id IN (${inIds}) AND t.datum <= ${peildatum})
        OR EXISTS (SELECT 1 FROM hypotheek h WHERE h.run_key = ${runKey} AND h.vbo_id = e.vbo_id AND h.datum <= ${peildatum}
          AND (h.hypotheekhouder_id IN (${inIds}) OR h.hypotheekgever_id IN (${inIds})))
        OR e.vbo_id IN (${appUnits})
        OR e.vbo_id IN (SELECT vbo_id FROM kvk WHERE run_key = ${runKey} AND line IN (${kvkIn}) AND vbo_id IS NOT NULL))`;
  // The register entries and the related parties do not depend on each other: asked side by side.
  const registerPart = async () => {
    const ranked = (await sql<{ vbo_id: string }>`SELECT e.vbo_id FROM register_entry e WHERE e.run_id = ${runId} AND ${involvedIn}
      ORDER BY e.score DESC, e.vbo_id LIMIT ${COUNT_CAP + 1}`.execute(db)).rows;
    const registerTotal = ranked.length;
    const top = ranked.slice(0, LIST_LIMIT).map((r) => r.vbo_id);
    const entries = top.length ? (await db.selectFrom('register_entry').select(['vbo_id', 'score', 'band', 'entry_json'])
      .where('run_id', '=', runId).where('vbo_id', 'in', top).execute()).sort((a, b) => b.score - a.score || (a.vbo_id < b.vbo_id ? -1 : 1)) : [];
    const unitIds = [...new Set([...rights.map((r) => r.vbo_id), ...entries.map((e) => e.vbo_id)])].sort();
    const reviewed = new Map<string, string>();
    const reviews = async () => {
      for (let i = 0; i < entries.length; i += 5000) {
        for (const r of await db.selectFrom('review_state').select(['vbo_id', 'status', 'pending_status']).where('pipeline', '=', pipeline).where('vbo_id', 'in', entries.slice(i, i + 5000).map((e) => e.vbo_id)).execute()) {
          reviewed.set(r.vbo_id, r.pending_status ? `${r.status} (wacht op bevestiging: ${r.pending_status})` : r.status);
        }
      }
    };
    const [addresses] = await Promise.all([unitAddresses(db, runKey, peildatum, unitIds), reviews()]);
    return { registerTotal, entries, addresses, reviewed };
  };

  const relatedPart = async (): Promise<CheckMatch['related']> => {
    // Four small queries rather than one UNION, each from the party's own records outwards. CROSS JOIN
    // fixes that order for SQLite, whose sampled statistics would otherwise scan from the other end
    // (1.4 s per check at a million parties); PostgreSQL plans it as an inner join.
    const rel = (await Promise.all([
      sql<{ party_id: string; relation: string }>`SELECT DISTINCT l.party_id, 'mede-eigenaar' AS relation
        FROM recht r CROSS JOIN recht r2 CROSS JOIN party_link l
        WHERE r.run_key = ${runKey} AND r.persoon_id IN (${inIds}) AND r.ingangsdatum <= ${peildatum} AND (r.einddatum IS NULL OR r.einddatum > ${peildatum})
          AND r2.run_key = r.run_key AND r2.vbo_id = r.vbo_id AND r2.persoon_id <> r.persoon_id
          AND r2.ingangsdatum <= ${peildatum} AND (r2.einddatum IS NULL OR r2.einddatum > ${peildatum})
          AND l.run_key = r2.run_key AND l.source = 'personen.csv' AND l.mention_id = r2.persoon_id`.execute(db),
      sql<{ party_id: string; relation: string }>`SELECT DISTINCT l.party_id, 'geldverstrekker' AS relation
        FROM hypotheek h CROSS JOIN party_link l
        WHERE h.run_key = ${runKey} AND h.hypotheekgever_id IN (${inIds}) AND h.datum <= ${peildatum}
          AND l.run_key = h.run_key AND l.source = 'personen.csv' AND l.mention_id = h.hypotheekhouder_id`.execute(db),
      sql<{ party_id: string; relation: string }>`SELECT DISTINCT l.party_id, 'verkoper' AS relation
        FROM transactie_partij k CROSS JOIN transactie_partij v CROSS JOIN party_link l
        WHERE k.run_key = ${runKey} AND k.rol = 'koper' AND k.persoon_id IN (${inIds})
          AND v.run_key = k.run_key AND v.transactie_id = k.transactie_id AND v.rol = 'verkoper'
          AND l.run_key = v.run_key AND l.source = 'personen.csv' AND l.mention_id = v.persoon_id`.execute(db),
      sql<{ party_id: string; relation: string }>`SELECT DISTINCT l.party_id, 'zelfde postadres' AS relation
        FROM persoon p CROSS JOIN persoon p2 CROSS JOIN party_link l
        WHERE p.run_key = ${runKey} AND p.persoon_id IN (${inIds}) AND p.postcode IS NOT NULL AND p.huisnummer IS NOT NULL
          AND p2.run_key = p.run_key AND p2.postcode = p.postcode AND p2.huisnummer = p.huisnummer AND p2.persoon_id <> p.persoon_id
          AND coalesce(p2.huisletter, '') = coalesce(p.huisletter, '') AND coalesce(p2.toevoeging, '') = coalesce(p.toevoeging, '')
          AND l.run_key = p2.run_key AND l.source = 'personen.csv' AND l.mention_id = p2.persoon_id`.execute(db),
    ])).flatMap((r) => r.rows).sort((a, b) => (a.party_id < b.party_id ? -1 : a.party_id > b.party_id ? 1 : a.relation < b.relation ? -1 : 1));
    const byParty = new Map<string, string[]>();
    for (const r of rel) if (r.party_id !== s.party.party_id) byParty.set(r.party_id, [...(byParty.get(r.party_id) ?? []), r.relation]);
    const relParties = byParty.size ? await db.selectFrom('party').select(['party_id', 'naam', 'kind', 'kvk_nummer', 'geboortedatum']).where('run_key', '=', runKey).where('party_id', 'in', [...byParty.keys()]).orderBy('party_id').execute() : [];
    return Promise.all(relParties.map(async (p) => ({
      party: { party_id: p.party_id, naam: p.naam, soort: p.kind, kvk_nummer: p.kvk_nummer, geboortedatum: p.geboortedatum },
      relation: byParty.get(p.party_id)!,
      ...(await brief(db, run, p.party_id)),
    })));
  };
  const [{ registerTotal, entries, addresses, reviewed }, related] = await Promise.all([registerPart(), relatedPart()]);

  return {
    party: { party_id: s.party.party_id, naam: s.party.naam, soort: s.party.kind, kvk_nummer: s.party.kvk_nummer, geboortedatum: s.party.geboortedatum },
    score: s.score,
    reasons: s.reasons,
    matched_name: s.matchedName,
    totals: { ...totals, register: registerTotal },
    units: rights.map((r) => ({
      vbo_id: r.vbo_id, adres: formatAddress(addresses.get(r.vbo_id)), soort_recht: r.soort_recht, aandeel: r.aandeel,
      ingangsdatum: r.ingangsdatum, einddatum: r.einddatum, current: r.einddatum === null || r.einddatum > peildatum,
    })),
    transfers: transfers.rows.map((t) => ({ ...t, koopsom: t.koopsom === null ? null : Number(t.koopsom) })),
    mortgages: mortgages.rows.map((m) => ({ ...m, bedrag: m.bedrag === null ? null : Number(m.bedrag) })),
    applications: applications.map((a) => ({ bron: a.bron, aanvraag_id: a.aanvraag_id, soort: a.soort, vbo_id: a.vbo_id, datum_aanvraag: a.datum_aanvraag, status: a.status, bedrag: a.bedrag })),
    establishments: establishments.map((e) => ({ kvk_nummer: e.kvk_nummer, naam: e.naam, vbo_id: e.vbo_id, sbi_codes: e.sbi_codes, datum_oprichting: e.datum_oprichting, datum_opheffing: e.datum_opheffing })),
    signals: signals.map((x) => ({ signaal_id: x.signaal_id, bron: x.bron, datum: x.datum, omschrijving: x.omschrijving, link: signalLinks.get(x.signaal_id) ?? '' })),
    register: entries.map((e) => ({
      vbo_id: e.vbo_id, adres: (JSON.parse(e.entry_json) as { adres: string | null }).adres, score: e.score, band: e.band,
      rules: (JSON.parse(e.entry_json) as { hits: { rule_id: string }[] }).hits.map((h) => h.rule_id), review_status: reviewed.get(e.vbo_id) ?? null,
    })),
    related,
  };
}
