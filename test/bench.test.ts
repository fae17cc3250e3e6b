import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';

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
});
