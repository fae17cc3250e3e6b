/**
 * Starts a worker thread of a TypeScript module from one JavaScript file, bundled by esbuild (the
 * compiler tsx itself runs) and cached on disk, instead of through its `-boot.mjs` file, which
 * registers tsx in the thread and has every module of the thread compiled through tsx's loader
 * thread. A thread started so answered its first message after 260-350 ms, and half a second of CPU
 * for a CSV reader thread with its schemas; started from the bundle, after 30-45 ms (thirty-eighth
 * session). A screen starts a few of them (the BAG and CSV readers, the names, the rules, the hashing),
 * each before its stage can go at full speed.
 *
 * The bundle is used only while every source it was made of is as it was (checked by content, at
 * the first start of each kind of thread in a process), and never where it would behave otherwise:
 * a module that finds files relative to itself (`import.meta`) would look in the cache, so such a
 * thread starts through tsx, as do all where the cache cannot be written or esbuild fails.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Under node_modules, so that the bundles' imports of packages resolve as the sources' do. */
const CACHE = join(ROOT, 'node_modules', '.cache', 'vib-workers');

/**
 * What a bundle was made of: each source file (relative to the project) and its SHA-256; no bundle
 * where the thread is to start through tsx (so that each process need not find that out again).
 */
interface Manifest { bundle: string | null; inputs: Record<string, string> }

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Where bundles are made from (`root`, the project) and kept (`cache`). */
export interface Place { root: string; cache: string }

/** The inputs' hashes as they are now. */
function hashesOf(at: Place, paths: readonly string[]): Record<string, string> {
  return Object.fromEntries([...paths].sort().map((p) => [p, sha256(readFileSync(join(at.root, p)))]));
}

/**
 * The cached bundle of `name` (null: start it through tsx), if its sources are all as they were when
 * it was made; else undefined.
 */
function cachedBundle(at: Place, name: string): string | null | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(at.cache, `${name}.json`), 'utf8')) as Manifest;
    const now = hashesOf(at, Object.keys(manifest.inputs));
    if (Object.entries(manifest.inputs).some(([p, h]) => now[p] !== h)) return undefined;
  } catch {
    return undefined; // no manifest yet, or a source gone
  }
  if (manifest.bundle === null) return null;
  const bundle = join(at.cache, manifest.bundle);
  return existsSync(bundle) ? bundle : undefined;
}

function bundle(at: Place, entry: string): { code: string; inputs: string[] } {
  const r = buildSync({
    entryPoints: [entry], absWorkingDir: at.root, bundle: true, format: 'esm', platform: 'node', target: 'node20',
    packages: 'external', write: false, metafile: true, logLevel: 'silent',
  });
  return { code: r.outputFiles[0]!.text, inputs: Object.keys(r.metafile.inputs) };
}

/** Writes `text` to the cache as `file`: aside first, then renamed (another process may be reading or writing it). */
function writeCached(at: Place, file: string, text: string): void {
  const tmp = `${file}.${process.pid}-${++written}`;
  writeFileSync(join(at.cache, tmp), text);
  renameSync(join(at.cache, tmp), join(at.cache, file));
}

/**
 * Bundles `entry` into the cache, or notes there that it starts through tsx: a bundle that uses
 * `import.meta`. Made twice, and kept only where both are the same and the sources hash the same
 * before and after the second: a source changed meanwhile leaves the cache as it was (and null).
 */
function buildBundle(at: Place, entry: string, name: string): string | null {
  const first = bundle(at, entry);
  const hashes = hashesOf(at, first.inputs);
  mkdirSync(at.cache, { recursive: true });
  if (first.code.includes('import.meta')) {
    writeCached(at, `${name}.json`, JSON.stringify({ bundle: null, inputs: hashes } satisfies Manifest));
    return null;
  }
  const second = bundle(at, entry);
  if (second.code !== first.code || JSON.stringify(hashesOf(at, second.inputs)) !== JSON.stringify(hashes)) return null;
  const file = `${name}-${sha256(first.code).slice(0, 16)}.mjs`;
  writeCached(at, file, first.code);
  writeCached(at, `${name}.json`, JSON.stringify({ bundle: file, inputs: hashes } satisfies Manifest));
  for (const old of readdirSync(at.cache)) if (old.startsWith(`${name}-`) && old.endsWith('.mjs') && old !== file) rmSync(join(at.cache, old), { force: true });
  return join(at.cache, file);
}

/** Files this process wrote, to name its temporary ones apart. */
let written = 0;

/**
 * The bundle of the TypeScript module `entry` (a path in `root`), from `cache` or made into it; null
 * where the thread is to start through tsx. Never throws: a failure (esbuild's, the cache's) is null.
 */
export function workerBundle(entry: string, at: Place = { root: ROOT, cache: CACHE }): string | null {
  const name = relative(at.root, entry).replace(/\.ts$/, '').replace(/[^\w.-]+/g, '-');
  try {
    const cached = cachedBundle(at, name);
    return cached !== undefined ? cached : buildBundle(at, entry, name);
  } catch {
    return null;
  }
}

/** Per process: the bundle of each entry, looked for once. */
const bundles = new Map<string, string | null>();

/**
 * A worker thread running the TypeScript module `entry` (`…/x-worker.ts`): from its bundle where
 * there is one, else through `…/x-worker-boot.mjs` beside it, which registers tsx first.
 */
export function startTypescriptWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const path = fileURLToPath(entry);
  let bundled = bundles.get(path);
  if (bundled === undefined) bundles.set(path, (bundled = workerBundle(path)));
  // No Node.js options: a thread inherits this process's, and `--import tsx` (the bench's) would load
  // tsx into a thread that runs plain JavaScript; V8's options are the process's anyway (a thread may
  // not be given them, and refuses to start).
  if (bundled !== null) return new Worker(pathToFileURL(bundled), { execArgv: [], ...options });
  return new Worker(pathToFileURL(path.replace(/\.ts$/, '-boot.mjs')), options);
}
