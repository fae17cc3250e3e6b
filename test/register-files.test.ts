import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSchema, type Register } from '../schemas/register.ts';
import { pairs, screen, writeInput } from './helpers/mini-input.ts';
import { haveChromium, launch } from './helpers/browser.ts';
import { ROOT, vib } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';
import { dbTarget } from './helpers/db-target.ts';

describe('register files of the demo run', () => {
  let runDir: string;
  let register: Register;
  beforeAll(() => {
    const work = tempDir();
    const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--db', dbTarget(work), '--out', join(work, 'out')]);
    expect(r.code).toBe(0);
    runDir = r.stdout.trim().split('\n').at(-1)!;
    register = registerSchema.parse(JSON.parse(readFileSync(join(runDir, 'register.json'), 'utf8')));
  });

  it('register.xlsx has the entries (frozen header, filters) and the hits with evidence', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(runDir, 'register.xlsx'));
    const entries = wb.getWorksheet('Registratie')!;
    expect(entries.rowCount).toBe(register.entries.length + 1);
    expect(entries.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(entries.autoFilter).toBeTruthy();
    expect(entries.getRow(2).getCell(1).value).toBe(register.entries[0]!.vbo_id);
    const hits = wb.getWorksheet('Treffers')!;
    expect(hits.rowCount).toBe(register.entries.reduce((n, e) => n + e.hits.length, 0) + 1);
    expect(String(hits.getRow(2).getCell(7).value)).toMatch(/\.csv /);
  });

  it('register.csv has one row per entry with its rule ids', () => {
    const lines = readFileSync(join(runDir, 'register.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('vbo_id;adres;postcode;woonplaats;gebruiksdoelen;score;band;regels;toelichting');
    expect(lines).toHaveLength(register.entries.length + 1);
  });

  it('register.html shows the summary, the map and the entries, filters them, and is screenshotted', async () => {
    if (!haveChromium()) return;
    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const requests: string[] = [];
      page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
      await page.goto(`file://${join(runDir, 'register.html')}`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Risicoregister demo');
      expect(await page.locator('svg.map circle').count()).toBe(register.entries.filter((e) => e.x !== null).length);
      expect(await page.locator('#entries tbody tr:visible').count()).toBe(register.entries.length);
      await page.selectOption('#f-band', 'hoog');
      expect(await page.locator('#entries tbody tr:visible').count()).toBe(register.summary.by_band.hoog);
      await page.selectOption('#f-band', '');
      await page.selectOption('#f-rule', 'ownership.portfolio-buildup');
      expect(await page.locator('#entries tbody tr:visible').count()).toBe(register.summary.by_rule['ownership.portfolio-buildup']);
      await page.selectOption('#f-rule', '');
      const street = register.entries[0]!.straat!;
      await page.fill('#f-street', street.slice(0, 5));
      const shown = await page.locator('#entries tbody tr:visible').count();
      expect(shown).toBe(register.entries.filter((e) => (e.straat ?? '').toLowerCase().includes(street.slice(0, 5).toLowerCase())).length);
      await page.fill('#f-street', '');
      const scores = () => page.locator('#entries tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.score)));
      await page.click('#entries th[data-key="adres"]');
      await page.click('#entries th[data-key="score"]');
      const desc = await scores();
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
      await page.click('#entries th[data-key="score"]');
      const asc = await scores();
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      await page.click('#entries th[data-key="score"]');
      expect(requests).toEqual([]);
      const out = process.env.VIB_UPDATE_SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : tempDir();
      mkdirSync(out, { recursive: true });
      await page.screenshot({ path: join(out, 'register.png') });
      expect(readFileSync(join(out, 'register.png')).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
    }
  });
});

describe('register files are safe with hostile data', () => {
  it('escapes HTML and neutralises spreadsheet formulas in names and addresses', async () => {
    const evil = '<script>alert(1)</script> =HYPERLINK("http://x","klik")';
    const input = writeInput([{ vbo: '0935010000000001' }], {
      'personen.csv': [
        { persoon_id: 'E', soort: 'niet_natuurlijk_persoon', naam: evil, land: 'CY' },
      ],
      'rechten.csv': [{ recht_id: 'R1', vbo_id: '0935010000000001', soort_recht: 'eigendom', persoon_id: 'E', ingangsdatum: '2010-01-01' }],
    });
    const { register, runDir } = await screen(input, '2026-01-01');
    expect(pairs(register)).toEqual(['0935010000000001 financing.opaque-owner']);
    const html = readFileSync(join(runDir, 'register.html'), 'utf8');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(runDir, 'register.xlsx'));
    const cells: unknown[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(c.value))));
    expect(cells.some((c) => typeof c === 'object' && c !== null && 'formula' in c)).toBe(false);
    const holders = String(wb.getWorksheet('Registratie')!.getRow(2).getCell(10).value);
    expect(holders.startsWith('<script>')).toBe(true);
    const evilCsv = writeInput([{ vbo: '0935010000000001' }], {
      street: '=HYPERLINK("http://x")',
      'personen.csv': [{ persoon_id: 'E', soort: 'niet_natuurlijk_persoon', naam: '=HYPERLINK("http://x")', land: 'CY' }],
      'rechten.csv': [{ recht_id: 'R1', vbo_id: '0935010000000001', soort_recht: 'eigendom', persoon_id: 'E', ingangsdatum: '2010-01-01' }],
    });
    const second = await screen(evilCsv, '2026-01-01');
    const csv = readFileSync(join(second.runDir, 'register.csv'), 'utf8');
    expect(csv).toContain(`;"'=HYPERLINK(""http://x"") 1, 6211 AA Maastricht";`);
    expect(csv).not.toMatch(/;"?=HYPERLINK/);
  });
});

describe('register files written in pieces', () => {
  it('csvPieces gives, joined, the CSV of all rows at once: BOM and header once, every cell neutralised', async () => {
    const { csvPieces, toCsv } = await import('../src/report/write-csv.ts');
    const { stringify } = await import('csv-stringify/sync');
    const { neutraliseFormula } = await import('../src/report/csv-safe.ts');
    const columns = ['id', 'naam', 'bedrag'];
    const rows = Array.from({ length: 4_500 }, (_, i): (string | number | null)[] => [
      `V${i}`, i % 7 === 0 ? `=SUM(A${i})` : i % 5 === 0 ? `Café "de ${i}"; zaal\nboven` : `Naam ${i}`, i % 3 === 0 ? null : i * 1.5,
    ]);
    const whole = stringify(rows.map((r) => r.map(neutraliseFormula)), {
      header: true, columns, delimiter: ';', bom: true, record_delimiter: 'windows', cast: { number: (n: number) => String(n) },
    });
    const pieces = [...csvPieces(columns, rows)];
    expect(pieces).toHaveLength(3); // 2,000 rows a piece
    expect(pieces.join('')).toBe(whole);
    expect(pieces[0]!.startsWith('\uFEFFid;naam;bedrag\r\n')).toBe(true);
    expect(pieces[1]!.startsWith('V2000;')).toBe(true);
    expect(whole).toContain(`V7;'=SUM(A7);`);
    expect(toCsv(columns, rows)).toBe(whole);
    // No rows: the header alone, as before.
    expect(toCsv(columns, [])).toBe('\uFEFFid;naam;bedrag\r\n');
  });

  it('writeHashed writes every piece\'s bytes in order and returns their sha256, across its buffer\'s end', async () => {
    const { createHash } = await import('node:crypto');
    const { writeHashed } = await import('../src/util/hash.ts');
    const dir = tempDir();
    const MB = 1 << 20;
    const check = async (pieces: (string | Uint8Array)[]) => {
      const path = join(dir, 'out.bin');
      const sha = await writeHashed(path, pieces);
      const expected = Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
      const written = readFileSync(path);
      expect(written.equals(expected)).toBe(true);
      expect(sha).toBe(createHash('sha256').update(expected).digest('hex'));
    };
    // Pieces that meet the buffer's end: one that fills it exactly, one byte short of it then a
    // character of two bytes (it must not be cut), characters of three and four bytes (a surrogate
    // pair) where the room left is less than three bytes a unit, pieces larger than the buffer, bytes
    // between texts, and nothing at all.
    await check([]);
    await check(['x'.repeat(MB)]);
    await check(['a'.repeat(MB - 1), 'é', 'b']);
    await check(['a'.repeat(MB - 5), '€€', '𝄞', 'z'.repeat(10)]);
    await check(['kop\n', 'é'.repeat(MB), new Uint8Array([0, 1, 2, 255]), 'staart', '€'.repeat(3 * MB)]);
    await check([Buffer.from('alleen bytes')]);
    await fc.assert(fc.asyncProperty(fc.array(fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.tuple(fc.constantFrom('a', 'é', '€', '𝄞'), fc.integer({ min: 1, max: 400_000 })).map(([c, n]) => c.repeat(n)),
      fc.uint8Array({ maxLength: 64 }),
    ), { maxLength: 12 }), check), { numRuns: 40 });
  });

  it('registerXlsx hands the sheets to the zip as it goes instead of holding them whole', async () => {
    const { registerXlsx } = await import('../src/report/register-xlsx.ts');
    // 6,000 entries of two hits whose evidence makes some 25 MB of sheet XML, unlike itself from row to
    // row (compressed to a fraction of that).
    const hit = (i: number, k: number) => ({
      rule_id: `regel.${k}`, rule_version: 1, title: { nl: 'Titel', en: 'Title' }, points: 10, parameters: {},
      explanation: { nl: `Toelichting ${i}-${k} `.repeat(20), en: '' },
      evidence: Array.from({ length: 8 }, (_, e) => ({ source: 'rechten.csv', id: `R${i}-${k}-${e}`, fields: { koopsom: i * 31 + e, naam: `Partij ${(i * 7919 + e) % 100_003}` } })),
    });
    const register: Register = {
      format: 'vastgoed-in-beeld/register@1', pipeline: 'test', peildatum: '2026-01-01', bands: { hoog: 30, midden: 15 },
      rules: [], unavailable_rules: [], summary: { entries: 6_000, by_band: {}, by_rule: {} },
      entries: Array.from({ length: 6_000 }, (_, i) => ({
        vbo_id: String(935010000000000 + i).padStart(16, '0'), adres: `Straat ${i}`, straat: 'Straat', postcode: '6211AA', woonplaats: 'Maastricht',
        x: null, y: null, gebruiksdoelen: ['woonfunctie'], holders: [], score: 20, band: 'midden' as const, hits: [hit(i, 1), hit(i, 2)], notes: [],
      })),
    };
    const held = () => { const m = process.memoryUsage(); return m.arrayBuffers + m.external; };
    const before = held();
    let most = 0;
    const sampler = setInterval(() => { most = Math.max(most, held() - before); }, 1);
    const xlsx = await registerXlsx(register);
    clearInterval(sampler);
    const wb = new ExcelJS.Workbook();
    const path = join(tempDir(), 'register.xlsx');
    writeFileSync(path, xlsx);
    await wb.xlsx.readFile(path);
    expect(wb.getWorksheet('Treffers')!.rowCount).toBe(12_001);
    // Written a sheet at a time, the sheets' XML (some 25 MB) was held until the zip took it: 38 MB of
    // buffers at most where it now takes about 6.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThan(12 * 1024 * 1024);
  });

  it('stableZip sets every entry\'s time to 1980-01-01 in place, and leaves a damaged zip as it is', async () => {
    const { stableZip } = await import('../src/report/stable-zip.ts');
    const yazl = (await import('yazl')).default;
    const zipAt = async (mtime: Date) => {
      const z = new yazl.ZipFile();
      z.addBuffer(Buffer.from('een'), 'a.txt', { mtime, forceDosTimestamp: true }); // the DOS time alone, as exceljs writes
      z.addBuffer(Buffer.from('twee'), 'b/c.txt', { mtime, forceDosTimestamp: true });
      z.end();
      const chunks: Buffer[] = [];
      for await (const c of z.outputStream) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    };
    const a = await zipAt(new Date('2026-03-04T05:06:07Z'));
    const b = await zipAt(new Date('2030-11-12T13:14:15Z'));
    expect(a.equals(b)).toBe(false);
    const stampedA = stableZip(a);
    expect(stampedA).toBe(a); // the same buffer, changed in place
    expect(stampedA.equals(stableZip(b))).toBe(true);
    // A central directory cut short: no byte changes, not even in the headers before the damage.
    const damaged = await zipAt(new Date('2026-03-04T05:06:07Z'));
    const eocd = damaged.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const secondHeader = damaged.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), damaged.readUInt32LE(eocd + 16) + 4);
    damaged.writeUInt32LE(0, secondHeader);
    const before = Buffer.from(damaged);
    expect(stableZip(damaged).equals(before)).toBe(true);
  });
});
