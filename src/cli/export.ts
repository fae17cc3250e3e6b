/**
 * `vib export --out FILE.json|FILE.csv [--run RUN_ID] [--db PATH] [--pseudonymise]`: the register of a
 * run with every current holder, natural persons named (for a partner with a legal basis, such as the
 * RIEC). With --pseudonymise, natural persons' names and birth dates become stable keyed hashes
 * (key in VIB_PSEUDONYM_KEY). CSV output is neutralised against spreadsheet formulas.
 */
import { writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import { openEngine } from '../db/open-engine.ts';
import { resolveRun } from '../check/run-check.ts';
import { pseudonymiser } from '../privacy/pseudonymise.ts';
import { toCsv } from '../report/write-csv.ts';
import { stableJson } from '../util/stable-json.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { USAGE } from './usage.ts';

const usage = USAGE.export;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { out: { type: 'string' }, run: { type: 'string' }, db: { type: 'string' }, pseudonymise: { type: 'boolean' } });
  if (!values.out) throw new InputError(usage);
  const pseudo = values.pseudonymise ? pseudonymiser(process.env.VIB_PSEUDONYM_KEY) : null;
  const engine = await openEngine(values.db);
  try {
    const run = await resolveRun(engine.db, values.run);
    const entries = await engine.db.selectFrom('register_entry').select(['vbo_id', 'entry_json']).where('run_id', '=', run.run_id).orderBy('score', 'desc').orderBy('vbo_id').execute();
    const holders = await sql<{ vbo_id: string; persoon_id: string; soort: string; naam: string; geboortedatum: string | null; kvk_nummer: string | null; soort_recht: string; aandeel: string }>`
      SELECT r.vbo_id, p.persoon_id, p.soort, p.naam, p.geboortedatum, p.kvk_nummer, r.soort_recht, r.aandeel
      FROM recht r JOIN persoon p ON p.run_key = r.run_key AND p.persoon_id = r.persoon_id
      JOIN register_entry e ON e.run_id = ${run.run_id} AND e.vbo_id = r.vbo_id
      WHERE r.run_key = ${run.run_key} AND r.ingangsdatum <= ${run.peildatum} AND (r.einddatum IS NULL OR r.einddatum > ${run.peildatum})
      ORDER BY r.vbo_id, p.persoon_id, r.soort_recht`.execute(engine.db);
    const byUnit = new Map<string, unknown[]>();
    for (const h of holders.rows) {
      const natural = h.soort === 'natuurlijk_persoon';
      byUnit.set(h.vbo_id, [...(byUnit.get(h.vbo_id) ?? []), {
        persoon_id: h.persoon_id, soort: h.soort, kvk_nummer: h.kvk_nummer, soort_recht: h.soort_recht, aandeel: h.aandeel,
        naam: natural && pseudo ? pseudo('naam', h.naam) : h.naam,
        geboortedatum: natural && pseudo ? pseudo('geboortedatum', h.geboortedatum) : h.geboortedatum,
      }]);
    }
    const out = entries.map((e) => {
      const entry = JSON.parse(e.entry_json) as { vbo_id: string; adres: string | null; score: number; band: string; hits: { rule_id: string; points: number; explanation: { nl: string } }[] };
      return { vbo_id: entry.vbo_id, adres: entry.adres, score: entry.score, band: entry.band, rules: entry.hits.map((h) => h.rule_id), explanations: entry.hits.map((h) => h.explanation.nl), holders: byUnit.get(e.vbo_id) ?? [] };
    });
    if (values.out.endsWith('.csv')) {
      writeFileSync(values.out, toCsv(['vbo_id', 'adres', 'score', 'band', 'regels', 'rechthebbende', 'soort', 'geboortedatum', 'kvk_nummer', 'recht'],
        out.flatMap((e) => (e.holders.length ? e.holders : [{}]).map((h) => {
          const x = h as Record<string, string | null>;
          return [e.vbo_id, e.adres, e.score, e.band, e.rules.join('|'), x.naam ?? null, x.soort ?? null, x.geboortedatum ?? null, x.kvk_nummer ?? null, x.soort_recht ? `${x.soort_recht} ${x.aandeel}` : null];
        }))));
    } else {
      writeFileSync(values.out, stableJson({ run_id: run.run_id, peildatum: run.peildatum, pseudonymised: Boolean(pseudo), entries: out }));
    }
    process.stdout.write(`${out.length} entries exported to ${values.out}${pseudo ? ' (natural persons pseudonymised)' : ''}\n`);
    return 0;
  } finally {
    await engine.close();
  }
}
