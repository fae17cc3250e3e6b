/**
 * `npm run bench -- --units N [--engine sqlite|postgres] [--order key|shuffled] [--address-ids follow|scrambled] [--xml compact|indented] [--bag folder|zip|zip-deflated] [--json]`:
 * generates (or reuses) a synthetic national-proportion input of N units in a child process (its
 * records in id order, or shuffled: see generate-input.ts; its BAG as a folder of XML files or as the
 * official zip, whose per-type zips the outer zip stores or deflates: see official-zip.ts), measures
 * the XML reader against a plain record-boundary scan of the same files in another (measure-reader.ts)
 * and GDAL's ogr2ogr where installed, runs the full screen in this process, which made neither (see
 * in-child.ts), and prints per stage records, seconds, records/s and MB/s, the peak RSS, the
 * applicant check's latency and the name-pair precision and recall. Figures are printed, never
 * asserted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../util/input-error.ts';
import { prepareInputInChild } from './prepare-input.ts';
import { sampleStageMemory } from './stage-memory.ts';
import { measureReaderInChild } from './measure-reader.ts';
import { openEngine } from '../db/open-engine.ts';
import { runScreen, type StageTiming } from '../screen/run-screen.ts';
import { runCheck } from '../check/run-check.ts';
import { pipelineSchema } from '../../schemas/pipeline.ts';
import { silentLogger } from '../log.ts';
import { nameBench } from '../../scripts/name-bench.ts';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
}

/** The folder's XML files; none where the folder itself is gone (deleted with them once the zip was made). */
function xmlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.xml')).sort().map((f) => join(dir, f));
}

/** The value of option `--flag`, one of `choices` (the first when it is not given); else a clear error. */
function oneOf<const C extends readonly [string, ...string[]]>(flag: string, value: string | undefined, choices: C): C[number] {
  const v = value ?? choices[0];
  if (choices.includes(v)) return v;
  throw new InputError(`--${flag} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}, not "${v}"`);
}

export async function runBench(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args: argv, options: { units: { type: 'string' }, engine: { type: 'string' }, json: { type: 'boolean' }, dir: { type: 'string' }, checks: { type: 'string' }, order: { type: 'string' }, 'address-ids': { type: 'string' }, xml: { type: 'string' }, bag: { type: 'string' } } });
  const units = Number(values.units ?? 100_000);
  if (!Number.isInteger(units) || units < 1) throw new InputError(`--units must be a whole number of units, not "${values.units}"`);
  const engineKind = oneOf('engine', values.engine, ['sqlite', 'postgres']);
  const root = resolve(values.dir ?? '.bench');
  mkdirSync(root, { recursive: true });
  const say = (s: string) => { if (!values.json) process.stdout.write(`${s}\n`); };

  const order = oneOf('order', values.order, ['key', 'shuffled']);
  const addressIds = oneOf('address-ids', values['address-ids'], ['follow', 'scrambled']);
  const layout = oneOf('xml', values.xml, ['compact', 'indented']);
  const bagForm = oneOf('bag', values.bag, ['folder', 'zip', 'zip-deflated']);
  // Generated and zipped in a child process (prepare-input.ts): the screen below starts clean.
  const { input, genSeconds, zipped } = prepareInputInChild({ root, units, order, addressIds, layout, outer: bagForm === 'folder' ? null : bagForm === 'zip' ? 'stored' : 'deflated' });
  const files = xmlFiles(join(input.dir, 'bag'));
  if (files.length === 0 && bagForm === 'folder') {
    throw new InputError(`${input.dir} has no BAG XML files left (deleted after its zip was made?): bench it with --bag zip or zip-deflated, or remove the folder to generate it again`);
  }
  let bagBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  say(`input: ${input.dir} (${input.cached ? 'cached' : `generated in ${genSeconds.toFixed(1)} s`}), BAG ${files.length ? `${(bagBytes / 1e6).toFixed(1)} MB in ${files.length} files` : 'XML files deleted (the zip below holds them)'}`);
  // The input the reader and the screen read: that folder, or a copy with its BAG as the official zip.
  let inputDir = input.dir;
  if (zipped) {
    inputDir = zipped.dir;
    if (files.length === 0) {
      if (zipped.xmlBytes === null) throw new InputError(`${input.dir} has no BAG XML files left, and its zip (made by an older bench) does not say how many XML bytes it holds: remove ${input.dir} to generate it again`);
      bagBytes = zipped.xmlBytes;
    }
    say(`BAG as the official zip (per-type zips ${bagForm === 'zip' ? 'stored' : 'deflated'} in the outer one): ${(zipped.zipBytes / 1e6).toFixed(1)} MB (${zipped.cached ? 'cached' : `made in ${zipped.seconds.toFixed(1)} s`}), ${(bagBytes / 1e6).toFixed(1)} MB of XML`);
  }
  const bagDir = join(inputDir, 'bag');

  // The XML figures, from a child process (see measure-reader.ts): a plain record-boundary scan of the
  // same bytes (the folder's files; none when they were deleted after the zip was made: then no scan
  // and no GDAL figures), then the reader itself, reading and parsing every record, no database.
  const reader = measureReaderInChild(files, bagDir, inputDir);
  const scanMBs = files.length ? bagBytes / 1e6 / reader.scanSeconds : null;
  const parseMBs = bagBytes / 1e6 / reader.parseSeconds;
  let gdal: { seconds: number; mbs: number } | null = null;
  let noGdal = 'GDAL ogr2ogr not installed (apt-get install gdal-bin)';
  if (files.length === 0) noGdal = 'no GDAL figures (no folder XML)';
  else if (spawnSync('which', ['ogr2ogr']).status === 0) {
    const out = join(root, 'gdal-out');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    const vbo = files.filter((f) => f.includes('VBO'));
    const vboBytes = vbo.reduce((n, f) => n + statSync(f).size, 0);
    const t = performance.now();
    try {
      for (const f of vbo) execFileSync('ogr2ogr', ['-f', 'CSV', join(out, `${f.split('/').pop()}.csv`), f], { stdio: 'ignore' });
      const s = (performance.now() - t) / 1000;
      gdal = { seconds: s, mbs: vboBytes / 1e6 / s };
    } catch (err) {
      noGdal = `GDAL ogr2ogr failed on these files: ${(err as Error).message.split('\n')[0]}`;
    }
    rmSync(out, { recursive: true, force: true });
  }

  const target = engineKind === 'postgres'
    ? (() => { const u = new URL(process.env.VIB_BENCH_PG ?? process.env.VIB_TEST_PG ?? 'postgres://127.0.0.1:5432/test'); u.searchParams.set('schema', `vib_bench_${units}`); return u.toString(); })()
    : join(root, `bench-${units}.sqlite`);
  if (engineKind === 'sqlite') for (const ext of ['', '-wal', '-shm']) rmSync(`${target}${ext}`, { force: true });
  else {
    const { parsePostgresUrl } = await import('../db/postgres/postgres-engine.ts');
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: parsePostgresUrl(target).connectionString });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS vib_bench_${units} CASCADE`);
    await client.end();
  }
  const engine = await openEngine(target);
  const pipeline = pipelineSchema.parse({ name: 'bench' });
  // The screen runs in a process that has done nothing else yet, as `vib screen` does: the input was
  // made and the reader measured in child processes.
  const t = performance.now();
  const screenCpu0 = process.cpuUsage();
  const memory = sampleStageMemory();
  let stageRss: Record<string, number>;
  let result: Awaited<ReturnType<typeof runScreen>>;
  try {
    result = await runScreen({ engine, pipeline, pipelineText: '{"name":"bench"}', inputDir, outDir: join(root, 'runs'), peildatum: '2026-10-01', peildatumSource: 'argument', log: silentLogger, onStage: memory.enter });
  } finally {
    stageRss = await memory.stop();
  }
  const screenSeconds = (performance.now() - t) / 1000;
  const screenCpu = process.cpuUsage(screenCpu0);
  const screenCpuSeconds = (screenCpu.user + screenCpu.system) / 1e6;

  // Applicant check latency: names and KvK numbers of parties in the database.
  const nChecks = Number(values.checks ?? 100);
  const names = await engine.db.selectFrom('persoon').select('naam').where('run_key', '=', result.runKey).where('soort', '=', 'natuurlijk_persoon')
    .where('persoon_id', 'like', 'P%').orderBy('persoon_id').limit(nChecks * 7).execute();
  const kvks = await engine.db.selectFrom('persoon').select('kvk_nummer').where('run_key', '=', result.runKey).where('kvk_nummer', 'is not', null).orderBy('persoon_id').limit(nChecks).execute();
  const nameMs: number[] = [];
  for (const n of names.filter((_, i) => i % 7 === 0).slice(0, nChecks)) {
    const s = performance.now();
    await runCheck({ db: engine.db, query: { naam: n.naam, geboortedatum: null, kvk: null, adres: null }, reden: 'bench', who: 'bench' });
    nameMs.push(performance.now() - s);
  }
  const kvkMs: number[] = [];
  for (const k of kvks) {
    const s = performance.now();
    await runCheck({ db: engine.db, query: { naam: null, geboortedatum: null, kvk: k.kvk_nummer, adres: null }, reden: 'bench', who: 'bench' });
    kvkMs.push(performance.now() - s);
  }
  await engine.close();
  const names2 = nameBench();
  const peakRss = process.resourceUsage().maxRSS / 1024;

  const stages: Record<string, StageTiming> = {
    'read+parse (no db)': {
      records: reader.parsed, seconds: reader.parseSeconds, cpuSeconds: reader.parseCpuSeconds, mainCpuSeconds: reader.parseMainCpuSeconds,
    },
    ...result.stages,
  };
  say('');
  // CPU s: every thread of the process; main s: the thread that runs every database statement.
  say(`${'stage'.padEnd(42)} ${'records'.padStart(10)} ${'seconds'.padStart(9)} ${'CPU s'.padStart(8)} ${'main s'.padStart(8)} ${'records/s'.padStart(11)} ${'MB/s'.padStart(7)} ${'peak RSS MB'.padStart(12)} ${'stage RSS MB'.padStart(13)}`);
  // The process's peak RSS when each stage ended (a peak so far: the stage where it rises is where
  // memory grew). The bench's own peak also covers the checks and name pairs measured after the screen.
  const rssOf = (name: string): number | null => (name in result.peakRssMb ? result.peakRssMb[name]! : name.startsWith('read+parse') ? reader.peakRssMb : null);
  const screenPeakRss = Math.max(...Object.keys(result.stages).map((k) => rssOf(k) ?? 0));
  // The largest RSS sampled within each stage the screen's thread ran (stage-memory.ts; none for the
  // rules the rule thread evaluated, whose time counts to the stage this thread was in meanwhile).
  const ownRssOf = (name: string): number | null => stageRss[name] ?? (name.startsWith('read+parse') ? reader.peakRssMb : null);
  for (const [name, st] of Object.entries(stages)) {
    const mbs = name === 'load-bag' || name.startsWith('read+parse') ? (bagBytes / 1e6 / st.seconds).toFixed(1) : '';
    const rss = String(rssOf(name) ?? '');
    say(`${name.padEnd(42)} ${String(st.records).padStart(10)} ${st.seconds.toFixed(2).padStart(9)} ${st.cpuSeconds.toFixed(1).padStart(8)} ${(st.mainCpuSeconds === null ? '' : st.mainCpuSeconds.toFixed(1)).padStart(8)} ${(st.records / Math.max(st.seconds, 1e-9)).toFixed(0).padStart(11)} ${mbs.padStart(7)} ${rss.padStart(12)} ${String(ownRssOf(name) ?? '').padStart(13)}`);
  }
  say('');
  const mains = Object.values(result.stages).map((st) => st.mainCpuSeconds);
  const mainSeconds = mains.includes(null) ? null : (mains as number[]).reduce((a, b) => a + b, 0);
  say(`engine ${engineKind}; screen total ${screenSeconds.toFixed(1)} s (CPU ${screenCpuSeconds.toFixed(1)} s, all threads${mainSeconds === null ? '' : `; ${mainSeconds.toFixed(1)} s on the main thread, which runs every database statement`}) for ${units} units; peak RSS ${peakRss.toFixed(0)} MB (${screenPeakRss} MB by the screen's end)`);
  const v8Flags = process.execArgv.filter((a) => a.startsWith('--max-semi-space-size'));
  const arenas = process.env.MALLOC_ARENA_MAX;
  say(`node ${process.version}; main thread ${v8Flags.length ? v8Flags.join(' ') : "without --max-semi-space-size=64 (npm run bench passes it; the screen's link stages take more CPU without it)"}; ${arenas ? `MALLOC_ARENA_MAX=${arenas}` : "MALLOC_ARENA_MAX not set (npm run bench sets 2; without it the 4M screen's peak RSS was 100 MB higher)"}`);
  const readerSays = `reader ${parseMBs.toFixed(1)} MB/s${bagForm === 'folder' ? '' : ' of XML from the zip, inflating included'}`;
  say(`XML: ${scanMBs === null ? `${readerSays}; no scan (the folder's XML files were deleted after the zip was made)` : `scan ${scanMBs.toFixed(0)} MB/s (${reader.scanned} records, the folder's files), ${readerSays}: ${(parseMBs / scanMBs).toFixed(2)} of the scan ceiling`}${gdal ? `; GDAL ogr2ogr ${gdal.mbs.toFixed(1)} MB/s (reader/GDAL ${(parseMBs / gdal.mbs).toFixed(2)})` : `; ${noGdal}`}`);
  say(`applicant check: name p50 ${percentile(nameMs, 50).toFixed(1)} ms, p95 ${percentile(nameMs, 95).toFixed(1)} ms (${nameMs.length}); KvK p50 ${percentile(kvkMs, 50).toFixed(1)} ms, p95 ${percentile(kvkMs, 95).toFixed(1)} ms (${kvkMs.length})`);
  say(`name pairs (nomenklatura, ${names2.pairs}): precision ${names2.precision.toFixed(3)}, recall ${names2.recall.toFixed(3)} (nomenklatura logic_v2: ~0.76 / ~0.82)`);
  const summary = {
    units, engine: engineKind, order, address_ids: addressIds, xml_layout: layout, bag: bagForm, total_s: Number(screenSeconds.toFixed(3)), total_cpu_s: Number(screenCpuSeconds.toFixed(1)), main_cpu_s: mainSeconds === null ? null : Number(mainSeconds.toFixed(1)), peak_rss_mb: Math.round(peakRss), screen_peak_rss_mb: screenPeakRss, xml_vs_scan: scanMBs === null ? null : Number((parseMBs / scanMBs).toFixed(3)),
    xml_mb_s: Number(parseMBs.toFixed(2)), scan_mb_s: scanMBs === null ? null : Number(scanMBs.toFixed(1)), gdal_mb_s: gdal ? Number(gdal.mbs.toFixed(2)) : null,
    stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, { records: v.records, seconds: Number(v.seconds.toFixed(3)), cpu_s: Number(v.cpuSeconds.toFixed(2)), main_cpu_s: v.mainCpuSeconds, peak_rss_mb: rssOf(k), rss_mb: ownRssOf(k) }])),
    check_p50_ms: Number(percentile(nameMs, 50).toFixed(2)), check_p95_ms: Number(percentile(nameMs, 95).toFixed(2)),
    check_kvk_p50_ms: Number(percentile(kvkMs, 50).toFixed(2)), check_kvk_p95_ms: Number(percentile(kvkMs, 95).toFixed(2)),
    names_precision: Number(names2.precision.toFixed(3)), names_recall: Number(names2.recall.toFixed(3)),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary;
}
