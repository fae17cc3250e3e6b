/**
 * `vib check [--db PATH] (--naam NAME [--geboortedatum D] | --kvk NUMBER) [--adres "POSTCODE HUISNUMMER"]
 *  [--reden TEXT] [--run RUN_ID] [--as USER] [--json | --html FILE]`: everything known about one person
 * or company, explained, from the latest screening (or the run named).
 */
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { openEngine } from '../db/open-engine.ts';
import { runCheck } from '../check/run-check.ts';
import { checkText } from '../report/check-text.ts';
import { checkHtml } from '../report/check-html.ts';
import { parseDate } from '../util/dates.ts';
import { stableJson } from '../util/stable-json.ts';
import { InputError } from '../util/input-error.ts';
import { parse } from './args.ts';
import { USAGE } from './usage.ts';

const usage = USAGE.check;

export function parseAdres(text: string): { postcode: string; huisnummer: number } {
  const m = /^\s*([1-9]\d{3})\s*([A-Za-z]{2})\s+(\d{1,5})\s*$/.exec(text);
  if (!m) throw new InputError(`--adres "${text}" is not "POSTCODE HUISNUMMER" (e.g. "6211 AB 12")`);
  return { postcode: `${m[1]}${m[2]!.toUpperCase()}`, huisnummer: Number(m[3]) };
}

export async function checkCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    db: { type: 'string' }, naam: { type: 'string' }, geboortedatum: { type: 'string' }, kvk: { type: 'string' },
    adres: { type: 'string' }, reden: { type: 'string' }, run: { type: 'string' }, as: { type: 'string' },
    json: { type: 'boolean' }, html: { type: 'string' },
  });
  if (!values.naam && !values.kvk) throw new InputError(`give --naam or --kvk\n${usage}`);
  const kvk = values.kvk?.replace(/\s/g, '') ?? null;
  if (kvk !== null && !/^\d{8}$/.test(kvk)) throw new InputError(`--kvk "${values.kvk}" is not an 8-digit KvK number`);
  const geboortedatum = values.geboortedatum ? parseDate(values.geboortedatum) : null;
  if (values.geboortedatum && !geboortedatum) throw new InputError(`--geboortedatum "${values.geboortedatum}" is not a date`);
  const engine = await openEngine(values.db);
  try {
    const report = await runCheck({
      db: engine.db,
      query: { naam: values.naam?.trim() || null, geboortedatum, kvk, adres: values.adres ? parseAdres(values.adres) : null },
      reden: values.reden ?? null,
      who: values.as ?? process.env.VIB_USER ?? userInfo().username,
      runId: values.run,
    });
    if (values.json) process.stdout.write(stableJson(report));
    else process.stdout.write(checkText(report));
    if (values.html) {
      writeFileSync(values.html, checkHtml(report));
      if (!values.json) process.stdout.write(`HTML: ${values.html}\n`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}
