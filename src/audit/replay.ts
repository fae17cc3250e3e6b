/**
 * Auditor replay: checks the input files against a run's manifest, screens them again into a fresh
 * temporary database with the recorded pipeline and peildatum, and compares every hashed output.
 * Differences in the register are named per unit and rule.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pipelineSchema } from '../../schemas/pipeline.ts';
import type { Register } from '../../schemas/register.ts';
import { openSqlite } from '../db/sqlite/sqlite-engine.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { runScreen } from '../screen/run-screen.ts';
import { listInputFiles } from '../screen/input-files.ts';
import { sha256 } from '../util/hash.ts';
import { TOOL_VERSION } from '../util/tool-version.ts';
import { InputError } from '../util/input-error.ts';
import { silentLogger } from '../log.ts';
import { readManifest } from './manifest.ts';
import { diffEntryOf } from '../review/run-diff.ts';

export interface InputChange { path: string; change: 'changed' | 'missing' | 'added' }
export interface RegisterDifference { vbo_id: string; rule_id: string; before: number | null; after: number | null }

export interface ReplayResult {
  identical: boolean;
  inputChanges: InputChange[];
  toolVersion: { recorded: string; now: string };
  /** Output files whose replayed bytes differ from the recorded hash. */
  differingOutputs: string[];
  /** Files in the run folder that no longer match the hash their manifest recorded. */
  alteredRunFiles: string[];
  registerDifferences: RegisterDifference[];
  replayed: boolean;
  /** The previous run the diff compares with, when its folder was not found next to this run. */
  baselineMissing?: string | null;
}

function inputDirOf(runDir: string, recorded: string | undefined, override?: string): string {
  if (override) return resolve(override);
  if (!recorded) throw new InputError('the manifest records no input folder: give --input DIR');
  return isAbsolute(recorded) ? recorded : resolve(runDir, recorded);
}

export function diffRegisters(before: Register, after: Register): RegisterDifference[] {
  const points = (r: Register) => new Map(r.entries.flatMap((e) => e.hits.map((h) => [`${e.vbo_id} ${h.rule_id}`, h.points] as const)));
  const a = points(before);
  const b = points(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.filter((k) => a.get(k) !== b.get(k)).map((k) => {
    const [vbo_id, rule_id] = k.split(' ') as [string, string];
    return { vbo_id, rule_id, before: a.get(k) ?? null, after: b.get(k) ?? null };
  });
}

export async function replay(runDir: string, opts: { input?: string; allowChangedInputs?: boolean } = {}): Promise<ReplayResult> {
  const dir = resolve(runDir);
  const m = readManifest(dir);
  const inputDir = inputDirOf(dir, m.run?.input_dir, opts.input);
  if (!existsSync(inputDir)) throw new InputError(`input folder ${inputDir} does not exist: give --input DIR`);
  const now = await listInputFiles(inputDir);
  const recorded = new Map(m.inputs.map((f) => [f.path, f.sha256]));
  const present = new Map(now.map((f) => [f.path, f.sha256]));
  const inputChanges: InputChange[] = [];
  for (const [path, hash] of recorded) {
    if (!present.has(path)) inputChanges.push({ path, change: 'missing' });
    else if (present.get(path) !== hash) inputChanges.push({ path, change: 'changed' });
  }
  for (const path of present.keys()) if (!recorded.has(path)) inputChanges.push({ path, change: 'added' });
  inputChanges.sort((a, b) => (a.path < b.path ? -1 : 1));

  const alteredRunFiles = Object.entries(m.outputs)
    .filter(([name, o]) => !existsSync(join(dir, name)) || sha256(readFileSync(join(dir, name))) !== o.sha256)
    .map(([name]) => name).sort();
  const base = { inputChanges, toolVersion: { recorded: m.tool_version, now: TOOL_VERSION }, alteredRunFiles };
  if (inputChanges.length && !opts.allowChangedInputs) {
    return { ...base, identical: false, differingOutputs: [], registerDifferences: [], replayed: false };
  }

  let baselineMissing: string | null = null;
  const work = mkdtempSync(join(tmpdir(), 'vib-replay-'));
  try {
    const engine = openSqlite(join(work, 'replay.sqlite'));
    await migrateToLatest(engine.db);
    const pipeline = pipelineSchema.parse(m.pipeline.definition);
    // The run diff compares with the previous run: use its register from the folder next to this one.
    const previousRun = (m.run_diff as { previous_run: string | null } | undefined)?.previous_run ?? null;
    let baseline: { runId: string | null; entries: { vbo_id: string; score: number; rules: string[] }[] } = { runId: null, entries: [] };
    if (previousRun) {
      const prevFile = join(dir, '..', previousRun, 'register.json');
      if (existsSync(prevFile)) {
        const prev = JSON.parse(readFileSync(prevFile, 'utf8')) as Register;
        baseline = { runId: previousRun, entries: prev.entries.map(diffEntryOf) };
      } else {
        baselineMissing = previousRun;
        baseline = { runId: previousRun, entries: [] };
      }
    }
    let result;
    try {
      result = await runScreen({
        engine, pipeline, pipelineText: JSON.stringify(m.pipeline.definition), inputDir, outDir: join(work, 'out'),
        peildatum: m.peildatum.value, peildatumSource: 'argument', log: silentLogger, baseline,
      });
    } finally {
      await engine.close();
    }
    const replayed = result.manifest.outputs as Record<string, { sha256: string }>;
    const differingOutputs = Object.keys(m.outputs).filter((name) => replayed[name]?.sha256 !== m.outputs[name]!.sha256).sort();
    let registerDifferences: RegisterDifference[] = [];
    if (differingOutputs.length && existsSync(join(dir, 'register.json'))) {
      const before = JSON.parse(readFileSync(join(dir, 'register.json'), 'utf8')) as Register;
      registerDifferences = diffRegisters(before, result.register);
    }
    return { ...base, identical: differingOutputs.length === 0 && alteredRunFiles.length === 0 && inputChanges.length === 0, differingOutputs, registerDifferences, replayed: true, baselineMissing };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
