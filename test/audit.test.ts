import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, vib } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';
import { dbTarget, withDb } from './helpers/db-target.ts';
import { createHash } from 'node:crypto';
import { sha256Files } from '../src/util/hash-files.ts';

const DEMO_INPUT = join(ROOT, 'fixtures', 'demo', 'input');
const EXPECTED = join(ROOT, 'fixtures', 'demo', 'expected');

function screen(input: string, work: string, env: Record<string, string> = {}): string {
  const r = vib(['screen', '--pipeline', 'pipelines/demo.json', '--input', input, '--db', dbTarget(work), '--out', join(work, 'out')], env);
  expect(r.stderr).not.toContain('internal error');
  expect(r.code).toBe(0);
  return r.stdout.trim().split('\n').at(-1)!;
}

describe('vib replay', () => {
  it('replays the recorded demo run: identical', () => {
    const r = vib(['replay', EXPECTED]);
    expect(r.stdout.trim()).toBe('identical');
    expect(r.code).toBe(0);
  });

  it('names a changed input file; with --allow-changed-inputs, the unit and rule that differ', () => {
    const work = tempDir();
    const input = join(work, 'input');
    cpSync(DEMO_INPUT, input, { recursive: true });
    const file = join(input, 'transacties.csv');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(',2024-03-15,0935010000100001,350000,');
    writeFileSync(file, text.replace(',2024-03-15,0935010000100001,350000,', ',2024-03-15,0935010000100001,95000,'));
    const refused = vib(['replay', EXPECTED, '--input', input]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('input changed: transacties.csv');
    expect(refused.stdout).toContain('not replayed');
    const allowed = vib(['replay', EXPECTED, '--input', input, '--allow-changed-inputs']);
    expect(allowed.code).toBe(1);
    expect(allowed.stdout).toContain('output differs: register.json');
    expect(allowed.stdout).toContain('0935010000100001 financing.cash-purchase: 15 points → gone');
    expect(allowed.stdout.trim().split('\n').at(-1)).toBe('different');
  });

  it('notices a register.json altered in the run folder', () => {
    const run = join(tempDir(), 'run');
    cpSync(EXPECTED, run, { recursive: true });
    const reg = join(run, 'register.json');
    writeFileSync(reg, readFileSync(reg, 'utf8').replace('"score": 80', '"score": 8'));
    const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8'));
    manifest.run.input_dir = DEMO_INPUT;
    writeFileSync(join(run, 'manifest.json'), JSON.stringify(manifest));
    const r = vib(['replay', run]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('run folder: register.json no longer matches the hash in manifest.json');
  });
});

describe('vib verify', () => {
  it('reports an intact chain, then a deleted run and an altered register', async () => {
    const work = tempDir();
    const runs = [screen(DEMO_INPUT, work), screen(DEMO_INPUT, work), screen(DEMO_INPUT, work)];
    const db = dbTarget(work);
    expect(vib(['verify', '--db', db])).toMatchObject({ code: 0, stdout: 'chain intact: 3 runs\n' });
    const first = JSON.parse(readFileSync(join(runs[1]!, 'manifest.json'), 'utf8'));
    expect(first.previous_manifest_sha256).toBe(JSON.parse(readFileSync(join(runs[0]!, 'manifest.json'), 'utf8')).manifest_sha256);

    writeFileSync(join(runs[2]!, 'register.json'), readFileSync(join(runs[2]!, 'register.json'), 'utf8').replace('"band": "hoog"', '"band": "laag"'));
    await withDb(db, (q) => q.deleteFrom('run').where('run_id', '=', runs[1]!.split('/').at(-1)!).execute());
    const r = vib(['verify', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BREAK demo .*: refers to manifest .* but the previous run's is .*: a run was deleted or altered/);
    expect(r.stdout).toContain('register.json was altered after the run');
  });
});

describe('determinism', () => {
  const register = (runDir: string) => readFileSync(join(runDir, 'register.json'));

  it('gives an identical register when the rows of every CSV are shuffled', () => {
    const work = tempDir();
    const base = register(screen(DEMO_INPUT, work));
    const input = join(work, 'shuffled');
    cpSync(DEMO_INPUT, input, { recursive: true });
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const f of readdirSync(input).filter((x) => x.endsWith('.csv'))) {
      const raw = readFileSync(join(input, f));
      const latin = f === 'kvk.csv';
      const text = raw.toString(latin ? 'latin1' : 'utf8');
      // Records may span lines (a quoted newline): shuffle whole records, keep the header first.
      const records = text.replace(/^\uFEFF/, '').split(/\r?\n(?=(?:[^"]*"[^"]*")*[^"]*$)/).filter((l) => l !== '');
      const [header, ...rows] = records;
      for (let i = rows.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [rows[i], rows[j]] = [rows[j]!, rows[i]!]; }
      writeFileSync(join(input, f), Buffer.from(`${[header, ...rows].join('\r\n')}\r\n`, latin ? 'latin1' : 'utf8'));
    }
    expect(register(screen(input, work)).equals(base)).toBe(true);
  });

  it('gives an identical register with the BAG files renamed into another order, or zipped', () => {
    const work = tempDir();
    const base = register(screen(DEMO_INPUT, work));
    const reordered = join(work, 'reordered');
    cpSync(DEMO_INPUT, reordered, { recursive: true });
    const bag = join(reordered, 'bag');
    for (const f of readdirSync(bag).filter((x) => x.endsWith('.xml'))) renameSync(join(bag, f), join(bag, `${f.replace('.xml', '')}-x.xml`.replace(/^0935(\w{3})/, 'z0935$1')));
    expect(register(screen(reordered, work)).equals(base)).toBe(true);
    const zipped = join(work, 'zipped');
    cpSync(DEMO_INPUT, zipped, { recursive: true });
    rmSync(join(zipped, 'bag'), { recursive: true });
    execFileSync('python3', ['-c', `
import zipfile, os, io
src = ${JSON.stringify(join(DEMO_INPUT, 'bag'))}
os.makedirs(${JSON.stringify(join(zipped, 'bag'))})
with zipfile.ZipFile(${JSON.stringify(join(zipped, 'bag', 'BAGGEM0935L-01102026.zip'))}, 'w') as z:
    for root, _, files in os.walk(src):
        for name in sorted(files):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as iz:
                iz.write(os.path.join(root, name), name)
            z.writestr(name.replace('.xml', '.zip'), buf.getvalue())
`]);
    expect(register(screen(zipped, work)).equals(base)).toBe(true);
  });

  it('gives an identical register and rejects whether inputs are read (and rules evaluated) in this thread, one file at a time, or in worker threads, several files at a time', () => {
    // Separate databases, so that neither run has a previous one: their whole manifests must agree.
    const one = screen(DEMO_INPUT, tempDir(), { VIB_PARSE_WORKERS: '0' });
    const two = screen(DEMO_INPUT, tempDir(), { VIB_PARSE_WORKERS: '2' });
    expect(register(two).equals(register(one))).toBe(true);
    expect(readFileSync(join(two, 'rejects.csv'), 'utf8')).toBe(readFileSync(join(one, 'rejects.csv'), 'utf8'));
    const core = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).manifest_sha256 as string;
    expect(core(two)).toBe(core(one));
  });

  it('gives an identical register in another time zone and locale', () => {
    const work = tempDir();
    const base = register(screen(DEMO_INPUT, work));
    const other = register(screen(DEMO_INPUT, work, { TZ: 'Pacific/Kiritimati', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }));
    expect(other.equals(base)).toBe(true);
  });
});

describe('hashing the input files', () => {
  it('gives every file its own sha256, in the order asked, on reader threads as on this one', async () => {
    const dir = tempDir();
    // Sizes around the 1 MB read buffer, an empty file, and more files than threads.
    const sizes = [0, 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) - 7, 12345, 2 << 20, 5, 777_777];
    const paths = sizes.map((n, i) => {
      const p = join(dir, `f${i}.bin`);
      writeFileSync(p, Buffer.alloc(n, (i * 37 + 11) & 0xff).fill(i, 0, Math.min(n, 3)));
      return p;
    });
    const expected = paths.map((p) => createHash('sha256').update(readFileSync(p)).digest('hex'));
    expect(new Set(expected).size).toBe(sizes.length);
    // Two reader threads whatever this machine's cores, so the threaded path is the one taken.
    const before = process.env.VIB_PARSE_WORKERS;
    process.env.VIB_PARSE_WORKERS = '2';
    try {
      expect(await sha256Files(paths, sizes, { threadsFromBytes: Infinity })).toEqual(expected);
      expect(await sha256Files(paths, sizes, { threadsFromBytes: 0 })).toEqual(expected);
      // One thread given every file at once (hashing beside the linking): the same hashes, in order.
      expect(await sha256Files(paths, sizes, { threadsFromBytes: 0, maxThreads: 1 })).toEqual(expected);
      await expect(sha256Files([...paths, join(dir, 'gone.bin')], [...sizes, 0], { threadsFromBytes: 0 })).rejects.toThrow(/ENOENT/);
      await expect(sha256Files([...paths, join(dir, 'gone.bin')], [...sizes, 0], { threadsFromBytes: 0, maxThreads: 1 })).rejects.toThrow(/ENOENT/);
      // A run that fails while its inputs are hashed stops the hashing rather than waiting for it.
      const stop = new AbortController();
      const stopped = sha256Files(paths, sizes, { threadsFromBytes: 0, maxThreads: 1, signal: stop.signal });
      stop.abort(new Error('the run failed'));
      await expect(stopped).rejects.toThrow('the run failed');
      await expect(sha256Files(paths, sizes, { threadsFromBytes: Infinity, signal: stop.signal })).rejects.toThrow('the run failed');
    } finally {
      if (before === undefined) delete process.env.VIB_PARSE_WORKERS;
      else process.env.VIB_PARSE_WORKERS = before;
    }
  });
});
