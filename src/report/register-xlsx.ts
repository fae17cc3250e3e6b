/**
 * register.xlsx: the spreadsheet analysts pass around. One sheet of entries (filters, frozen header),
 * one of hits with their evidence, one of the rules applied. Written with exceljs's streaming writer:
 * rows go to the zip as they are added (its in-memory workbook took ≈ 750 MB for the 27,155 entries of
 * 4M units), with the event loop let through every few rows so that they do (see ROWS_PER_TURN).
 * The zip's timestamps are fixed so the file is byte-stable.
 */
import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { Register } from '../../schemas/register.ts';
import { neutraliseFormula } from './csv-safe.ts';
import { stableZip } from './stable-zip.ts';

type Cell = string | number | null;

/**
 * Rows added between two turns of the event loop. exceljs's streaming writer hands a sheet's XML to
 * its zip only in later turns of the event loop, and its compression runs on libuv's threads, whose
 * results also arrive in later turns: a sheet written in one go was held whole, uncompressed, until
 * then. From the 10M bench's register (110,000 entries; sheets of 69 and 101 MB of XML) the workbook
 * held up to 358 MB of buffers that way; letting the loop turn every 20 rows, 40 MB (every 100 rows:
 * 160 MB), in 9.1-13.4 s against 11.8-15.4 s.
 */
const ROWS_PER_TURN = 20;

async function sheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: { header: string; width: number }[], rows: Iterable<Cell[]>): Promise<void> {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  ws.getRow(1).font = { bold: true };
  let n = 0;
  for (const r of rows) {
    ws.addRow(r.map((v) => neutraliseFormula(v))).commit();
    if (++n % ROWS_PER_TURN === 0) await nextTurn();
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, n + 1), column: columns.length } };
  ws.commit();
}

export async function registerXlsx(register: Register): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  // Fixed metadata: the workbook must not carry the time it was written.
  const created = new Date(`${register.peildatum}T00:00:00Z`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Vastgoed in Beeld';
  wb.created = created;
  wb.modified = created;
  await sheet(wb, 'Registratie', [
    { header: 'vbo_id', width: 19 }, { header: 'adres', width: 40 }, { header: 'straat', width: 22 }, { header: 'postcode', width: 10 },
    { header: 'woonplaats', width: 14 }, { header: 'gebruiksdoelen', width: 24 }, { header: 'score', width: 7 }, { header: 'band', width: 8 },
    { header: 'regels', width: 60 }, { header: 'rechthebbenden', width: 40 }, { header: 'opmerkingen', width: 30 },
  ], (function* () { for (const e of register.entries) yield [
    e.vbo_id, e.adres, e.straat, e.postcode, e.woonplaats, e.gebruiksdoelen.join(', '), e.score, e.band,
    e.hits.map((h) => h.rule_id).join(', '),
    e.holders.map((h) => `${h.naam ?? `natuurlijk persoon ${h.persoon_id}`} (${h.soort_recht} ${h.aandeel})`).join('; '),
    e.notes.join('; '),
  ]; })());
  await sheet(wb, 'Treffers', [
    { header: 'vbo_id', width: 19 }, { header: 'adres', width: 40 }, { header: 'regel', width: 34 }, { header: 'versie', width: 7 },
    { header: 'punten', width: 7 }, { header: 'toelichting', width: 90 }, { header: 'bewijs', width: 90 },
  ], (function* () {
    for (const e of register.entries) {
      for (const h of e.hits) {
        yield [
          e.vbo_id, e.adres, h.rule_id, h.rule_version, h.points, h.explanation.nl,
          h.evidence.map((ev) => `${ev.source} ${ev.id}: ${Object.entries(ev.fields).map(([k, v]) => `${k}=${v ?? ''}`).join(', ')}`).join(' | '),
        ];
      }
    }
  })());
  await sheet(wb, 'Regels', [
    { header: 'regel', width: 34 }, { header: 'titel', width: 50 }, { header: 'versie', width: 7 }, { header: 'punten', width: 7 },
    { header: 'parameters', width: 80 }, { header: 'treffers', width: 9 },
  ], [
    ...register.rules.map((r): Cell[] => [r.id, r.title.nl, r.version, r.points, JSON.stringify(r.parameters), register.summary.by_rule[r.id] ?? 0]),
    ...register.unavailable_rules.map((r): Cell[] => [r.id, `niet beschikbaar: ${r.reason}`, null, null, null, null]),
  ]);
  await wb.commit();
  const zip = Buffer.concat(chunks);
  chunks.length = 0; // the pieces can go before the stamping
  return stableZip(zip);
}
