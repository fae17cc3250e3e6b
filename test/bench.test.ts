import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { readFileSync } from 'node:fs';
import { tempDir } from './helpers/mini-input.ts';
import { generateInput, unitOrder } from '../src/bench/generate-input.ts';

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
    expect(summary.stages['rule financing.cash-purchase'].records).toBeGreaterThan(0);
    expect(summary.names_precision).toBeGreaterThan(0.7);
    // GDAL's reader on the same VBO files, where ogr2ogr is installed (.ci/run installs it); else null.
    if (spawnSync('which', ['ogr2ogr']).status === 0) expect(summary.gdal_mb_s).toBeGreaterThan(0);
    else expect(summary.gdal_mb_s).toBeNull();
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

  it('refuses a wrong argument with one line and exit code 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench.ts'), '--order', 'random', '--dir', tempDir()], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('bench: --order must be key or shuffled, not "random"');
  });
});
