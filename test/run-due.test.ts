import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastOccurrence } from '../src/cli/run-due.ts';
import { ROOT, vib } from './helpers/cli.ts';
import { tempDir } from './helpers/mini-input.ts';
import { dbTarget } from './helpers/db-target.ts';

describe('lastOccurrence', () => {
  it('reads the schedule in Dutch time', () => {
    // 06:00 in Amsterdam on 1 October is 04:00 UTC (summer time).
    expect(lastOccurrence('0 6 1 1,4,7,10 *', new Date('2026-11-29T22:00:00Z')).toISOString()).toBe('2026-10-01T04:00:00.000Z');
    expect(lastOccurrence('0 6 * * *', new Date('2026-11-29T05:00:00Z')).toISOString()).toBe('2026-11-29T05:00:00.000Z');
  });
});

describe('vib run-due', () => {
  it('runs a due pipeline once per occurrence, skips what is not due, and reports a bad schedule', () => {
    const work = tempDir();
    const dir = join(work, 'pipelines');
    mkdirSync(dir);
    const base = { input: join(ROOT, 'fixtures', 'demo', 'input'), peildatum: 'today', out: join(work, 'out'), db: dbTarget(work) };
    writeFileSync(join(dir, 'a-daily.json'), JSON.stringify({ name: 'daily', schedule: '0 6 * * *', ...base }));
    writeFileSync(join(dir, 'b-unscheduled.json'), JSON.stringify({ name: 'manual', ...base }));
    writeFileSync(join(dir, 'c-broken.json'), JSON.stringify({ name: 'broken', schedule: 'every tuesday', ...base }));

    const first = vib(['run-due', '--pipelines', dir, '--now', '2026-11-29T07:00:00Z']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('c-broken.json: schedule "every tuesday" is not a cron expression');
    expect(first.stdout).toMatch(/^daily: .*20261129T070000Z-daily$/m);
    expect(readdirSync(join(work, 'out'))).toHaveLength(1);

    const again = vib(['run-due', '--pipelines', dir, '--now', '2026-11-29T09:00:00Z']);
    expect(again.stdout).not.toContain('daily:');
    expect(readdirSync(join(work, 'out'))).toHaveLength(1);

    const nextDay = vib(['run-due', '--pipelines', dir, '--now', '2026-11-30T06:30:00Z']);
    expect(nextDay.stdout).toMatch(/^daily: .*20261130T063000Z-daily$/m);
    expect(readdirSync(join(work, 'out')).sort()).toHaveLength(2);
  });
});
