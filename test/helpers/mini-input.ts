/**
 * Builds small input folders for tests: a few BAG units written as real LVBAG XML, and CSV files
 * from plain rows. Then screens them on a real SQLite file in a temp folder.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILE_FOOTER, fileHeader, numXml, oprXml, vboXml, wplXml } from '../../scripts/lvbag-xml.ts';
import { openEngine } from '../../src/db/open-engine.ts';
import { dbTarget } from './db-target.ts';
import { runScreen } from '../../src/screen/run-screen.ts';
import { pipelineSchema } from '../../schemas/pipeline.ts';
import { silentLogger } from '../../src/log.ts';

export interface MiniUnit {
  vbo: string;
  postcode?: string;
  huisnummer?: number;
  huisletter?: string;
  toevoeging?: string;
  gebruiksdoelen?: string[];
  /** Extra voorkomens beside the default one (valid since 2000). */
  voorkomens?: { voorkomen: number; begin: string; eind?: string | null; gebruiksdoelen: string[]; status?: string }[];
}

export type Rows = Record<string, string | number | null>[];

export function tempDir(prefix = 'vib-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function csvText(rows: Rows, sep = ','): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[cols.join(sep), ...rows.map((r) => cols.map((c) => cell(r[c])).join(sep))].join('\n')}\n`;
}

/** Writes an input folder; `files` maps CSV file names to rows (or raw text). */
export function writeInput(units: MiniUnit[], files: Record<string, Rows | string> & { street?: string }): string {
  const { street = 'Teststraat', ...csvFiles } = files;
  const dir = tempDir('vib-input-');
  mkdirSync(join(dir, 'bag'));
  const vbos: string[] = [];
  const nums: string[] = [];
  units.forEach((u, i) => {
    const num = `0935200000${u.vbo.slice(-6)}`;
    const base = { id: u.vbo, hoofdadres: num, oppervlakte: 80, x: 176000 + i, y: 317000 + i, pand: `0935100000${u.vbo.slice(-6)}` };
    if (u.voorkomens) for (const v of u.voorkomens) vbos.push(vboXml({ ...base, ...v }));
    else vbos.push(vboXml({ ...base, voorkomen: 1, begin: '2000-01-01', gebruiksdoelen: u.gebruiksdoelen ?? ['woonfunctie'] }));
    nums.push(numXml({ id: num, voorkomen: 1, begin: '2000-01-01', postcode: u.postcode ?? '6211AA', huisnummer: u.huisnummer ?? i + 1, huisletter: u.huisletter, toevoeging: u.toevoeging, opr: '0935300000000001' }));
  });
  writeFileSync(join(dir, 'bag', '0935VBO01012026-000001.xml'), fileHeader('0935', 'VBO', '2026-01-01') + vbos.join('') + FILE_FOOTER);
  writeFileSync(join(dir, 'bag', '0935NUM01012026-000001.xml'), fileHeader('0935', 'NUM', '2026-01-01') + nums.join('') + FILE_FOOTER);
  writeFileSync(join(dir, 'bag', '0935OPR01012026-000001.xml'), fileHeader('0935', 'OPR', '2026-01-01') + oprXml({ id: '0935300000000001', voorkomen: 1, begin: '1990-01-01', naam: street, wpl: '2531' }) + FILE_FOOTER);
  writeFileSync(join(dir, 'bag', '0935WPL01012026-000001.xml'), fileHeader('0935', 'WPL', '2026-01-01') + wplXml({ id: '2531', voorkomen: 1, begin: '1990-01-01', naam: 'Maastricht' }) + FILE_FOOTER);
  const defaults: Record<string, Rows | string> = {
    'personen.csv': [{ persoon_id: 'P1', soort: 'natuurlijk_persoon', naam: 'Test Persoon' }],
    'rechten.csv': 'recht_id,vbo_id,soort_recht,persoon_id,aandeel,ingangsdatum,einddatum\n',
  };
  for (const [name, content] of Object.entries({ ...defaults, ...csvFiles } as Record<string, Rows | string>)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : csvText(content));
  }
  return dir;
}

/** Screens an input folder into a fresh SQLite database and returns the result. */
export async function screen(inputDir: string, peildatum: string, rules: Record<string, unknown> = {}, work = tempDir('vib-run-'), now = new Date('2026-01-01T00:00:00Z')) {
  const engine = await openEngine(dbTarget(work));
  try {
    const pipeline = pipelineSchema.parse({ name: 'test', rules });
    const result = await runScreen({
      engine, pipeline, pipelineText: JSON.stringify(pipeline), inputDir, outDir: join(work, 'out'), peildatum,
      peildatumSource: 'argument', log: silentLogger, now: () => now,
    });
    return { ...result, work };
  } finally {
    await engine.close();
  }
}

/** The (unit, rule) pairs of a register, sorted, as `vbo rule` strings. */
export function pairs(register: { entries: { vbo_id: string; hits: { rule_id: string }[] }[] }, rule?: string): string[] {
  return register.entries.flatMap((e) => e.hits.filter((h) => !rule || h.rule_id === rule).map((h) => `${e.vbo_id} ${h.rule_id}`)).sort();
}
