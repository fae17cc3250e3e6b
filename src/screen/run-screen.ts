/**
 * One screening, end to end: read → validate → load → link → score → register → report. Everything
 * the run writes to the database happens in one transaction, and the run folder appears (by rename)
 * only once that transaction has committed: an interrupted run leaves no half run behind.
 */
import { existsSync, statSync } from 'node:fs';
import { access, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../db/engine.ts';
import type { Pipeline } from '../../schemas/pipeline.ts';
import type { Register } from '../../schemas/register.ts';
import { InputError } from '../util/input-error.ts';
import { sha256, writeHashed } from '../util/hash.ts';
import { stableJson } from '../util/stable-json.ts';
import { TOOL_VERSION } from '../util/tool-version.ts';
import { SCHEMA_VERSION } from '../db/migrate.ts';
import type { Logger } from '../log.ts';
import { InputStats } from '../load/input-stats.ts';
import { RejectSink } from '../load/reject-sink.ts';
import { loadBag } from '../load/load-bag.ts';
import { loadCsvSources, presentSources } from '../load/load-csv.ts';
import { buildUnits, BUILT_UNIT_TABLES } from '../link/build-units.ts';
import { checkPartyReferences, rejectUnknownParties, resolveUnits, unknownPartyQueries } from '../link/resolve-references.ts';
import { readBeside, type ReadBeside } from '../db/sqlite/read-beside.ts';
import { linkPartiesTokensLater, PARTY_TABLES } from '../link/link-parties.ts';
import { catalogue } from '../rules/catalogue.ts';
import type { RuleHit } from '../rules/define-rule.ts';
import { buildRegister, saveRegister, type AppliedRule } from '../register/build-register.ts';
import { registerCsv, registerJson, rejectsCsv } from '../report/register-files.ts';
import { registerHtml } from '../report/register-html.ts';
import { registerXlsx } from '../report/register-xlsx.ts';
import { listInputFiles } from './input-files.ts';
import { diffEntryOf, diffRuns, runEntries, type DiffEntry } from '../review/run-diff.ts';
import { carryForward } from '../review/carry-forward.ts';
import { removeUnfinishedRuns } from '../db/delete-runs.ts';
import { sideBySide, startRuleThread, type RuleThread } from '../rules/rule-thread.ts';
import { workerCount } from '../util/worker-count.ts';
import { whyCannotWrite } from '../util/write-failure.ts';
import type { Reject } from '../sources/reject.ts';
import { threadCpuSeconds, threadCpuSince } from '../util/thread-cpu.ts';

export interface ScreenRequest {
  engine: Engine;
  pipeline: Pipeline;
  /** The pipeline definition's own text (hashed into the manifest). */
  pipelineText: string;
  inputDir: string;
  outDir: string;
  peildatum: string;
  /** How the peildatum was set: `argument`, `pipeline`, or `today` (resolved at start). */
  peildatumSource: 'argument' | 'pipeline' | 'today';
  log: Logger;
  /** The clock, injected: only run ids and recorded times use it, never a hashed output. */
  now?: () => Date;
  /**
   * The previous run to compare with (its id and entries). Default: the previous run of this
   * pipeline in the database. A replay passes the recorded one.
   */
  baseline?: { runId: string | null; entries: DiffEntry[] };
  /**
   * Told the name of each stage as it starts, and null as it ends (the bench samples memory by stage:
   * stage-memory.ts). Rules the rule thread evaluates are not stages of this thread's.
   */
  onStage?: (stage: string | null) => void;
}

/**
 * A stage's records and wall-clock seconds, and the CPU seconds the whole process spent meanwhile (every
 * thread: reader threads, the garbage collector's helpers, SQLite's sorter threads), and of those the
 * main thread's, which runs every statement: a stage whose main-thread seconds come close to its wall
 * clock waits for the database, one far below it for the reader threads. On two shared
 * cores the wall clock moves by a fifth from run to run; the CPU seconds move much less, so changes
 * are compared by them.
 */
export interface StageTiming {
  records: number;
  seconds: number;
  cpuSeconds: number;
  /** Of those, the CPU seconds of the thread that ran the stage and holds the database connection (null: the OS does not say). */
  mainCpuSeconds: number | null;
}

export interface ScreenResult {
  runId: string;
  /** The run's key in its working tables (see RunKeyed in database.ts). */
  runKey: number;
  runDir: string;
  register: Register;
  manifest: Record<string, unknown>;
  stages: Record<string, StageTiming>;
  /** The process's peak RSS (MB) when each stage ended: where memory rose (for the bench, not the manifest). */
  peakRssMb: Record<string, number>;
}

/** Stage timings as the manifest's JSON names them (snake_case, like the rest of it). */
function manifestStages(stages: Record<string, StageTiming>): Record<string, { records: number; seconds: number; cpu_seconds: number; main_cpu_seconds: number | null }> {
  return Object.fromEntries(Object.entries(stages).map(([name, t]) => [name, { records: t.records, seconds: t.seconds, cpu_seconds: t.cpuSeconds, main_cpu_seconds: t.mainCpuSeconds }]));
}

/** Starts a stage's clocks (wall, every thread's CPU, this thread's CPU); the function returned reads them. */
function startClocks(): () => Omit<StageTiming, 'records'> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = threadCpuSeconds();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, mainCpuSeconds: threadCpuSince(main0) };
  };
}

/**
 * The rule thread's connection: its page cache (32 MB: the rules read the run once each, mostly in
 * key order, and the cache adds to the peak memory while they run, beside the token index's sort: the
 * 4M bench peaked in index-tokens. The first-phase rules on the thread alone on the 4M bench's
 * database: with 64 MB 14.2-15.0 s and a process peak of 366-376 MB over three runs, with 32 MB
 * 14.8-15.3 s and 325-327 MB over two, with 16 MB 13.9 s and 345 MB; its temporary store's cache, 16
 * or 64 MB, made no difference) and how long it waits for a lock (it only reads; WAL readers wait only
 * while a log is recovered).
 */
const RULE_THREAD_CACHE_MB = 32;
const RULE_THREAD_BUSY_MS = 10_000;

function runIdFor(now: Date, pipeline: string): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${pipeline}`;
}

export async function runScreen(req: ScreenRequest): Promise<ScreenResult> {
  const { engine, pipeline, inputDir, log } = req;
  const now = req.now ?? (() => new Date());
  // Everything that can be wrong with the request is checked before anything is written.
  if (!existsSync(inputDir) || !statSync(inputDir).isDirectory()) throw new InputError(`input folder ${inputDir} does not exist`);
  const bagDir = join(inputDir, 'bag');
  if (!existsSync(bagDir)) throw new InputError(`bag/ is missing from the input folder ${inputDir}; it is required`);
  const sources = presentSources(inputDir);
  const present = new Set<string>(sources.map((s) => s.key));
  const rules = resolveRules(pipeline);

  const started = now();
  let runId = runIdFor(started, pipeline.name);
  for (let n = 2; existsSync(join(req.outDir, runId)); n++) runId = `${runIdFor(started, pipeline.name)}-${n}`;
  const stages: Record<string, StageTiming> = {};
  const peakRssMb: Record<string, number> = {};
  const stage = async <T>(name: string, fn: () => Promise<T>, count?: (t: T) => number): Promise<T> => {
    crashPoint(name);
    req.onStage?.(name);
    const clocks = startClocks();
    const result = await fn();
    req.onStage?.(null);
    stages[name] = { records: count ? count(result) : 0, ...clocks() };
    peakRssMb[name] = Math.round(process.resourceUsage().maxRSS / 1024);
    log.info({ stage: name, records: stages[name].records, seconds: Number(stages[name].seconds.toFixed(3)) }, 'stage done');
    return result;
  };

  try {
    await mkdir(req.outDir, { recursive: true });
    await access(req.outDir, constants.W_OK);
  } catch (err) {
    // On a read-only file system Node reports a failed recursive mkdir as ENOENT: say what it means.
    const code = (err as { code?: string }).code ?? 'error';
    const why = whyCannotWrite(err) ?? 'permission denied or read-only';
    throw new InputError(`cannot write ${req.outDir}: ${why} (${code}); nothing of this run was kept`);
  }
  const partial = join(req.outDir, `.${runId}.partial`);
  await rm(partial, { recursive: true, force: true });

  let commitClocks: (() => Omit<StageTiming, 'records'>) | null = null;
  let ruleThread: RuleThread | null = null;
  let partyRefs: ReadBeside | null = null;
  // A run that fails while its inputs are being hashed (beside the linking) stops the hashing: the
  // process would otherwise wait for it before it can exit with the error.
  const stopHashing = new AbortController();
  try {
    const result = await engine.writeTransaction(pipeline.name, async (w) => {
      const db = w.db;
      // The rows of screenings that were killed between the stages they commit (see below). The
      // screening lock is held: no screening runs but this one.
      const removed = await removeUnfinishedRuns(db);
      if (removed.length) log.info({ runs: removed }, 'removed the rows of unfinished runs (screenings stopped before they finished)');
      // Folders of runs that were killed before they could publish: never part of any run.
      for (const f of await readdir(req.outDir)) if (f.startsWith('.') && f.endsWith('.partial') && f !== `.${runId}.partial`) await rm(join(req.outDir, f), { recursive: true, force: true });
      // A run of this pipeline published but never committed (killed between rename and commit): hide it.
      const known = new Set((await db.selectFrom('run').select('run_id').where('pipeline', '=', pipeline.name).execute()).map((r) => r.run_id));
      for (const f of await readdir(req.outDir)) {
        if (/^\d{8}T\d{6}Z-/.test(f) && f.endsWith(`-${pipeline.name}`) && !known.has(f) && existsSync(join(req.outDir, f, 'manifest.json'))) {
          const m = JSON.parse(await readFile(join(req.outDir, f, 'manifest.json'), 'utf8')) as { run?: { input_dir?: string } };
          if (m.run?.input_dir === inputDir) await rename(join(req.outDir, f), join(req.outDir, `.orphaned-${f}`));
        }
      }
      const previous = await db.selectFrom('run').select(['run_id', 'manifest_sha256']).where('pipeline', '=', pipeline.name)
        .where('finished_at', 'is not', null).orderBy('started_at', 'desc').orderBy('run_id', 'desc').executeTakeFirst();
      await db.insertInto('run').values({
        run_id: runId, pipeline: pipeline.name, peildatum: req.peildatum, input_dir: inputDir, run_dir: null,
        started_at: started.toISOString(), finished_at: null, manifest_sha256: null,
        prev_manifest_sha256: previous?.manifest_sha256 ?? null, register_sha256: null, entries: 0,
      }).execute();
      // The key the run's working tables know it by, assigned by the database (see RunKeyed).
      const runKey = (await db.selectFrom('run').select('run_key').where('run_id', '=', runId).executeTakeFirstOrThrow()).run_key;
      const stats = new InputStats();
      const rejects = new RejectSink(w, runId, stats);
      // The BAG's ids serve the CSV load only (80 MB at 10M units): they are not kept past it.
      const csv = await (async () => {
        const bagIds = await stage('load-bag', () => loadBag(w, runKey, bagDir, inputDir, stats, rejects), () => sumLoaded(stats, 'bag/'));
        // The CSV files load side by side (see load-csv.ts): one stage for all of them.
        return stage('load-csv', () => loadCsvSources(w, runKey, inputDir, sources, stats, rejects, bagIds), (r) => r.loaded);
      })();
      // The inputs are hashed for the manifest on one reader thread while this thread links: linking
      // is SQL on one thread, and the loads before keep both cores busy. At 1M units hashing took
      // 2.6 s of both cores before the loads. The stage 'hash-inputs' below is the wait for it. The
      // thread runs at a lower priority: nothing waits for it before the register is written, while
      // this thread and party linking's name thread are waited for.
      const hashing = listInputFiles(inputDir, { maxThreads: 1, signal: stopHashing.signal, background: true });
      hashing.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
      await rejects.flush();
      // The run commits in stages, so that the write-ahead log is copied into the database while this
      // thread links (see ScreeningWriter.commitStage). Its rows stay out of sight meanwhile: readers
      // ask for finished runs only, and a run that fails removes its rows (see the catch below).
      await stage('commit-loads', () => w.commitStage());
      await stage('analyse', () => w.analyse());
      await stage('link-units', () => buildUnits(db, runKey, req.peildatum), (r) => r.units);
      // The units and addresses just built need statistics too: without them SQLite's planner scans
      // every address per unresolved row (90 s at 1M units). Each later analyse takes only the tables
      // written since the one before: at 10M units analysing every table took 3-13 s each time (the
      // pages of the BAG tables, long written, read again).
      await stage('analyse-units', () => w.analyse(BUILT_UNIT_TABLES));
      const resolved = await stage('link-addresses', () => resolveUnits(db, runKey, stats, rejects, csv.unknownVboIds));
      await rejects.flush();
      await stage('commit-units', () => w.commitStage());
      // The party references are checked on a connection of their own while this thread links the
      // parties: their queries read only the loaded tables, committed now, and party linking reads
      // none that the check changes. Their rows are rejected here after (link-references).
      partyRefs = w.committedFile && workerCount() > 0
        ? readBeside(w.committedFile, RULE_THREAD_BUSY_MS, unknownPartyQueries(runKey).map((q) => q.compile(db))) : null;
      const linked = await stage('link-parties', () => linkPartiesTokensLater(w, runKey), (r) => r.mentions);
      const referenced = await stage('link-references', async () => {
        // Should the thread have failed, the check runs here: it only cost time.
        const found = await partyRefs?.rows.catch(() => null);
        partyRefs = null;
        return found ? rejectUnknownParties(db, runKey, found, stats, rejects) : checkPartyReferences(db, runKey, stats, rejects);
      });
      await rejects.flush();
      // The rule thread boots (tsx, the catalogue) while the statistics are refreshed.
      ruleThread = w.committedFile && workerCount() > 0 ? startRuleThread(w.committedFile, RULE_THREAD_BUSY_MS, RULE_THREAD_CACHE_MB) : null;
      // The parties' tables are new; of the loaded tables only those whose rows the links changed.
      await stage('analyse-links', () => w.analyse([...new Set([...resolved, ...referenced]), ...PARTY_TABLES]));
      await stage('commit-parties', () => w.commitStage());

      // The token index, and its statistics for the check's planner (analyse-links ran before it).
      const indexTokens = async () => {
        await stage('index-tokens', () => linked.indexTokens(), (n) => n);
        await stage('analyse-tokens', () => w.analyse(['party_token']));
      };
      const hits = new Map<string, RuleHit[]>();
      const applied: AppliedRule[] = [];
      const unavailable: { id: string; reason: string }[] = [];
      for (const phase of [1, 2] as const) {
        const ready: ResolvedRule[] = [];
        for (const r of rules.filter((x) => (x.rule.phase ?? 1) === phase)) {
          const missing = r.rule.needs.filter((n) => !present.has(n));
          if (missing.length) {
            unavailable.push({ id: r.rule.id, reason: `source${missing.length > 1 ? 's' : ''} ${missing.map((m) => `${m}.csv`).join(', ')} not in the input` });
            continue;
          }
          const anyOf = r.rule.needsOneOf ?? [];
          if (anyOf.length && !anyOf.some((n) => present.has(n))) {
            unavailable.push({ id: r.rule.id, reason: `none of ${anyOf.map((m) => `${m}.csv`).join(', ')} in the input` });
            continue;
          }
          ready.push(r);
        }
        const evaluate = (r: ResolvedRule) => stage(`rule ${r.rule.id}`, () => r.rule.evaluate({ db, runKey, peildatum: req.peildatum, params: r.params, earlierHits: hits }), (h) => h.length);
        // First-phase rules read only the committed run: the rule thread takes some of them, and
        // starts while this thread builds the applicant check's token index, which no rule reads. The
        // second phase reads the first's hits, which this thread has written but not committed.
        const sideways = phase === 1 && ruleThread !== null && ready.length > 1;
        if (phase === 1 && !sideways) await indexTokens();
        const found = sideways ? await sideBySide(ready, ruleThread!, (r) => ({ ruleId: r.rule.id, params: r.params, runKey, peildatum: req.peildatum }), evaluate, (r, t) => {
          stages[`rule ${r.rule.id}`] = { records: t.hits.length, seconds: t.seconds, cpuSeconds: t.cpuSeconds ?? 0, mainCpuSeconds: 0 };
          peakRssMb[`rule ${r.rule.id}`] = Math.round(process.resourceUsage().maxRSS / 1024);
        }, indexTokens) : await inTurn(ready, evaluate);
        // The rules' timings in the catalogue's order, whichever thread finished first.
        for (const r of ready) {
          const key = `rule ${r.rule.id}`;
          const [t, rss] = [stages[key]!, peakRssMb[key]!];
          delete stages[key];
          delete peakRssMb[key];
          stages[key] = t;
          peakRssMb[key] = rss;
        }
        for (const [i, r] of ready.entries()) {
          hits.set(r.rule.id, found[i]!);
          if (found[i]!.length) await w.insertRows('rule_hit', ['run_key', 'rule_id', 'vbo_id'], found[i]!.map((h) => [runKey, r.rule.id, h.vbo_id]));
          applied.push({ id: r.rule.id, version: r.rule.version, title: r.rule.title, points: r.points, parameters: r.params });
        }
      }
      await ruleThread?.close();
      ruleThread = null;
      const register = await stage('score-register', () => buildRegister({
        db, runKey, pipeline: pipeline.name, peildatum: req.peildatum, bands: pipeline.bands, applied, unavailable, hits,
      }), (r) => r.entries.length);
      const diff = await stage('save-register', async () => {
        await saveRegister(db, runId, register);
        const baseline = req.baseline ?? (previous ? { runId: previous.run_id, entries: await runEntries(db, previous.run_id) } : { runId: null, entries: [] });
        return diffRuns(baseline.runId, baseline.entries, register.entries.map(diffEntryOf));
      });
      const review = await stage('carry-forward', () => carryForward(db, pipeline.name, runId, register, started.toISOString()), (c) => c.nieuw + c.gewijzigd + c.vervallen + c.kept);
      log.info({ stage: 'carry-forward', ...review }, 'review states carried forward');

      const inputFiles = await stage('hash-inputs', () => hashing, (f) => f.length);
      const { rejectList, outputs } = await stage('register-files', async () => {
        const allRejects = await db.selectFrom('reject').selectAll().where('run_id', '=', runId).execute();
        const rejectList: Reject[] = allRejects.map((r) => ({
          file: r.file, position: r.position, column: r.column_name, value: r.value, reason: r.reason as Reject['reason'], message: r.message,
        }));
        // Each file goes to the hidden folder as soon as it is made, encoded once for its hash and its
        // write, and only its hash is kept: at 4M units the register's JSON and HTML are 80 and 50 MB,
        // and holding every file while each was encoded twice (hash, write) lifted the peak RSS by 270 MB.
        // The JSON and the HTML, the largest, are written in pieces as they are made (as whole strings
        // they took another 190 and 180 MB at 4M).
        await mkdir(partial, { recursive: true });
        const outputs: Record<string, { sha256: string }> = {};
        const put = async (name: string, content: string | Buffer | Iterable<string>) => {
          // A string is iterable too (by character): it goes in as one piece.
          const pieces = typeof content === 'string' || Buffer.isBuffer(content) ? [content] : content;
          outputs[name] = { sha256: await writeHashed(join(partial, name), pieces) };
        };
        await put('register.json', registerJson(register));
        await put('register.csv', registerCsv(register));
        await put('register.html', registerHtml(register, diff));
        await put('register.xlsx', await registerXlsx(register));
        await put('rejects.csv', rejectsCsv(rejectList));
        return { rejectList, outputs };
      });
      const statsByFile = new Map(stats.all().map((s) => [s.file, s]));
      const manifestCore = {
        format: 'vastgoed-in-beeld/manifest@1',
        pipeline: { name: pipeline.name, sha256: sha256(req.pipelineText), definition: pipeline },
        peildatum: { value: req.peildatum, source: req.peildatumSource },
        tool_version: TOOL_VERSION,
        schema_version: SCHEMA_VERSION,
        inputs: inputFiles.map((f) => ({ ...f, ...countsFor(f.path, statsByFile) })),
        bag_records: stats.all().filter((s) => s.file.startsWith('bag/')).map((s) => ({ file: s.file, read: s.read, loaded: s.loaded, rejected: s.rejected, skipped: s.skipped })),
        rules: applied.map((r) => ({ id: r.id, version: r.version, points: r.points, parameters: r.parameters })),
        unavailable_rules: unavailable,
        outputs,
        summary: register.summary,
        run_diff: diff,
        rejects: rejectList.length,
        previous_manifest_sha256: previous?.manifest_sha256 ?? null,
      };
      const manifestSha = sha256(stableJson(manifestCore));
      const finished = now();
      // Run id and times are recorded beside the hashed core, never inside it.
      const manifest = { ...manifestCore, manifest_sha256: manifestSha, run: { id: runId, input_dir: inputDir, started_at: started.toISOString(), finished_at: finished.toISOString(), stages: manifestStages(stages) } };
      await writeFile(join(partial, 'manifest.json'), stableJson(manifest));
      const runDir = join(req.outDir, runId);
      await db.updateTable('run').set({
        run_dir: runDir, finished_at: finished.toISOString(), manifest_sha256: manifestSha,
        register_sha256: manifestCore.outputs['register.json']!.sha256, entries: register.entries.length,
      }).where('run_id', '=', runId).execute();
      // Publish just before the commit: a run killed earlier leaves only a hidden .partial folder;
      // one killed in the instant between rename and commit leaves a folder the next run hides.
      crashPoint('publish');
      await rename(partial, runDir);
      req.onStage?.('commit');
      commitClocks = startClocks();
      return { runId, runKey, runDir, register, manifest };
    });
    // The commit (SQLite: and the checkpoint of its write-ahead log) is timed for the bench only:
    // the manifest was written before it.
    stages.commit = { records: 0, ...commitClocks!() };
    req.onStage?.(null);
    peakRssMb.commit = Math.round(process.resourceUsage().maxRSS / 1024);
    log.info({ run_id: runId, entries: result.register.entries.length }, 'run complete');
    return { ...result, stages, peakRssMb };
  } catch (err) {
    stopHashing.abort(err);
    // (Assigned inside the transaction's callback, which the compiler does not follow.)
    await (ruleThread as RuleThread | null)?.close();
    await (partyRefs as ReadBeside | null)?.stop();
    // The stages this run committed: removed now, or, if that fails too, by the next screening.
    await engine.db.transaction().execute((trx) => removeUnfinishedRuns(trx, runId))
      .catch(() => log.warn({ run_id: runId }, 'the rows of the failed run could not be removed; the next screening removes them'));
    await rm(partial, { recursive: true, force: true });
    // The transaction did not commit: a folder published for it must not stay visible.
    if (existsSync(join(req.outDir, runId))) await rename(join(req.outDir, runId), join(req.outDir, `.orphaned-${runId}`)).catch(() => undefined);
    throw err;
  }
}

/**
 * Crash-safety tests kill the process at a named stage (VIB_TEST_KILL_AT=stage), or fail the run
 * there (VIB_TEST_FAIL_AT=stage), to prove that an interrupted run leaves nothing half-done. Unset
 * in normal use: then this does nothing.
 */
function crashPoint(stage: string): void {
  if (process.env.VIB_TEST_KILL_AT === stage) process.kill(process.pid, 'SIGKILL');
  if (process.env.VIB_TEST_FAIL_AT === stage) throw new Error(`test failure at ${stage}`);
}

/** Rules evaluated one after the other on this thread. */
async function inTurn(ready: readonly ResolvedRule[], evaluate: (r: ResolvedRule) => Promise<RuleHit[]>): Promise<RuleHit[][]> {
  const found: RuleHit[][] = [];
  for (const r of ready) found.push(await evaluate(r));
  return found;
}

function sumLoaded(stats: InputStats, prefix: string): number {
  return stats.all().filter((s) => s.file.startsWith(prefix)).reduce((n, s) => n + s.loaded, 0);
}

function countsFor(path: string, stats: Map<string, { read: number; loaded: number; rejected: Record<string, number>; encoding?: string; delimiter?: string }>) {
  if (path.startsWith('bag/')) {
    // A zip's records are listed per entry under bag_records.
    const own = [...stats.entries()].filter(([f]) => f === path || f.startsWith(`${path}!`)).map(([, s]) => s);
    return {
      records: own.reduce((n, s) => n + s.read, 0),
      loaded: own.reduce((n, s) => n + s.loaded, 0),
      rejected: own.reduce<Record<string, number>>((acc, s) => { for (const [k, v] of Object.entries(s.rejected)) acc[k] = (acc[k] ?? 0) + v; return acc; }, {}),
    };
  }
  const s = stats.get(path);
  if (!s) return { records: 0, loaded: 0, rejected: {} };
  return { records: s.read, loaded: s.loaded, rejected: s.rejected, encoding: s.encoding, delimiter: s.delimiter };
}

interface ResolvedRule { rule: (typeof catalogue)[number]; points: number; params: Record<string, unknown> }

/** The pipeline's rule settings applied to the catalogue; unknown ids and bad parameters are input errors. */
export function resolveRules(pipeline: Pipeline): ResolvedRule[] {
  for (const id of Object.keys(pipeline.rules)) {
    if (!catalogue.some((r) => r.id === id)) throw new InputError(`pipeline ${pipeline.name}: unknown rule "${id}"`);
  }
  const out: ResolvedRule[] = [];
  for (const rule of catalogue) {
    const settings = pipeline.rules[rule.id];
    if (settings && !settings.enabled) continue;
    const parsed = rule.params.strict().safeParse(settings?.params ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`pipeline ${pipeline.name}: rule ${rule.id} parameter ${issue.path.join('.')}: ${issue.message}`);
    }
    out.push({ rule, points: settings?.points ?? rule.defaultPoints, params: parsed.data as Record<string, unknown> });
  }
  return out;
}
