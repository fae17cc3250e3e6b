/**
 * `vib screen [--pipeline FILE] [--input DIR] [--peildatum YYYY-MM-DD|today] [--out DIR] [--db PATH]`:
 * screens an input folder and prints the run folder as its last line.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pipelineSchema, type Pipeline } from '../../schemas/pipeline.ts';
import { openEngine, DEFAULT_DB } from '../db/open-engine.ts';
import { createLogger, type Logger } from '../log.ts';
import { runScreen, type ScreenResult } from '../screen/run-screen.ts';
import { parseDate } from '../util/dates.ts';
import { InputError } from '../util/input-error.ts';
import { todayInNetherlands } from '../util/today.ts';
import { parse } from './args.ts';

export interface LoadedPipeline { pipeline: Pipeline; text: string; base: string }

/** Reads and validates a pipeline file; errors name the file and the field. */
export function loadPipeline(file: string): LoadedPipeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`pipeline file ${file} cannot be read`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`pipeline file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = pipelineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`pipeline file ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return { pipeline: parsed.data, text, base: dirname(resolve(file)) };
}

/** The database a pipeline uses: `--db`, else the pipeline's, else VIB_DB, else data/vib.sqlite. */
export function pipelineDb(loaded: LoadedPipeline, override?: string): string {
  if (override) return override;
  const p = loaded.pipeline.db;
  if (p) return p.includes('://') ? p : resolve(loaded.base, p);
  return process.env.VIB_DB ?? DEFAULT_DB;
}

export interface ScreenOverrides { input?: string; peildatum?: string; out?: string; db?: string }

/** Screens one pipeline with command-line overrides: the shared path of `screen` and `run-due`. */
export async function screenPipeline(loaded: LoadedPipeline, o: ScreenOverrides, log: Logger, now: () => Date = () => new Date()): Promise<ScreenResult> {
  const { pipeline, base } = loaded;
  const inputDir = o.input ? resolve(o.input) : pipeline.input ? resolve(base, pipeline.input) : undefined;
  if (!inputDir) throw new InputError('no input folder: give --input DIR or a pipeline with "input"');
  const outDir = o.out ? resolve(o.out) : resolve(base, pipeline.out);
  let peildatum: string;
  let source: 'argument' | 'pipeline' | 'today';
  const requested = o.peildatum ?? pipeline.peildatum;
  if (requested === 'today') {
    peildatum = todayInNetherlands(now());
    source = 'today';
  } else {
    const p = parseDate(requested);
    if (p === null) throw new InputError(`peildatum "${requested}" is not a date (YYYY-MM-DD)`);
    peildatum = p;
    source = o.peildatum ? 'argument' : 'pipeline';
  }
  const engine = await openEngine(pipelineDb(loaded, o.db));
  try {
    return await runScreen({ engine, pipeline, pipelineText: loaded.text, inputDir, outDir, peildatum, peildatumSource: source, log, now });
  } finally {
    await engine.close();
  }
}

export async function screenCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    pipeline: { type: 'string' }, input: { type: 'string' }, peildatum: { type: 'string' },
    out: { type: 'string' }, db: { type: 'string' },
  });
  const loaded: LoadedPipeline = values.pipeline
    ? loadPipeline(values.pipeline)
    : { pipeline: pipelineSchema.parse({ name: 'screen', out: 'out' }), text: '{"name":"screen"}', base: process.cwd() };
  const result = await screenPipeline(loaded, values, createLogger());
  const s = result.register.summary;
  process.stdout.write(`${s.entries} entries (hoog ${s.by_band.hoog ?? 0}, midden ${s.by_band.midden ?? 0}, laag ${s.by_band.laag ?? 0}), ${result.manifest.rejects as number} rejects\n`);
  process.stdout.write(`${result.runDir}\n`);
  return 0;
}
