import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tempDir } from './helpers/mini-input.ts';
import { addressNumbering, generateInput, unitOrder } from '../src/bench/generate-input.ts';
import { measureReaderInChild } from '../src/bench/measure-reader.ts';
import { indentedRecord } from '../scripts/lvbag-xml.ts';

/** The bench at 2,000 units in `dir` with these options, as its JSON summary (the run must succeed). */
function benchAt2000<T>(dir: string, ...options: string[]): T & { stages: Record<string, { records: number }> } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--units', '2000', '--json', '--dir', dir, '--checks', '5', ...options], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

describe('npm run bench', () => {
  it('generates a tiny national-proportion input, screens it and prints the figures as JSON', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--units', '2000', '--json', '--dir', dir, '--checks', '5'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ units: 2000, engine: 'sqlite' });
    for (const key of ['total_s', 'total_cpu_s', 'peak_rss_mb', 'xml_vs_scan', 'check_p50_ms', 'check_p95_ms']) expect(typeof summary[key], key).toBe('number');
    expect(summary.stages['load-bag'].records).toBeGreaterThan(2000 * 1.3);
    // CPU seconds of every thread: the reader threads parse the BAG beside the loading thread.
    expect(summary.stages['load-bag'].cpu_s).toBeGreaterThan(0);
    // Of those, the main thread's, which runs every database statement: a share of the whole, per stage and in total.
    for (const [name, st] of Object.entries(summary.stages as Record<string, { cpu_s: number; main_cpu_s: number }>)) {
      expect(st.main_cpu_s, name).toBeGreaterThanOrEqual(0);
      expect(st.main_cpu_s, name).toBeLessThanOrEqual(st.cpu_s + 0.02);
    }
    expect(summary.main_cpu_s).toBeGreaterThan(0);
    expect(summary.main_cpu_s).toBeLessThanOrEqual(summary.total_cpu_s + 0.1);
    // The peak RSS so far at each of the screen's stages' end (rules in the catalogue's order, whichever
    // thread ended first): the screen's peak is the highest of them, and the bench's own (the checks
    // and name pairs measured after the screen) is at least that. The reader's control ran in a child
    // process before the screen: its peak is that process's, and the screen's process never read the
    // BAG before its screen.
    const stages = summary.stages as Record<string, { records: number; peak_rss_mb: number | null }>;
    const control = 'read+parse (no db)';
    expect(Object.keys(stages)[0]).toBe(control);
    expect(stages[control]!.records).toBe(stages['load-bag']!.records);
    expect(stages[control]!.peak_rss_mb).toBeGreaterThan(0);
    const peaks = Object.entries(stages).filter(([name]) => name !== control).map(([, st]) => st.peak_rss_mb).filter((p): p is number => p !== null);
    expect(peaks.length).toBeGreaterThan(20);
    expect(peaks.every((p) => p > 0)).toBe(true);
    expect(summary.screen_peak_rss_mb).toBe(Math.max(...peaks));
    expect(summary.peak_rss_mb).toBeGreaterThanOrEqual(summary.screen_peak_rss_mb);
    // Each stage's own peak, sampled while the screen's thread was in it: at most the process's peak
    // by that stage's end. The rules the rule thread evaluated have none of their own.
    const own = summary.stages as Record<string, { rss_mb: number | null; peak_rss_mb: number | null }>;
    for (const name of ['load-bag', 'load-csv', 'link-units', 'link-parties', 'index-tokens', 'score-register', 'register-files', 'commit']) {
      expect(own[name]!.rss_mb, name).toBeGreaterThan(0);
      expect(own[name]!.rss_mb, name).toBeLessThanOrEqual(own[name]!.peak_rss_mb! + 1);
    }
    expect(Object.values(own).filter((st) => st.rss_mb !== null).length).toBeGreaterThan(20);
    // Every rule has planted patterns to find, one unit in 2,000 each at least.
    const rules = Object.entries(summary.stages as Record<string, { records: number }>).filter(([name]) => name.startsWith('rule '));
    expect(rules.length).toBeGreaterThanOrEqual(16);
    for (const [name, stage] of rules) expect(stage.records, name).toBeGreaterThan(0);
    expect(summary.names_precision).toBeGreaterThan(0.7);
    // GDAL's reader on the same VBO files, where ogr2ogr is installed (.ci/run installs it); else null.
    if (spawnSync('which', ['ogr2ogr']).status === 0) expect(summary.gdal_mb_s).toBeGreaterThan(0);
    else expect(summary.gdal_mb_s).toBeNull();
    // Four units in a hundred have two gebruiksdoelen and one a nevenadres: the screen stored them as
    // the registry's own would be (2,000 units: 80 and 20).
    const db = new BetterSqlite3(join(dir, 'bench-2000.sqlite'), { readonly: true });
    try {
      const count = (q: string) => (db.prepare(q).pluck().get() as number);
      expect(count('SELECT count(*) FROM (SELECT vbo_id FROM unit_gebruiksdoel GROUP BY run_key, vbo_id HAVING count(*) = 2)')).toBe(80);
      expect(count('SELECT count(*) FROM address WHERE hoofdadres = 0')).toBe(20);
      expect(count("SELECT count(*) FROM address WHERE hoofdadres = 0 AND huisletter = 'A'")).toBe(20);
    } finally {
      db.close();
    }
  });

  it('scrambles the units of a shuffled input by a permutation, and writes the same records in another order', () => {
    // The multiplier's first choice (0.618 N) shares a factor with 10 and 2000: they take the next one.
    for (const n of [1, 2, 3, 10, 2000, 1_000_000, 1_000_003]) {
      const at = unitOrder(n, 'shuffled');
      const seen = new Uint8Array(n);
      for (let step = 0; step < n; step++) seen[at(step)]! += 1;
      expect(seen.every((c) => c === 1), `n = ${n}`).toBe(true);
    }
    // Scrambled, not strided: the first steps land far apart.
    const first = Array.from({ length: 10 }, (_, step) => unitOrder(1_000_000, 'shuffled')(step));
    expect(first.slice(1).every((u, k) => Math.abs(u - first[k]!) > 100_000)).toBe(true);
    const dir = tempDir();
    const key = generateInput(dir, 2000, 'key');
    const shuffled = generateInput(dir, 2000, 'shuffled');
    expect(shuffled.dir).not.toBe(key.dir);
    for (const file of ['rechten.csv', 'woz.csv']) {
      const a = readFileSync(join(key.dir, file), 'utf8').split('\n');
      const b = readFileSync(join(shuffled.dir, file), 'utf8').split('\n');
      expect(b[0]).toBe(a[0]);
      expect(b).not.toEqual(a);
      expect([...b].sort()).toEqual([...a].sort());
    }
  });

  it('numbers the addresses apart from the units where asked, and screens that input to the same units, addresses and hits', () => {
    for (const n of [1, 2, 3, 10, 2000, 1_000_003]) {
      const { of, unitOf } = addressNumbering(n, 'scrambled');
      const seen = new Uint8Array(n);
      let notBack = 0;
      for (let i = 0; i < n; i++) { seen[of(i)]! += 1; if (unitOf(of(i)) !== i) notBack++; }
      expect(seen.every((c) => c === 1), `n = ${n}`).toBe(true);
      expect(notBack, `n = ${n}: numbers that do not lead back to their unit`).toBe(0);
    }
    const bench = (dir: string, ids: string) => benchAt2000<{ address_ids: string }>(dir, '--address-ids', ids);
    const dir = tempDir();
    const follow = bench(dir, 'follow');
    const scrambled = bench(dir, 'scrambled');
    expect([follow.address_ids, scrambled.address_ids]).toEqual(['follow', 'scrambled']);
    const a = join(dir, 'units-2000');
    const b = join(dir, 'units-2000-scrambled-ids');
    // The CSV files are the same; the units' addresses have other ids, and the NUM records the same places.
    for (const file of ['personen.csv', 'rechten.csv', 'woz.csv', 'transacties.csv']) expect(readFileSync(join(b, file), 'utf8')).toBe(readFileSync(join(a, file), 'utf8'));
    const xml = (d: string, type: string) => readdirSync(join(d, 'bag')).filter((f) => f.includes(type)).map((f) => readFileSync(join(d, 'bag', f), 'utf8')).join('');
    const refs = (d: string) => [...xml(d, 'VBO').matchAll(/NummeraanduidingRef[^>]*>(\d+)</g)].map((m) => m[1]!);
    const [ra, rb] = [refs(a), refs(b)];
    expect(rb).toHaveLength(ra.length);
    expect(rb.filter((id, k) => id === ra[k]).length).toBeLessThan(ra.length / 100);
    const places = (d: string) => [...xml(d, 'NUM').matchAll(/<Objecten:huisnummer>(\d+)<[\s\S]*?<Objecten:postcode>(\w+)</g)].map((m) => `${m[2]} ${m[1]}`).sort();
    expect(places(b)).toEqual(places(a));
    // Every stage and rule finds as much in the one as in the other.
    const records = (r: typeof follow) => Object.fromEntries(Object.entries(r.stages).filter(([k]) => k !== 'read+parse (no db)').map(([k, v]) => [k, v.records]));
    expect(records(scrambled)).toEqual(records(follow));
    expect(scrambled.stages['link-units']!.records).toBe(2000);
  });

  it('lays each BAG record out as Kadaster\'s files do where asked, and screens that input to the same records and hits', () => {
    // Every record of the Doesburg sample (Kadaster's files, their structure kept byte for byte),
    // run together on one line and laid out again, comes out as it was; the records that NLExtract
    // edited by hand (each with a comment saying so) are left out.
    const sample = join(ROOT, '..', 'shared', 'samples', 'bag', 'nlextract-doesburg-0221');
    let compared = 0;
    for (const f of readdirSync(sample).filter((n) => /^0221(VBO|NUM|PND|OPR|WPL)/.test(n))) {
      for (const [record] of readFileSync(join(sample, f), 'utf8').matchAll(/ *<sl:stand>[\s\S]*?<\/sl:stand>\n/g)) {
        if (record.includes('<!--')) continue;
        expect(indentedRecord(record.trim().replace(/>\s+</g, '><')), f).toBe(record);
        compared++;
      }
    }
    expect(compared).toBe(222);
    const bench = (dir: string, layout: string) => benchAt2000<{ xml_layout: string }>(dir, '--xml', layout);
    const dir = tempDir();
    const compact = bench(dir, 'compact');
    const indented = bench(dir, 'indented');
    expect([compact.xml_layout, indented.xml_layout]).toEqual(['compact', 'indented']);
    const files = (d: string) => readdirSync(join(dir, d, 'bag')).sort();
    expect(files('units-2000-indented')).toEqual(files('units-2000'));
    let [compactBytes, indentedBytes] = [0, 0];
    for (const f of files('units-2000')) {
      const a = readFileSync(join(dir, 'units-2000', 'bag', f), 'utf8');
      const b = readFileSync(join(dir, 'units-2000-indented', 'bag', f), 'utf8');
      expect(b.replace(/>\s+</g, '><'), f).toBe(a.replace(/>\s+</g, '><'));
      compactBytes += a.length;
      indentedBytes += b.length;
    }
    expect(indentedBytes).toBeGreaterThan(compactBytes * 1.4);
    const records = (r: typeof compact) => Object.fromEntries(Object.entries(r.stages).map(([k, v]) => [k, v.records]));
    expect(records(indented)).toEqual(records(compact));
  });

  it('refuses a wrong argument with one line and exit code 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--order', 'random', '--dir', tempDir()], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('bench: --order must be key or shuffled, not "random"');
  });

  it('says in one line, with no stack trace, where it cannot write', () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, '');
    for (const [dir, why] of [[file, 'it is a file, not a folder'], [join(file, 'sub'), 'a part of the path is a file, not a folder']] as const) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--units', '200', '--dir', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`bench: cannot write ${dir}: ${why}\n`);
    }
  });
});

describe('the bench input as the official zip', () => {
  it('holds a zip per object type in one outer zip, and reads as the same records as the folder, stored or deflated', async () => {
    const { officialZipInput } = await import('../src/bench/official-zip.ts');
    const { readBag } = await import('../src/sources/bag/read-bag.ts');
    const yauzl = (await import('yauzl')).default;
    // 1,000 units: the VBO file's XML (some 2 MB) is inflated in more than one buffer (xml-location.ts).
    const input = generateInput(tempDir(), 1_000, 'key');
    const records = async (dir: string) => {
      const out: string[] = [];
      for await (const item of readBag(join(dir, 'bag'), dir)) {
        expect(item.kind).not.toBe('reject');
        if (item.kind === 'record') out.push(`${item.position} ${JSON.stringify(item.record)}`);
      }
      return out;
    };
    const fromFolder = await records(input.dir);
    expect(fromFolder.length).toBeGreaterThan(1_000);
    for (const outer of ['stored', 'deflated'] as const) {
      const zipped = await officialZipInput(input.dir, outer);
      expect(zipped.cached).toBe(false);
      expect(readFileSync(join(zipped.dir, 'rechten.csv'), 'utf8')).toBe(readFileSync(join(input.dir, 'rechten.csv'), 'utf8'));
      const zip = await yauzl.openPromise(join(zipped.dir, 'bag', 'lvbag-extract-nl.zip'), { lazyEntries: true });
      const entries: Array<[string, number]> = [];
      await new Promise<void>((resolve, reject) => { zip.on('entry', (e: { fileName: string; compressionMethod: number }) => { entries.push([e.fileName, e.compressionMethod]); zip.readEntry(); }); zip.on('end', resolve); zip.on('error', reject); zip.readEntry(); });
      expect(entries).toEqual(['NUM', 'OPR', 'VBO', 'WPL'].map((type) => [`9999${type}01102026.zip`, outer === 'stored' ? 0 : 8]));
      expect(await records(zipped.dir)).toEqual(fromFolder);
      expect((await officialZipInput(input.dir, outer)).cached).toBe(true);
    }
  });

  it('is what the bench reads and screens with --bag zip-deflated', () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--units', '500', '--bag', 'zip-deflated', '--json', '--dir', dir, '--checks', '2'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ units: 500, bag: 'zip-deflated' });
    expect(summary.stages['read+parse (no db)'].records).toBe(summary.stages['load-bag'].records);
    expect(summary.stages['load-bag'].records).toBeGreaterThan(500 * 1.3);
    expect(summary.xml_vs_scan).toBeGreaterThan(0);

    // The country's XML does not fit on disk beside its database: with the folder's XML deleted the
    // zip is still benched, its MB/s of the XML it holds, without scan or GDAL figures (not NaN).
    const folder = join(dir, 'units-500', 'bag');
    for (const f of readdirSync(folder)) if (f.endsWith('.xml')) rmSync(join(folder, f));
    const again = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--units', '500', '--bag', 'zip-deflated', '--dir', dir, '--checks', '2'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/NaN|Infinity/);
    expect(again.stdout).toContain('no scan (the folder\'s XML files were deleted after the zip was made)');
    const without = JSON.parse(again.stdout.trim().split('\n').at(-1)!);
    expect(without).toMatchObject({ xml_vs_scan: null, scan_mb_s: null, gdal_mb_s: null });
    expect(without.stages['load-bag'].records).toBe(summary.stages['load-bag'].records);
    expect(without.xml_mb_s).toBeGreaterThan(0);
    expect(Number.isFinite(without.xml_mb_s)).toBe(true);
    // The folder itself can no longer be benched: said in one line, not screened as an empty BAG,
    // with the folder left empty and where the folder went with its files.
    for (const folderGone of [false, true]) {
      if (folderGone) rmSync(folder, { recursive: true });
      const folderRun = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--units', '500', '--dir', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(folderRun.status, `folder gone: ${folderGone}`).toBe(2);
      expect(folderRun.stderr.trim().split('\n')).toHaveLength(1);
      expect(folderRun.stderr).toContain('has no BAG XML files left');
    }
  });
});

describe("the bench's reader measurement", () => {
  it('scans and reads the BAG in a child process, and counts each record once either way', () => {
    // The bench's own input, whose records are all valid (the demo fixtures plant a broken one).
    const input = generateInput(tempDir(), 300, 'key').dir;
    const bag = join(input, 'bag');
    const files = readdirSync(bag).filter((f) => f.endsWith('.xml')).sort().map((f) => join(bag, f));
    const figures = measureReaderInChild(files, bag, input);
    expect(figures.parsed).toBeGreaterThan(300);
    expect(figures.scanned).toBe(figures.parsed);
    expect(figures.parseSeconds).toBeGreaterThan(0);
    expect(figures.parseCpuSeconds).toBeGreaterThan(0);
    expect(figures.peakRssMb).toBeGreaterThan(0);
  });

  it("says why when the child cannot measure, in the child's words", () => {
    const missing = join(tempDir(), 'no-such-input');
    expect(() => measureReaderInChild([], join(missing, 'bag'), missing)).toThrow(/^the bench's reader measurement failed: .*no-such-input/);
  });
});
